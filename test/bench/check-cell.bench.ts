/**
 * The check cell's figure (run by `npm run bench`, or `--only check-cell`):
 * - grader.check_cell_ms: wall time of the "Check your work" cell in a real tslab kernel, for the
 *   solved safe-counter notebook (median of 3; the solution cell ran first, as a learner would).
 * - grader.check_cell_vs_cli: that time over `tsnb grade` on the same saved notebook, measured in the
 *   same run, alternating (goal <= 1.2: the cell adds one process start and the kernel comparison).
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type * as nbformat from "@jupyterlab/nbformat";
import { startKernel } from "../../src/kernel/index.ts";
import { joinSource, writeNotebook } from "../../src/notebook/index.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";
import type { BenchContext, Figure } from "./types.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function bench(ctx: BenchContext): Promise<Record<string, Figure>> {
  // Two folders below the root, like notebooks/exercises/: the check cell imports ../../src/...
  const dir = path.join(ctx.root, ".tsnb-tmp", `bench-check-cell-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const nb = instructorNotebook("safe-counter");
  const file = path.join(dir, "safe-counter.ipynb");
  await writeNotebook(file, nb);
  const isSolution = (c: nbformat.ICell) => (c.metadata as { nbgrader?: { solution?: boolean } }).nbgrader?.solution;
  const solution = joinSource(nb.cells.find(isSolution)!.source);
  const check = joinSource(nb.cells[nb.cells.length - 1]!.source);
  const kernel = await startKernel({ cwd: dir });
  try {
    await kernel.execute(solution, { timeoutSec: 60 });
    ctx.log("warm-up: the check cell once, tsnb grade once");
    await kernel.execute(check, { timeoutSec: 300 });
    await execa("node", [path.join(ctx.root, "bin/tsnb.js"), "grade", file], { cwd: ctx.root });
    const cell: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < 3; i++) {
      ctx.log(`run ${i + 1}/3: the check cell, then tsnb grade`);
      let t0 = performance.now();
      const r = await kernel.execute(check, { timeoutSec: 300 });
      cell.push(performance.now() - t0);
      const text = r.outputs.map((o) => joinSource((o as nbformat.IStream).text ?? "")).join("");
      if (r.status !== "ok" || !text.includes("Score: 10 / 10"))
        throw new Error(`the check cell said: ${text} (${r.status})`);
      t0 = performance.now();
      await execa("node", [path.join(ctx.root, "bin/tsnb.js"), "grade", file], { cwd: ctx.root });
      cli.push(performance.now() - t0);
    }
    return {
      "grader.check_cell_ms": {
        value: Math.round(median(cell)),
        unit: "ms",
        note: `median of 3, solved safe-counter notebook in a tslab kernel (tsnb grade: ${Math.round(median(cli))} ms)`,
      },
      "grader.check_cell_vs_cli": {
        value: Math.round((median(cell) / median(cli)) * 100) / 100,
        target: "<= 1.2",
        note: "check cell / `tsnb grade` on the same saved notebook, alternating in one run",
      },
    };
  } finally {
    await kernel.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
}
