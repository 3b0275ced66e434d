// The four report formats of `tsnb grade`, on hand-made results: DESIGN.md's JSON fields,
// Gradescope's results.json schema, an RFC 4180 gradebook, and the learner's text.
import { describe, expect, it } from "vitest";
import { formatCsv, csvField, CSV_HEADER } from "../../src/grade/report/csv.ts";
import { formatGradescope } from "../../src/grade/report/gradescope.ts";
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
  /** Gradescope's results.json, as its autograder documentation specifies the fields used here. */
  function assertResultsJson(value: Record<string, unknown>) {
    expect(typeof value["score"]).toBe("number");
    expect(typeof value["execution_time"]).toBe("number");
    expect(Array.isArray(value["tests"])).toBe(true);
    for (const t of value["tests"] as Array<Record<string, unknown>>) {
      expect(Object.keys(t).sort()).toEqual(["max_score", "name", "output", "score", "status", "visibility"]);
      expect(typeof t["name"]).toBe("string");
      expect(typeof t["score"]).toBe("number");
      expect(typeof t["max_score"]).toBe("number");
      expect(["passed", "failed"]).toContain(t["status"]);
      expect(typeof t["output"]).toBe("string");
      expect(["hidden", "after_due_date", "after_published", "visible"]).toContain(t["visibility"]);
    }
  }

  it("is Gradescope's results.json: score, execution_time in seconds, tests with max_score and passed/failed", () => {
    const value = JSON.parse(formatGradescope([partial]));
    assertResultsJson(value);
    expect(value.score).toBe(3);
    expect(value.execution_time).toBe(12.3);
    expect(value.tests.map((t: { status: string }) => t.status)).toEqual(["passed", "failed", "failed"]);
    expect(value.tests[1].output).toBe("[timeout] no answer within 10 s\nsecond line");
    expect(value.tests[2].output).toMatch(/^\[error\] /);
    expect(value.tests.reduce((s: number, t: { max_score: number }) => s + t.max_score, 0)).toBe(10);
  });

  it("prints an array of results.json objects for several submissions", () => {
    const value = JSON.parse(formatGradescope([full, partial]));
    expect(value).toHaveLength(2);
    value.forEach(assertResultsJson);
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

  it("is a header and one row per submission, CRLF line ends, parseable back", () => {
    const text = formatCsv([full, partial]);
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines).toHaveLength(4); // header, 2 rows, "" after the final CRLF
    expect(lines[1]).toBe("alice/safe-counter.ipynb,safe-counter,10,10,100,2/2,,2100,");
    expect(lines[2]).toBe(
      '"bob ""the, builder"".ts",bounded-queue,3,10,30,1/3,[4] waits (timeout); [3] close (error),12345,',
    );
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
