// @ts-check
// The trusted suite runner, forked by the grader with an IPC channel (messages: ./protocol.ts).
// It loads vitest and the exercise's suite once, then grades submissions one after another: for
// each `grade` message it points the suite at that submission's folder (TSNB_GRADE_WORKDIR, read
// by the suite's Sandbox when it starts a sandbox process), runs the suite, and reports each test's
// result, then `end`. The submission never runs in this process (the suite drives it in sandbox
// processes, fresh for every submission), so nothing the submission does can write to this channel,
// patch vitest here, or reach the next submission. Plain JavaScript: started without a TypeScript
// loader, ~200 ms sooner.

import { rmSync } from "node:fs";
import path from "node:path";

const suite = process.env["TSNB_GRADE_SUITE"];
const root = process.env["TSNB_GRADE_ROOT"];
const testTimeout = Number(process.env["TSNB_GRADE_TEST_TIMEOUT_MS"] ?? 30_000);
const maybeSend = process.send?.bind(process);
if (!suite || !root || !maybeSend)
  throw new Error("vitest-runner is started by `tsnb grade` (TSNB_GRADE_SUITE, TSNB_GRADE_ROOT, IPC)");
const ipcSend = maybeSend;

// The grader went away (killed, Ctrl-C): nobody will read our reports. End this process group, the
// sandboxes included (a submission stuck in a busy loop would never notice the grader left).
// Registered before vitest loads (a dynamic import below): a disconnect during that load would be missed.
const die = () => {
  // The grader would have removed the submission's folder: do it here (tmpdir must not fill up).
  const workdir = process.env["TSNB_GRADE_WORKDIR"];
  if (workdir && path.basename(workdir).startsWith("tsnb-grade-")) rmSync(workdir, { recursive: true, force: true });
  process.kill(-process.pid, "SIGKILL");
};
process.on("disconnect", die);
if (!process.connected) die();
const { createVitest } = await import("vitest/node");

/**
 * @param {import("./protocol.ts").RunnerMessage} message
 * @returns {Promise<void>} settles once the message is handed to the channel
 */
function send(message) {
  return new Promise((resolve) => ipcSend(message, undefined, {}, () => resolve()));
}

/** @param {import("vitest/node").TestCase} test */
function report(test) {
  const result = test.result();
  const errors =
    result.state === "failed"
      ? (result.errors ?? []).map((e) => ({ name: e.name ?? "Error", message: e.message ?? String(e) }))
      : [];
  return send({
    type: "test",
    name: test.name,
    state: result.state,
    errors,
    durationMs: test.diagnostic()?.duration ?? 0,
  });
}

/** @type {import("vitest/node").Reporter} */
const reporter = {
  onTestCaseResult: (test) => report(test),
  onTestRunEnd: async (modules, unhandled) => {
    const moduleErrors = modules.flatMap((m) => m.errors().map((e) => `${e.name ?? "Error"}: ${e.message}`));
    await send({
      type: "end",
      errors: [...moduleErrors, ...unhandled.map((e) => `${e.name ?? "Error"}: ${e.message}`)],
    });
  },
};

/** vitest's mode (as in `vitest run`), not a folder. */
const MODE = "test";
const vitest = await createVitest(MODE, {
  watch: false,
  config: false,
  root,
  include: [suite],
  reporters: [reporter],
  testTimeout,
  hookTimeout: testTimeout,
  pool: "threads",
  fileParallelism: false,
  passWithNoTests: false,
  silent: true,
});
const specifications = await vitest.globTestSpecifications();

// One submission at a time: the grader sends the next `grade` only after this one's `end`; a
// request that still arrives early waits its turn here (the chain), never runs beside another.
let queue = Promise.resolve();
process.on("message", (/** @type {import("./protocol.ts").GradeRequest} */ request) => {
  if (request?.type !== "grade") return;
  queue = queue.then(async () => {
    // Worker threads copy process.env when they start, and vitest starts a fresh one per run.
    process.env["TSNB_GRADE_WORKDIR"] = request.workdir;
    await vitest.runTestSpecifications(specifications).catch((/** @type {unknown} */ error) =>
      send({
        type: "end",
        errors: [`the suite did not run: ${error instanceof Error ? error.message : String(error)}`],
      }),
    );
  });
});
await send({ type: "ready" });
