import { fork } from "node:child_process";
import path from "node:path";
import { syntaxErrors } from "./compile.ts";
import { declaredTests, type Exercise } from "./exercises.ts";
import type { RunnerMessage } from "./runner/protocol.ts";
import { outcomeOf, parsePoints } from "./outcome.ts";
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

const RUNNER = path.join(ROOT, "src/grade/runner/vitest-runner.mjs");

/** Kill a process group (the suite runner and every sandbox it started), ignoring one already gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Grade one submission: its code goes into a fresh folder, a trusted suite runner (vitest, another
 * process, its own process group) runs the exercise's suite, which drives the code in sandbox
 * processes. The score is computed here, from the runner's IPC messages only: nothing the
 * submission prints or sends reaches this process. Tests the runner never reported (it was killed,
 * or the whole-submission limit struck) are failed with the reason, so the maximum score never shrinks.
 */
export async function gradeSubmission(
  submission: Submission,
  exercise: Exercise,
  options: Partial<GradeOptions> = {},
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
  const problems: string[] = [];
  const work = await prepareWorkdir(submission.code, exercise.probes);
  try {
    // The folder as an argument too: `ps` then shows which submission a runner grades.
    const child = fork(RUNNER, [work.dir], {
      cwd: ROOT,
      detached: true,
      execArgv: ["--no-warnings"],
      env: {
        ...process.env,
        TSNB_GRADE_SUITE: exercise.suite,
        TSNB_GRADE_ROOT: ROOT,
        TSNB_GRADE_WORKDIR: work.dir,
        TSNB_GRADE_TEST_TIMEOUT_MS: String(opts.testTimeoutMs),
        TSNB_GRADE_CALL_TIMEOUT_MS: String(opts.callTimeoutMs),
        TSNB_GRADE_LIMITS: JSON.stringify(opts.limits ?? {}),
        TSNB_GRADE_PERMISSIONS: JSON.stringify(exercise.sandbox ?? {}),
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let runnerOutput = "";
    const keep = (chunk: Buffer) => {
      if (runnerOutput.length < 4000) runnerOutput += chunk.toString("utf8");
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let ended = false;
    child.on("message", (raw) => {
      const m = raw as RunnerMessage;
      if (m.type === "test") {
        const points = parsePoints(m.name);
        if (points !== undefined) reported.set(m.name, outcomeOf(m, points));
      } else if (m.type === "end") {
        ended = true;
        problems.push(...m.errors);
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutSec * 1000);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.on("error", (error) => {
        problems.push(`the suite runner could not start: ${error.message}`);
        resolve(null);
      });
    });
    clearTimeout(timer);
    killGroup(child.pid); // sandboxes left behind by a test that was cut short
    const why = timedOut
      ? `not run: grading stopped after ${opts.timeoutSec} s for the whole submission (--timeout)`
      : !ended
        ? `not run: the suite runner ended early (exit ${code})${runnerOutput ? `: ${runnerOutput.trim().slice(-800)}` : ""}`
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
    await work.dispose();
  }
}
