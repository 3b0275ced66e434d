/** Messages from the trusted suite runner to the grader (the only input the score is computed from). */
export type RunnerMessage =
  | {
      type: "test";
      name: string;
      state: "passed" | "failed" | "skipped" | "pending";
      errors: Array<{ name: string; message: string }>;
      durationMs: number;
    }
  | { type: "end"; errors: string[] };
