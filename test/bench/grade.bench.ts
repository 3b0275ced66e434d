/**
 * Autograder figures (run once by `npm run bench`):
 * - grader.submission_ms: median wall time to grade one safe-counter notebook (the solved one) in a
 *   batch, where a warm suite runner (vitest and the suite loaded) grades one submission after another.
 * - grader.cold_submission_ms: the same notebook graded alone (`tsnb grade one.ipynb`: a runner
 *   started for it).
 * - grader.overhead_ratio: the cold time over running the same suite directly with vitest (same
 *   sandbox, no grader: no workdir preparation, no runner process, no report).
 * - grader.jobs2_speedup: 20 submissions (10 solved, 10 stubs) with --jobs 2 versus --jobs 1, with
 *   the cores the --jobs 1 run kept busy (CPU time of the grader's processes / wall time): a run that
 *   already fills the machine's cores cannot gain from a second job.
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

/** CPU time (ms) of this process and of its children that ended (runners reap their sandboxes). */
function cpuWithChildrenMs(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime: fields 14-17, in clock ticks (100 a second on Linux)
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

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

    ctx.log("one submission after another in a warm runner, 5 runs");
    const warm = (await gradeFiles(Array.from({ length: 6 }, () => solved))).slice(1).map((r) => {
      if (r.score !== r.maxScore) throw new Error(`the solved notebook scored ${r.score}/${r.maxScore}`);
      return r.elapsedMs;
    });

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
    const cpu0 = cpuWithChildrenMs();
    await gradeFiles(batch, { jobs: 1 });
    const jobs1 = performance.now() - t0;
    const cores = (cpuWithChildrenMs() - cpu0) / jobs1;
    ctx.log("20 submissions, --jobs 2");
    t0 = performance.now();
    await gradeFiles(batch, { jobs: 2 });
    const jobs2 = performance.now() - t0;

    return {
      "grader.submission_ms": {
        value: Math.round(median(warm)),
        unit: "ms",
        target: "<= 1000",
        note: "median of 5, safe-counter solved notebook, one after another in a warm suite runner",
      },
      "grader.cold_submission_ms": {
        value: Math.round(median(single)),
        unit: "ms",
        note: "median of 3, the same notebook graded alone (a suite runner started for it)",
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
        note: `20 submissions: ${Math.round(jobs1)} ms with --jobs 1 (its processes kept ${Math.round(cores * 100) / 100} of ${os.availableParallelism()} cores busy), ${Math.round(jobs2)} ms with --jobs 2`,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
