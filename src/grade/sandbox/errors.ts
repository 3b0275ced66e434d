/**
 * Why a call into the submission did not give an answer. The suite lets these propagate; the grader
 * maps them to a test status by `name` (`SandboxTimeoutError` -> "timeout", the others -> "error").
 */
export class SandboxTimeoutError extends Error {
  override name = "SandboxTimeoutError";
}
/** The submission's process ended (process.exit, a crash, out of memory) before answering. */
export class SandboxExitError extends Error {
  override name = "SandboxExitError";
}
/** The submission threw while loading (top-level code). */
export class SubmissionLoadError extends Error {
  override name = "SubmissionLoadError";
}
/** The submission's code threw (or rejected) during a call. */
export class SubmissionThrewError extends Error {
  override name = "SubmissionThrewError";
}
