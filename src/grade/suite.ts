/**
 * What a grading suite (exercises/<id>/suite.grade.ts) imports. A suite is a vitest file whose
 * tests are named "[points] what is checked"; it drives the submission only through a {@link Sandbox}
 * (another process), so the submission never runs inside the vitest process that reports scores.
 */
import { afterAll } from "vitest";
import { Sandbox } from "./sandbox/client.ts";

export { Sandbox };
export { probe, type ProbeOptions } from "./sandbox/client.ts";
export { SandboxExitError, SandboxTimeoutError, SubmissionLoadError, SubmissionThrewError } from "./sandbox/errors.ts";

// Imported by a suite while vitest collects it: this hook runs when the suite's file ends, so no
// sandbox of this submission outlives its run in a warm runner (which grades the next one next).
afterAll(() => Sandbox.closeAll());
