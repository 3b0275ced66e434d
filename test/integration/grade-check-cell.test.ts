// The "Check your work" cell in the real tslab kernel (through `tsnb run`'s executor): full marks for
// the reference solution, partial for a broken variant, a hanging solution ends in a failed test
// within the grader's limits while the kernel lives on, and a kernel that runs other code than the
// saved notebook is told so above the table.
import { readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks, type NotebookRun } from "../../src/execute/index.ts";
import { codeCell, joinSource, readNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";
import { startKernel } from "../../src/kernel/index.ts";
import { processesWith, until } from "./executor-support.ts";

const ID = "safe-counter";
/** A solution cell's code from a .ts file of the exercise (without the type checker's `export {}`). */
const solutionFrom = (rel: string) =>
  readFileSync(path.join(ROOT, "exercises", ID, rel), "utf8")
    .replace(/^export \{\};.*$/m, "")
    .replace(/^export /gm, "");

/** A class whose increment(n) for n > 1 never returns: two tests call it (increment(3) and increment(n)). */
const HANGING = `class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.cells = new Int32Array(this.buffer);
  }
  increment(by = 1): void {
    while (by > 1) {} // hangs
    Atomics.add(this.cells, 0, by);
  }
  get value(): number {
    return Atomics.load(this.cells, 0);
  }
}`;

/** The instructor notebook with another solution, optional cells after the solution, and a last cell. */
function variant(solution: string | undefined, extra: string[] = []): nbformat.INotebookContent {
  const nb = structuredClone(instructorNotebook(ID));
  const at = nb.cells.findIndex((c) => (c.metadata as { nbgrader?: { solution?: boolean } }).nbgrader?.solution);
  if (solution !== undefined) nb.cells[at]!.source = solution;
  // Drop the try-it cell (it would hang with the hanging class): the solution cell, then the extras, then the check.
  const check = nb.cells[nb.cells.length - 1]!;
  nb.cells = [
    ...nb.cells.slice(0, at + 1),
    ...extra.map((e) => codeCell(e)),
    check,
    codeCell('console.log("kernel alive");'),
  ];
  return nb;
}

const CASES = {
  reference: variant(undefined),
  racy: variant(solutionFrom("broken/racy.ts")),
  hanging: variant(HANGING),
  // A learner who redefined the class in a scratch cell: the kernel runs code the saved notebook does not hold.
  stale: variant(undefined, ["class SafeCounter { increment(): void {} get value(): number { return 0; } }"]),
  // Not run by tsnb run: a kernel session interrupts its check while the grader works on the hanging class.
  interrupted: variant(HANGING),
};
type Case = keyof typeof CASES;

// One folder per case, two below the root like notebooks/exercises/ (the cell imports ../../src/...):
// the check cell grades the notebook of its folder.
const folder = (name: Case) => path.join(ROOT, ".tsnb-tmp", `check-cell-${process.pid}-${name}`);
const runs = new Map<Case, NotebookRun>();
const outputs = new Map<Case, { text: string; html: string }>();

beforeAll(async () => {
  const jobs = [];
  for (const [name, nb] of Object.entries(CASES) as Array<[Case, nbformat.INotebookContent]>) {
    await mkdir(folder(name), { recursive: true });
    const input = path.join(folder(name), `${ID}.ipynb`);
    await writeNotebook(input, nb);
    if (name !== "interrupted") jobs.push({ name, input, output: path.join(folder(name), "out", `${ID}.ipynb`) });
  }
  const done = await runNotebooks(jobs, { jobs: 2, timeoutSec: 240 });
  for (const [i, job] of jobs.entries()) {
    runs.set(job.name, done[i]!);
    const nb = await readNotebook(job.output);
    const all = nb.cells.flatMap((c) => (c.cell_type === "code" ? (c.outputs as nbformat.IOutput[]) : []));
    outputs.set(job.name, {
      text: all.map((o) => joinSource((o as nbformat.IStream).text ?? "")).join(""),
      html: all.map((o) => joinSource(((o as nbformat.IDisplayData).data?.["text/html"] as string) ?? "")).join(""),
    });
  }
}, 900_000);
afterAll(async () => {
  for (const name of Object.keys(CASES) as Case[]) await rm(folder(name), { recursive: true, force: true });
});

describe("the check cell under tsnb run (real tslab)", () => {
  it("the reference solution: full marks, the per-test table in HTML, and 'the same solution this kernel last ran'", () => {
    expect(runs.get("reference")!.error?.message).toBeUndefined();
    const { text, html } = outputs.get("reference")!;
    expect(text).toContain("Score: 10 / 10\n");
    expect(html).toMatch(
      /^<div class="tsnb-check"><p>Graded the saved notebook safe-counter\.ipynb \(saved at [\d:]+\): the same solution this kernel last ran\.<\/p>/,
    );
    expect(html.match(/<tr><td[^>]*>/g)).toHaveLength(5);
    expect(html).not.toMatch(/\[\d\]/); // names without the points prefix
    expect(text).toContain("kernel alive");
  });

  it("a broken variant: partial marks, and why each failed test failed", () => {
    const { text, html } = outputs.get("racy")!;
    expect(text).toContain("Score: 5 / 10\n");
    expect(html).toMatch(
      /no update is lost when 4 workers call increment\(\) at the same time<\/td><td[^>]*>0 \/ 3<\/td><td[^>]*>✘ failed<pre[^>]*>[^<]*increments were lost/,
    );
  });

  it("a hanging solution: the hanging tests fail with a timeout, the rest pass, and the kernel stays alive", () => {
    const run = runs.get("hanging")!;
    expect(run.error?.message).toBeUndefined();
    const { text, html } = outputs.get("hanging")!;
    expect(text).toMatch(/Score: [1-9] \/ 10\n/);
    expect(html).toContain("⏱ ran out of time");
    expect(text).toContain("kernel alive");
  });

  it("a kernel that runs other code than the saved notebook: the line above the table says so", () => {
    const { text, html } = outputs.get("stale")!;
    expect(html).toMatch(/Warning: the saved SafeCounter is not what this kernel last ran/);
    expect(text).toContain("Score: 10 / 10\n"); // the saved notebook is what was graded
  });

  it("interrupting the kernel stops the check: its grading process and suite runners end, the kernel lives on", async () => {
    const nb = CASES.interrupted;
    const checkSource = joinSource(nb.cells.at(-2)!.source);
    expect(checkSource).toContain("checkYourWork(");
    const kernel = await startKernel({ cwd: folder("interrupted") });
    try {
      // The processes of this check only: the grading process is the kernel's child, the runners are its children.
      const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]);
      const childrenOf = async (parent: number, marker: string) =>
        (await processesWith(marker)).filter((pid) => {
          try {
            return parentOf(pid) === parent;
          } catch {
            return false; // gone meanwhile
          }
        });
      let grader: number[] = [];
      let runners: number[] = [];
      // The kernel's cell timeout is an interrupt (SIGINT), as Jupyter's stop button is.
      const cell = kernel.execute(checkSource, { timeoutSec: 12 });
      await until(
        async () => {
          grader = await childrenOf(kernel.pid!, "check-cell/child.ts");
          runners = grader.length ? await childrenOf(grader[0]!, "vitest-runner.mjs") : [];
          return runners.length > 0;
        },
        11_000,
        "the check's grading process and its suite runner",
      );
      const result = await cell;
      expect(result.status).toBe("timeout");
      // SIGKILL at the interrupt; the runners end when their IPC channel closes (poll: that is asynchronous).
      await until(async () => (await childrenOf(kernel.pid!, "check-cell/child.ts")).length === 0, 5_000, "the grading process to end");
      const left = async () => (await processesWith("vitest-runner.mjs")).filter((pid) => runners.includes(pid));
      await until(async () => (await left()).length === 0, 10_000, "the suite runners to end");
      const after = await kernel.execute('"kernel alive"');
      expect(after.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "kernel alive\n" }]);
    } finally {
      await kernel.shutdown();
    }
  }, 120_000);
});
