// The four report formats of `tsnb grade`, on hand-made results: DESIGN.md's JSON fields,
// Gradescope's results.json schema, an RFC 4180 gradebook, and the learner's text.
import { describe, expect, it } from "vitest";
import { formatCsv, csvField, CSV_HEADER } from "../../src/grade/report/csv.ts";
import { formatGradescope, gradescopeResult } from "../../src/grade/report/gradescope.ts";
import { learnerFromFile } from "../../src/grade/report/learner-id.ts";
import { testLabel } from "../../src/grade/report/test-name.ts";
import { formatJson } from "../../src/grade/report/json.ts";
import { formatText } from "../../src/grade/report/text.ts";
import type { GradeResult } from "../../src/grade/types.ts";

const full: GradeResult = {
  file: "alice/safe-counter.ipynb",
  exercise: "safe-counter",
  score: 10,
  maxScore: 10,
  tests: [
    { name: "[4] a", score: 4, maxScore: 4, status: "passed", output: "" },
    { name: "[6] b", score: 6, maxScore: 6, status: "passed", output: "" },
  ],
  elapsedMs: 2100,
};
const partial: GradeResult = {
  file: 'bob "the, builder".ts',
  exercise: "bounded-queue",
  score: 3,
  maxScore: 10,
  tests: [
    { name: "[3] fifo", score: 3, maxScore: 3, status: "passed", output: "" },
    { name: "[4] waits", score: 0, maxScore: 4, status: "timeout", output: "no answer within 10 s\nsecond line" },
    {
      name: "[3] close",
      score: 0,
      maxScore: 3,
      status: "error",
      output: "the submission's process exited with code 0",
    },
  ],
  elapsedMs: 12_345,
};

describe("--format json", () => {
  it("prints one object with DESIGN.md's fields for one submission", () => {
    const value = JSON.parse(formatJson([partial]));
    expect(Object.keys(value)).toEqual(["file", "exercise", "score", "maxScore", "tests", "elapsedMs"]);
    expect(value).toMatchObject({ exercise: "bounded-queue", score: 3, maxScore: 10, elapsedMs: 12345 });
    expect(value.tests[1]).toEqual({
      name: "[4] waits",
      score: 0,
      maxScore: 4,
      status: "timeout",
      output: "no answer within 10 s\nsecond line",
    });
  });

  it("prints an array for several, in order, with `error` when a submission could not be graded", () => {
    const value = JSON.parse(formatJson([full, { ...partial, error: "stopped after 120 s" }]));
    expect(Array.isArray(value)).toBe(true);
    expect(value.map((v: { file: string }) => v.file)).toEqual([full.file, partial.file]);
    expect(value[0].error).toBeUndefined();
    expect(value[1].error).toBe("stopped after 120 s");
  });
});

describe("--format gradescope", () => {
  /** Gradescope's results.json, field by field as its autograder specification documents it. */
  function assertResultsJson(value: Record<string, unknown>) {
    expect(Object.keys(value).sort()).toEqual([
      "execution_time",
      "output",
      "output_format",
      "score",
      "stdout_visibility",
      "test_output_format",
      "tests",
      "visibility",
    ]);
    expect(typeof value["score"]).toBe("number");
    expect(typeof value["execution_time"]).toBe("number");
    expect(typeof value["output"]).toBe("string");
    for (const key of ["output_format", "test_output_format"]) expect(["md", "text"]).toContain(value[key]);
    for (const key of ["visibility", "stdout_visibility"])
      expect(["hidden", "after_due_date", "after_published", "visible"]).toContain(value[key]);
    for (const t of value["tests"] as Array<Record<string, unknown>>) {
      expect(Object.keys(t).sort()).toEqual([
        "max_score",
        "name",
        "number",
        "output",
        "score",
        "status",
        "tags",
        "visibility",
      ]);
      expect(t["name"]).toMatch(/^[^[]/); // no "[points]" prefix
      expect(typeof t["number"]).toBe("string");
      expect(typeof t["score"]).toBe("number");
      expect(typeof t["max_score"]).toBe("number");
      expect(["passed", "failed"]).toContain(t["status"]);
      expect(typeof t["output"]).toBe("string");
      expect(Array.isArray(t["tags"])).toBe(true);
      expect(["hidden", "after_due_date", "after_published", "visible"]).toContain(t["visibility"]);
    }
  }

  it("is Gradescope's results.json: names without points, numbers, passed/failed, the reason in Markdown", () => {
    const value = JSON.parse(formatGradescope([partial]));
    assertResultsJson(value);
    expect(value.score).toBe(3);
    expect(value.execution_time).toBe(12.3);
    expect(value.output_format).toBe("md");
    expect(value.tests.map((t: { name: string }) => t.name)).toEqual(["fifo", "waits", "close"]);
    expect(value.tests.map((t: { number: string }) => t.number)).toEqual(["1.1", "1.2", "1.3"]);
    expect(value.tests.map((t: { status: string }) => t.status)).toEqual(["passed", "failed", "failed"]);
    expect(value.tests[1].output).toBe("**Ran out of time.**\n\n```\nno answer within 10 s\nsecond line\n```");
    expect(value.tests[1].tags).toEqual(["bounded-queue", "timeout"]);
    expect(value.tests[2].output).toMatch(/^\*\*Crashed or could not run\.\*\*/);
    expect(value.tests.reduce((s: number, t: { max_score: number }) => s + t.max_score, 0)).toBe(10);
  });

  it("plain text when asked; a code block survives backticks in the message", () => {
    const ticks: GradeResult = {
      ...partial,
      tests: [{ name: "[4] waits", score: 0, maxScore: 4, status: "failed", output: "expected ```x```" }],
    };
    const md = JSON.parse(formatGradescope([ticks]));
    expect(md.tests[0].output).toBe("````\nexpected ```x```\n````");
    const text = JSON.parse(formatGradescope([partial], { format: "text" }));
    expect(text.test_output_format).toBe("text");
    expect(text.tests[1].output).toBe("Ran out of time: no answer within 10 s\nsecond line");
  });

  it("visibility: a suite's marker wins, the option sets the rest; the marker leaves the name", () => {
    const marked: GradeResult = {
      ...full,
      tests: [
        { name: "[4] (hidden) a", score: 4, maxScore: 4, status: "passed", output: "" },
        { name: "[6] (after_due_date) b", score: 6, maxScore: 6, status: "passed", output: "" },
        { name: "[1] c", score: 1, maxScore: 1, status: "passed", output: "" },
      ],
    };
    const value = JSON.parse(formatGradescope([marked], { testVisibility: "after_published", visibility: "visible" }));
    expect(value.tests.map((t: { name: string; visibility: string }) => [t.name, t.visibility])).toEqual([
      ["a", "hidden"],
      ["b", "after_due_date"],
      ["c", "after_published"],
    ]);
    expect(testLabel("[2] (hidden) x")).toEqual({ title: "x", visibility: "hidden" });
    expect(testLabel("[2] (secret) x")).toEqual({ title: "(secret) x" });
  });

  it("several exercises in one submission: one object, tests numbered and named by exercise", () => {
    const value = JSON.parse(
      JSON.stringify(
        gradescopeResult(
          [full, partial],
          {},
          new Map([
            ["bounded-queue", 2],
            ["safe-counter", 1],
          ]),
        ),
      ),
    );
    assertResultsJson(value);
    expect(value.score).toBe(13);
    expect(value.tests.map((t: { number: string }) => t.number)).toEqual(["1.1", "1.2", "2.1", "2.2", "2.3"]);
    expect(value.tests[2].name).toBe("bounded-queue: fifo");
  });

  it("refuses several submissions: a results.json is one object, never an array", () => {
    expect(() => formatGradescope([full, partial])).toThrow(/holds one submission, got 2/);
  });
});

describe("--format csv", () => {
  it("quotes fields as RFC 4180 does", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(7.5)).toBe("7.5");
  });

  it("is a header and one row per submission, the learner first, CRLF line ends, parseable back", () => {
    const text = formatCsv([full, partial], ["alice", "bob"]);
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(CSV_HEADER[0]).toBe("learner");
    expect(lines).toHaveLength(4); // header, 2 rows, "" after the final CRLF
    expect(lines[1]).toBe("alice,alice/safe-counter.ipynb,safe-counter,10,10,100,2/2,,2100,");
    expect(lines[2]).toBe(
      'bob,"bob ""the, builder"".ts",bounded-queue,3,10,30,1/3,waits (timeout); close (error),12345,',
    );
  });

  it("the learner from the file: its name, or its folder's when the name is the exercise id", () => {
    const ids = ["safe-counter"];
    expect(learnerFromFile("submissions/alice.ipynb", ids)).toBe("alice");
    expect(learnerFromFile("submissions/bob/safe-counter.ipynb", ids)).toBe("bob");
    expect(learnerFromFile("carol.ts", ids)).toBe("carol");
  });
});

describe("--format text", () => {
  it("shows each test with its points, and why a failed one failed", () => {
    const text = formatText([partial]);
    expect(text).toContain('bob "the, builder".ts (bounded-queue): 3/10 points in 12.3 s');
    expect(text).toMatch(/PASS\s+3\/3\s+fifo/);
    expect(text).toMatch(/TIME\s+0\/4\s+waits\n\s+no answer within 10 s\n\s+second line/);
    expect(text).toMatch(/ERR\s+0\/3\s+close/);
    expect(text).toMatch(/ran out of time: look for a loop that never ends/);
  });

  it("says so when everything passes", () => {
    expect(formatText([full])).toContain("All tests pass: full marks.");
  });
});
