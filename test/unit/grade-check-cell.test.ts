// The check cell's parts that run outside the kernel: which saved notebook it grades, whether the
// kernel ran that code, and the report (HTML escaped, a plain-text twin, the score line).
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareWithKernel } from "../../src/grade/check-cell/kernel-match.ts";
import { CheckCellError, locateNotebook } from "../../src/grade/check-cell/locate.ts";
import { checkCellReport } from "../../src/grade/report/check-cell.ts";
import { codeCell, formatNotebook, newNotebook } from "../../src/notebook/index.ts";
import { checkCellMetadata, checkCellSource } from "../../src/grade/check-cell/cell.ts";
import { solutionOfNotebook } from "../../src/grade/submission.ts";

const SAVED = `import { cpus } from "node:os";
class SafeCounter {
  readonly buffer: SharedArrayBuffer; // shared
  constructor(b?: SharedArrayBuffer) { this.buffer = b ?? new SharedArrayBuffer(4); }
  get n(): number { return cpus().length; }
}
const twice = (x: number): number => x * 2;
const LIMIT = 4;`;

/** What tslab's kernel held after running SAVED (its compiled sources, as printed by toString() in tslab 1.0.22). */
const LIVE = {
  SafeCounter: {
    type: "function",
    source:
      "class SafeCounter {\n    buffer; // shared\n    constructor(b) { this.buffer = b ?? new SharedArrayBuffer(4); }\n    get n() { return (0, node_os_1.cpus)().length; }\n}",
  },
  twice: { type: "function", source: "(x) => x * 2" },
  LIMIT: { type: "number" },
  cpus: { type: "function", source: "function cpus() { [native code] }" },
};

describe("compareWithKernel", () => {
  it("the same code, whatever the whitespace and comments: same", () => {
    expect(compareWithKernel(SAVED, LIVE)).toEqual({ state: "same" });
    const spaced = { ...LIVE, twice: { type: "function", source: "(x)   =>   /* doubled */ x * 2" } };
    expect(compareWithKernel(SAVED, spaced)).toEqual({ state: "same" });
  });

  it("a name the kernel does not hold: not run", () => {
    const { twice: _t, ...rest } = LIVE;
    expect(compareWithKernel(SAVED, rest)).toEqual({ state: "not-run", names: ["twice"] });
  });

  it("other code under the same name: differs", () => {
    const edited = { ...LIVE, twice: { type: "function", source: "(x) => x * 3" } };
    expect(compareWithKernel(SAVED, edited)).toEqual({ state: "differs", names: ["twice"] });
  });

  it("outside tslab, or nothing declared: unknown", () => {
    expect(compareWithKernel(SAVED, null)).toEqual({ state: "unknown" });
    expect(compareWithKernel("console.log(1);", LIVE)).toEqual({ state: "unknown" });
  });
});

describe("locateNotebook", () => {
  let dir = "";
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const solution = (id: string) =>
    codeCell("class A {}", {
      nbgrader: { solution: true, grade: false, locked: false, grade_id: id, schema_version: 3 },
    });
  const write = (name: string, id: string) =>
    writeFile(
      path.join(dir, name),
      formatNotebook(newNotebook([solution(id), codeCell(checkCellSource(id), checkCellMetadata(id))])),
    );

  it("the one notebook holding the exercise; the session's when several; else the one named for it; else the newest", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-locate-"));
    await write("mine.ipynb", "safe-counter");
    await write("other.ipynb", "bounded-queue");
    expect(await locateNotebook("safe-counter", dir)).toMatchObject({
      file: path.join(dir, "mine.ipynb"),
      because: "",
    });
    await write("copy.ipynb", "safe-counter");
    await utimes(path.join(dir, "mine.ipynb"), new Date(1000), new Date(1000));
    expect(await locateNotebook("safe-counter", dir, "course/mine.ipynb")).toMatchObject({
      file: path.join(dir, "mine.ipynb"),
    });
    const newest = await locateNotebook("safe-counter", dir);
    expect(newest.file).toBe(path.join(dir, "copy.ipynb"));
    expect(newest.because).toMatch(/2 notebooks here hold "safe-counter"; this one was saved last/);
    await write("safe-counter.ipynb", "safe-counter");
    expect((await locateNotebook("safe-counter", dir)).because).toMatch(/this one is named for it/);
  });

  it("no notebook holds it: says where it looked and what to do", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-locate-"));
    await writeFile(path.join(dir, "broken.ipynb"), "{ not json");
    await expect(locateNotebook("safe-counter", dir)).rejects.toThrow(CheckCellError);
    await expect(locateNotebook("safe-counter", dir)).rejects.toThrow(
      /no saved notebook in .* has a solution cell of "safe-counter": save the notebook/,
    );
  });

  it("the grader ignores the check cell: the solution is the solution cell alone", () => {
    const nb = newNotebook([
      solution("safe-counter"),
      codeCell(checkCellSource("safe-counter"), checkCellMetadata("safe-counter")),
    ]);
    expect(solutionOfNotebook("x.ipynb", nb, ["safe-counter"]).code).toBe("class A {}");
  });
});

describe("checkCellReport", () => {
  const result = {
    file: "x.ipynb",
    exercise: "safe-counter",
    score: 1,
    maxScore: 3,
    elapsedMs: 10,
    tests: [
      { name: "[1] <b>ok</b>", score: 1, maxScore: 1, status: "passed" as const, output: "" },
      {
        name: "[2] (hidden) races",
        score: 0,
        maxScore: 2,
        status: "timeout" as const,
        output: "no answer <script>alert(1)</script>",
      },
    ],
  };

  it("HTML with every learner-visible string escaped, a plain-text twin, and the score line", () => {
    const r = checkCellReport(result, "Graded the saved notebook <x>.ipynb.");
    expect(r.html).toContain("<p>Graded the saved notebook &lt;x&gt;.ipynb.</p>");
    expect(r.html).toContain("&lt;b&gt;ok&lt;/b&gt;");
    expect(r.html).toContain("no answer &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(r.html).not.toMatch(/<script|<b>/);
    expect(r.html).toContain(">races<"); // no points prefix, no visibility marker
    expect(r.text.split("\n")).toEqual([
      "Graded the saved notebook <x>.ipynb.",
      "  ✔ 1 / 1  <b>ok</b>",
      "  ⏱ 0 / 2  races (ran out of time)",
      "      no answer <script>alert(1)</script>",
    ]);
    expect(r.scoreLine).toBe("Score: 1 / 3");
  });

  it("a submission that could not be graded shows why in the table's place", () => {
    const r = checkCellReport({ ...result, tests: [], score: 0, maxScore: 0, error: "x.ipynb: line 1: bad JSON" }, "n");
    expect(r.text).toBe("n\nx.ipynb: line 1: bad JSON");
    expect(r.html).not.toContain("<table>");
  });
});
