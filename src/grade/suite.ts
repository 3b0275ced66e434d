/**
 * What a grading suite (exercises/<id>/suite.grade.ts) imports. A suite is a vitest file whose
 * tests are named "[points] what is checked"; it drives the submission only through a {@link Sandbox}
 * (another process), so the submission never runs inside the vitest process that reports scores.
 */
export { Sandbox, probe } from "./sandbox/client.ts";
export { SandboxExitError, SandboxTimeoutError, SubmissionLoadError, SubmissionThrewError } from "./sandbox/errors.ts";
