import { syntaxErrors } from "./compile.ts";
import { declaredTests, type Exercise } from "./exercises.ts";
import { outcomeOf, parsePoints } from "./outcome.ts";
import type { RunnerPool } from "./runner/runner-pool.ts";
import { SuiteRunner } from "./runner/suite-runner.ts";
import type { Submission } from "./submission.ts";
import type { GradeOptions, GradeResult, TestOutcome } from "./types.ts";
import { prepareWorkdir, ROOT } from "./workdir.ts";

/** Defaults of {@link GradeOptions}. */
export const DEFAULT_GRADE_OPTIONS: GradeOptions = {
  timeoutSec: 120,
  testTimeoutMs: 30_000,
  callTimeoutMs: 10_000,
  jobs: 1,
};

/**
 * Grade one submission: its code goes into a fresh folder, a trusted suite runner (vitest, another
 * process, its own process group) runs the exercise's suite, which drives the code in sandbox
 * processes. `runners` (from {@link gradeFiles}) lends a warm runner that graded earlier
 * submissions of the exercise (vitest and the suite already loaded); without it, a runner is started
 * for this submission and closed after. The score is computed here, from the runner's IPC messages only: nothing the
 * submission prints or sends reaches this process. Tests the runner never reported (it was killed,
 * or the whole-submission limit struck) are failed with the reason, so the maximum score never shrinks.
 */
export async function gradeSubmission(
  submission: Submission,
  exercise: Exercise,
  options: Partial<GradeOptions> = {},
  runners?: RunnerPool,
): Promise<GradeResult> {
  const opts = { ...DEFAULT_GRADE_OPTIONS, ...options };
  const started = performance.now();
  const declared = declaredTests(exercise.suite);
  // Code that does not parse fails every test with the place of the error (in the solution code,
  // not in the compiled JavaScript a load error would point at), and costs no process.
  const syntax = syntaxErrors(submission.code);
  if (syntax.length > 0) {
    const why = `your code does not parse:\n${syntax.slice(0, 5).join("\n")}`;
    return {
      file: submission.file,
      exercise: exercise.id,
      score: 0,
      maxScore: declared.reduce((s, d) => s + d.points, 0),
      tests: declared.map((d) => ({ name: d.name, score: 0, maxScore: d.points, status: "error", output: why })),
      elapsedMs: Math.round(performance.now() - started),
      error: why,
    };
  }
  const reported = new Map<string, TestOutcome>();
  // A warm runner from the batch's pool, or one of our own for a single submission. Taken before
  // the folder is prepared: a new runner loads vitest and the suite in its own process meanwhile.
  const runner = runners ? await runners.take(exercise) : new SuiteRunner(exercise, ROOT, opts);
  let work: Awaited<ReturnType<typeof prepareWorkdir>> | undefined;
  try {
    work = await prepareWorkdir(submission.code, exercise.probes);
    const run = await runner.grade(work.dir, opts.timeoutSec * 1000);
    for (const m of run.tests) {
      const points = parsePoints(m.name);
      if (points !== undefined) reported.set(m.name, outcomeOf(m, points));
    }
    const { timedOut, ended, errors: problems } = run;
    const why = timedOut
      ? `not run: grading stopped after ${opts.timeoutSec} s for the whole submission (--timeout)`
      : !ended
        ? `not run: the suite runner ended early (exit ${run.exitCode})${run.output ? `: ${run.output.slice(-800)}` : ""}`
        : `not run${problems.length ? `: ${problems.join("; ").slice(0, 800)}` : ""}`;
    const tests: TestOutcome[] = declared.map(
      (d) =>
        reported.get(d.name) ?? {
          name: d.name,
          score: 0,
          maxScore: d.points,
          status: timedOut ? "timeout" : "error",
          output: why,
        },
    );
    // A test the runner reported that the source scan missed (a name built at run time) still counts.
    for (const [name, outcome] of reported) if (!declared.some((d) => d.name === name)) tests.push(outcome);
    const result: GradeResult = {
      file: submission.file,
      exercise: exercise.id,
      score: tests.reduce((s, t) => s + t.score, 0),
      maxScore: tests.reduce((s, t) => s + t.maxScore, 0),
      tests,
      elapsedMs: Math.round(performance.now() - started),
    };
    if (timedOut || !ended) result.error = why.replace(/^not run: /, "");
    return result;
  } finally {
    if (runners) runners.give(runner);
    else await runner.close();
    await work?.dispose();
  }
}
