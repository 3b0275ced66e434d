import type { SandboxLimits } from "./sandbox/limits.ts";

/** Status of one graded test, as DESIGN.md's JSON format spells it. */
export type TestStatus = "passed" | "failed" | "timeout" | "error";

/** One test of a graded submission. */
export interface TestOutcome {
  name: string;
  score: number;
  maxScore: number;
  status: TestStatus;
  /** Why it failed (assertion, timeout, crash), with the submission's output when it helps. */
  output: string;
}

/** A graded submission. `error` is set when it could not be graded at all (every test then scores 0). */
export interface GradeResult {
  file: string;
  exercise: string;
  score: number;
  maxScore: number;
  tests: TestOutcome[];
  elapsedMs: number;
  error?: string;
}

/** Options of one grading run. */
export interface GradeOptions {
  /** Wall-clock limit for one submission's whole suite, in seconds. @default 120 */
  timeoutSec: number;
  /** Wall-clock limit for one test, in ms. @default 30000 */
  testTimeoutMs: number;
  /** Upper bound for one call into the submission (load, or one probe), in ms. @default 10000 */
  callTimeoutMs: number;
  /** Memory and output limits of each sandbox process (defaults: DEFAULT_LIMITS in sandbox/limits.ts). */
  limits?: Partial<SandboxLimits>;
  /** Submissions graded at once. @default 1 */
  jobs: number;
}
