/**
 * Messages between the grader and its trusted suite runner (vitest-runner.mjs), over the runner's
 * IPC channel. A runner is warm: it loads vitest and the exercise's suite once, then grades one
 * submission per `grade` message, one after another, answering each with its `test` reports and
 * one `end`. The runner's reports are the only input the score is computed from.
 */
export type RunnerMessage =
  | {
      type: "test";
      name: string;
      state: "passed" | "failed" | "skipped" | "pending";
      errors: Array<{ name: string; message: string }>;
      durationMs: number;
    }
  | { type: "end"; errors: string[] }
  /** Sent once, when vitest is loaded and the suite found: the runner takes `grade` messages. */
  | { type: "ready" };

/** Grader -> runner: grade the submission prepared in `workdir` (a fresh folder per submission). */
export interface GradeRequest {
  type: "grade";
  workdir: string;
}
