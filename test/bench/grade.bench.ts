/**
 * Autograder figures (run once by `npm run bench`):
 * - grader.submission_ms: median wall time to grade one safe-counter notebook (the solved one).
 * - grader.overhead_ratio: that time over running the same suite directly with vitest (same
 *   sandbox, no grader: no workdir preparation, no runner process, no report).
 * - grader.jobs2_speedup: 20 submissions (10 solved, 10 stubs) with --jobs 2 versus --jobs 1.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { gradeFiles } from "../../src/grade/batch.ts";
import { exercises } from "../../src/grade/exercises.ts";
import { prepareWorkdir } from "../../src/grade/workdir.ts";
import { formatNotebook } from "../../src/notebook/index.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";
import type { BenchContext, Figure } from "./types.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The suite run by vitest alone, in a child process, against an already prepared sandbox folder. */
async function direct(root: string, suite: string, workdir: string): Promise<number> {
  const script = path.join(workdir, "..", `direct-${path.basename(workdir)}.mjs`);
  await writeFile(
    script,
    `import { startVitest } from ${JSON.stringify(path.join(root, "node_modules/vitest/dist/node.js"))};
const v = await startVitest("test", [], { watch: false, config: false, root: ${JSON.stringify(root)}, include: [${JSON.stringify(suite)}], reporters: [{}], pool: "threads" }, {});
await v.close();
process.exit(0);`,
  );
  const t0 = performance.now();
  await execa("node", [script], { cwd: root, env: { TSNB_GRADE_WORKDIR: workdir, TSNB_GRADE_ROOT: root } });
  const ms = performance.now() - t0;
  await rm(script, { force: true });
  return ms;
}

export async function bench(ctx: BenchContext): Promise<Record<string, Figure>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-grade-bench-"));
  try {
    const solved = path.join(dir, "solved.ipynb");
    await writeFile(solved, formatNotebook(instructorNotebook("safe-counter")));
    const stub = path.join(ctx.root, "notebooks/exercises/safe-counter.ipynb");
    const exercise = exercises().find((e) => e.id === "safe-counter")!;

    ctx.log("one submission, 3 runs");
    await gradeFiles([solved]); // warm the file cache and TypeScript
    const single: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const [r] = await gradeFiles([solved]);
      single.push(performance.now() - t0);
      if (r!.score !== r!.maxScore) throw new Error(`the solved notebook scored ${r!.score}/${r!.maxScore}`);
    }

    ctx.log("the suite directly, 3 runs");
    const raw: number[] = [];
    for (let i = 0; i < 3; i++) {
      const work = await prepareWorkdir(
        readFileSync(path.join(ctx.root, "exercises/safe-counter/solution.ts"), "utf8"),
        exercise.probes,
      );
      raw.push(await direct(ctx.root, exercise.suite, work.dir));
      await work.dispose();
    }

    const batch = [...Array.from({ length: 10 }, () => solved), ...Array.from({ length: 10 }, () => stub)];
    ctx.log("20 submissions, --jobs 1");
    let t0 = performance.now();
    await gradeFiles(batch, { jobs: 1 });
    const jobs1 = performance.now() - t0;
    ctx.log("20 submissions, --jobs 2");
    t0 = performance.now();
    await gradeFiles(batch, { jobs: 2 });
    const jobs2 = performance.now() - t0;

    return {
      "grader.submission_ms": {
        value: Math.round(median(single)),
        unit: "ms",
        target: "<= 3000",
        note: "median of 3, safe-counter solved notebook",
      },
      "grader.suite_direct_ms": {
        value: Math.round(median(raw)),
        unit: "ms",
        note: "the same suite run by vitest alone on a prepared sandbox",
      },
      "grader.overhead_ratio": {
        value: Math.round((median(single) / median(raw)) * 100) / 100,
        target: "<= 1.5",
        note: "grading / running the suite directly",
      },
      "grader.jobs2_speedup": {
        value: Math.round((jobs1 / jobs2) * 100) / 100,
        target: ">= 1.7",
        note: `20 submissions: ${Math.round(jobs1)} ms with --jobs 1, ${Math.round(jobs2)} ms with --jobs 2`,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
