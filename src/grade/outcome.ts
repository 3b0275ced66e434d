import type { RunnerMessage } from "./runner/protocol.ts";
import type { TestOutcome, TestStatus } from "./types.ts";

/** The points of a test named `"[points] what is checked"`, or undefined for an unscored test. */
export function parsePoints(name: string): number | undefined {
  const m = /^\[(\d+(?:\.\d+)?)\]/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * The status of a failed test, from the error the suite let through: a call that got no answer
 * (SandboxTimeoutError) or vitest's own per-test limit is a "timeout"; a submission process that
 * died, or code that threw while loading, is an "error"; an assertion or an exception thrown by the
 * learner's function is "failed".
 */
export function statusOf(errors: ReadonlyArray<{ name: string; message: string }>): TestStatus {
  const first = errors[0];
  if (!first) return "failed";
  if (first.name === "SandboxTimeoutError" || /^Test timed out in \d+ms/.test(first.message)) return "timeout";
  if (first.name === "SandboxExitError" || first.name === "SubmissionLoadError") return "error";
  return "failed";
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Strip ANSI colours and vitest's noise so the message reads well in a report. */
function clean(message: string): string {
  return message
    .replace(ANSI, "")
    .replace(/ \/\/ Object\.is equality/g, "")
    .replace(/\n\s*If this is a long-running test.*$/s, "")
    .trim();
}

/** One runner report turned into a scored outcome (all or nothing per test). */
export function outcomeOf(m: Extract<RunnerMessage, { type: "test" }>, points: number): TestOutcome {
  if (m.state === "passed") return { name: m.name, score: points, maxScore: points, status: "passed", output: "" };
  if (m.state !== "failed")
    return { name: m.name, score: 0, maxScore: points, status: "error", output: `not run (${m.state})` };
  const output = m.errors
    .map((e) =>
      clean(
        `${/Error$/.test(e.name) && e.name !== "Error" && e.name !== "AssertionError" && e.name !== "SubmissionThrewError" ? `${e.name}: ` : ""}${e.message}`,
      ),
    )
    .join("\n");
  return { name: m.name, score: 0, maxScore: points, status: statusOf(m.errors), output: output.slice(0, 4000) };
}
