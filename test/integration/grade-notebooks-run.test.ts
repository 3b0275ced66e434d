// The exercise notebooks in the real tslab kernel: each instructor notebook (the learner's notebook
// with the reference solution in its solution cell) runs without an error, so the solution cell
// compiles under tslab's TypeScript 5.0 and the try-it cell shows what the instructions promise;
// the learner's notebook fails exactly at the stub, with "not implemented".
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks, type NotebookRun } from "../../src/execute/index.ts";
import { EXERCISE_LIST } from "../../src/grade/exercises.ts";
import { joinSource, readNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";

// Two folders below the root, like notebooks/exercises/, so "../../kernel-helpers/index" resolves.
const DIR = path.join(ROOT, ".tsnb-tmp", `exercise-run-${process.pid}`);

/** A line each try-it cell must print with the reference solution. */
const PROMISE: Record<string, RegExp> = {
  "safe-counter": /expected 800000, got 800000/,
  "bounded-queue": /done: the queue was closed and drained/,
  "parallel-primes": /2 workers: 216816 primes/,
  "download-manager": /most requests in flight at once: 3/,
  "chat-server": /\[bob sees\] alice: hi bob!/,
  "load-tester": /most requests in flight at the server: 20/,
  "web-crawler": /15 pages, 15 requests/,
  "image-processor": /input untouched: 0,0,128,255/,
  "data-pipeline": /saved PAGE8/,
  "fix-the-deadlock": /finished: balances \d+ \+ \d+ = 2000/,
  "bank-transfer": /total 5000 \(expected 5000\)/,
  "process-pool": /5 ok, 3 failed/,
};

const runs = new Map<string, NotebookRun>();
let learnerRun: NotebookRun;

beforeAll(async () => {
  await mkdir(DIR, { recursive: true });
  const jobs = [];
  for (const { id } of EXERCISE_LIST) {
    const input = path.join(DIR, `${id}.ipynb`);
    // Without the check cell (its last cell): grading inside every notebook would double this test's
    // time; test/integration/grade-check-cell.test.ts runs the check cell.
    const nb = instructorNotebook(id);
    await writeNotebook(input, { ...nb, cells: nb.cells.slice(0, -1) });
    jobs.push({ input, output: path.join(DIR, `${id}.out.ipynb`) });
  }
  const learner = {
    input: path.join(ROOT, "notebooks/exercises/safe-counter.ipynb"),
    output: path.join(DIR, "learner-safe-counter.out.ipynb"),
  };
  const done = await runNotebooks([...jobs, learner], { jobs: 2, timeoutSec: 60 });
  EXERCISE_LIST.forEach(({ id }, i) => runs.set(id, done[i]!));
  learnerRun = done[done.length - 1]!;
}, 600_000);
afterAll(() => rm(DIR, { recursive: true, force: true }));

describe("instructor notebooks in tslab", () => {
  it.each(EXERCISE_LIST.map((e) => [e.id] as const))(
    "%s runs without an error and prints what it promises",
    async (id) => {
      const run = runs.get(id)!;
      expect(run.error?.message, `${id}: ${run.error?.message}`).toBeUndefined();
      expect(run.ok).toBe(true);
      const nb = await readNotebook(run.output);
      const text = nb.cells
        .flatMap((c) =>
          c.cell_type === "code"
            ? (c.outputs as Array<{ text?: string | string[] }>).map((o) => joinSource(o.text))
            : [],
        )
        .join("");
      expect(text).toMatch(PROMISE[id]!);
    },
  );
});

it("the learner's notebook stops at the stub with `not implemented`", () => {
  expect(learnerRun.ok).toBe(false);
  expect(learnerRun.error?.message).toMatch(/not implemented/);
});
