/**
 * The "Check your work" cell of an exercise notebook (exercises/build-notebooks.ts adds it):
 *
 * ```ts
 * import { checkYourWork } from "../../src/grade/check-cell/check-cell";
 * await checkYourWork("safe-counter");
 * ```
 *
 * It grades the saved notebook's solution cells with the same sandboxed grader and suites as
 * `tsnb grade`, in a separate process (child.ts): the learner's code never runs in this kernel for
 * the check, so a hang or a crash in it cannot hang or kill the kernel. It sends the kernel's
 * top-level definitions along, so the line above the table says whether the saved solution is what
 * the kernel last ran. Compiled by tslab's TypeScript 5.0: Node built-ins and the helpers' display only.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { displayHtml } from "../../../kernel-helpers/viz/display";
import type { CheckRequest, CheckResponse, LiveDefinitionWire } from "./protocol";

/** Options of {@link checkYourWork}. */
export interface CheckOptions {
  /**
   * Give up waiting for the grader after this many seconds (the grader has its own, shorter limits:
   * 120 s for the whole suite, as `tsnb grade`). @default 300
   */
  timeoutSec?: number;
}

const ROOT = resolve(__dirname, "../../..");
const MAX_OUTPUT = 4_000_000;

/** The kernel's top-level names (tslab keeps them in `__tslab__.exports`), or null outside tslab. */
function liveDefinitions(): Record<string, LiveDefinitionWire> | null {
  const tslab = (globalThis as { __tslab__?: { exports?: Record<string, unknown> } }).__tslab__;
  if (!tslab || !tslab.exports) return null;
  const out: Record<string, LiveDefinitionWire> = {};
  for (const name of Object.keys(tslab.exports)) {
    let value: unknown;
    try {
      value = tslab.exports[name];
    } catch {
      continue; // a getter that throws: nothing to compare
    }
    const def: LiveDefinitionWire = { type: typeof value };
    if (typeof value === "function") {
      try {
        def.source = Function.prototype.toString.call(value).slice(0, 200_000);
      } catch {
        // a proxy that refuses toString: compared as absent source
      }
    }
    out[name] = def;
  }
  return out;
}

/** What the cell was told when the kernel was interrupted while the check ran. */
const INTERRUPTED = "interrupted";

/** Run the grading process and read its one JSON answer ({@link INTERRUPTED} if the kernel was interrupted). */
function runChild(request: CheckRequest, timeoutSec: number): Promise<CheckResponse | typeof INTERRUPTED> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--no-warnings", join(ROOT, "src/grade/check-cell/child.ts")],
      {
        cwd: ROOT, // where `tsx` and the grader's dependencies resolve
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, NODE_OPTIONS: "" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 8000) stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutSec * 1000);
    // Why listen for SIGINT: the kernel's interrupt (Jupyter's stop button, `tsnb run`'s cell timeout) is a
    // SIGINT to this process; tslab then ends the cell's await at once, but the grading process would run on
    // for up to the grader's limits, grading nobody waits for. Kill it: its suite runners see their IPC channel
    // close and end their own process groups, sandboxes included. (tslab's own SIGINT listener still runs.)
    let interrupted = false;
    const onInterrupt = () => {
      interrupted = true;
      child.kill("SIGKILL");
    };
    process.on("SIGINT", onInterrupt);
    const settle = () => {
      clearTimeout(timer);
      process.off("SIGINT", onInterrupt);
    };
    child.on("error", (error) => {
      settle();
      done({ ok: false, message: `the grader could not start: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      settle();
      if (interrupted) return done(INTERRUPTED);
      try {
        done(JSON.parse(stdout) as CheckResponse);
      } catch {
        const why =
          signal === "SIGKILL" ? `no answer within ${timeoutSec} s` : `it ended with ${signal ?? `exit code ${code}`}`;
        done({ ok: false, message: `the grader failed (${why})${stderr ? `:\n${stderr.trim().slice(-2000)}` : ""}` });
      }
    });
    child.stdin.on("error", () => undefined); // a child that died early: its exit says why
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * Grade this notebook's exercise and show each test, its points and why it failed, then
 * `Score: X / Y`. Grades the saved notebook: save (Ctrl+S) first; the line above the table says
 * whether that is also what this kernel last ran.
 * @param exercise the exercise id (the solution cell's `grade_id`)
 * @example await checkYourWork("safe-counter");
 */
export async function checkYourWork(exercise: string, options: CheckOptions = {}): Promise<void> {
  const request: CheckRequest = {
    exercise,
    dir: process.cwd(),
    live: liveDefinitions(),
    ...(process.env["JPY_SESSION_NAME"] ? { session: process.env["JPY_SESSION_NAME"] } : {}),
  };
  // Why leave the cell's synchronous part first: while it runs, Node's vm (breakOnSigint) has moved tslab's
  // SIGINT listener aside and watches SIGINT itself; a listener added then installs a handler that the watch
  // overwrites when it ends (it restores the default action), and the next interrupt kills the kernel.
  await new Promise((resolve) => setImmediate(resolve));
  const response = await runChild(request, options.timeoutSec ?? 300);
  // Interrupted: tslab has already ended this cell; anything printed now would land in a later cell's output.
  if (response === INTERRUPTED) return;
  if (!response.ok) {
    console.log(`Could not check your work: ${response.message}`);
    return;
  }
  displayHtml(response.html, response.text);
  console.log(response.scoreLine);
}
