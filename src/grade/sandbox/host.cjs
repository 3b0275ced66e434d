// @ts-check
// The sandbox process: loads the probes (trusted code the suite asks to run) and the submission,
// then answers the suite's calls over the IPC channel. Everything here shares a process with the
// submission, so nothing here is trusted to score: the suite (in another process) checks results,
// and the grader's parent computes the score from the suite runner's reports only.
"use strict";
const path = require("node:path");

/** @typedef {import("./protocol.ts").HostMessage} HostMessage */
/** @typedef {import("./protocol.ts").CallMessage} CallMessage */
/** @typedef {import("./protocol.ts").WireError} WireError */
/** @typedef {(submission: unknown, args: unknown, ctx: { workdir: string }) => unknown} Probe */

const workdir = __dirname;
// Before the loads below: a submission refused at load time is serialized with this note.
const DENIED =
  " (ERR_ACCESS_DENIED: in the grading sandbox your code may read only its own folder and node_modules, write only scratch/, and start no child process)";
/** @type {Record<string, Probe | undefined>} */
let probes = {};
/** @type {unknown} */
let submission;
/** @type {WireError | undefined} */
let loadError;
try {
  probes = require(path.join(workdir, "probes.js"));
} catch (error) {
  loadError = {
    name: "ProbeLoadError",
    message: `grader bug: probes failed to load: ${error instanceof Error ? error.stack : String(error)}`,
  };
}
if (!loadError) {
  try {
    submission = require(path.join(workdir, "submission.js"));
  } catch (error) {
    loadError = serialize(error);
  }
}

/**
 * An error as it crosses the channel, with a hint when the permission model refused something.
 * @param {unknown} error
 * @returns {WireError}
 */
function serialize(error) {
  if (error instanceof Error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    const message = code === "ERR_ACCESS_DENIED" ? error.message + DENIED : error.message;
    return { name: error.name, message, stack: String(error.stack ?? "") };
  }
  return { name: "NonError", message: `threw a non-Error value: ${safeString(error)}` };
}
/** @param {unknown} value */
function safeString(value) {
  try {
    return String(value).slice(0, 500);
  } catch {
    return "(unprintable)";
  }
}
/** @param {HostMessage} message */
function send(message) {
  if (process.connected) process.send?.(message);
}

// An uncaught exception (an unhandled 'error' event, a throw in a timer) or an unhandled rejection
// ends the process, as it would for the learner's program (Node's default): report it, then exit.
/** @param {unknown} error */
function fatal(error) {
  /** @type {HostMessage} */
  const message = { type: "uncaught", error: serialize(error) };
  if (process.connected && process.send) process.send(message, undefined, {}, () => process.exit(70));
  else process.exit(70);
}
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
// The suite's process went away: nothing will ever read our answers.
process.on("disconnect", () => process.exit(0));

process.on("message", async (/** @type {CallMessage | undefined} */ message) => {
  if (!message || message.type !== "call") return;
  const { id, probe, args } = message;
  try {
    if (loadError)
      throw Object.assign(new Error(loadError.message), { name: "SubmissionLoadError", original: loadError });
    const fn = probes[probe];
    if (typeof fn !== "function") throw new Error(`grader bug: no probe named ${probe}`);
    const value = await fn(submission, args, { workdir });
    send({ type: "result", id, ok: true, value });
  } catch (error) {
    send({ type: "result", id, ok: false, error: loadError ? { ...loadError, atLoad: true } : serialize(error) });
  }
});
send({ type: "ready", loadError });
