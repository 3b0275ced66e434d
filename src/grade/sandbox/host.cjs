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

// Why the channel is taken out of the submission's reach, before anything else loads: the submission shares
// this process. With `process.send` it could answer a call before the probe does, with a value made to pass
// the suite's check (measured: a counter that counted nothing scored 10/10 that way), and with a 'message'
// listener it would see every call. So the host keeps Node's own sender and emit, removes the sender from
// `process`, and takes the 'message' events inside emit, where no listener of the submission's sees them.
// What goes out is text from wire-codec.cjs (it says why not the channel's own serialisation), on a JSON
// channel, whose only step the submission could reach is the pipe's write method: locked below.
const wire = require("./wire-codec.cjs");
const encodeWire = wire.encodeWire;
const decodeWire = wire.decodeWire;

/** @type {(message: unknown, handle: undefined, options: object, callback?: () => void) => boolean} */
const channelSend = /** @type {{ _send: never }} */ (/** @type {unknown} */ (process))._send; // Node's own (child_process.js)
if (typeof channelSend !== "function")
  throw new Error("grader bug: this Node has no process._send (the sandbox needs its IPC sender)");
const processEmit = process.emit;
const reflectApply = Reflect.apply;
const noChannel = { value: undefined, writable: false, configurable: false, enumerable: false };
Object.defineProperty(process, "send", noChannel);
Object.defineProperty(process, "_send", noChannel);
/** @type {(text: unknown) => void} */
let onCall = () => {};
Object.defineProperty(process, "emit", {
  /** @param {string | symbol} event @param {unknown[]} args */
  value: function emit(event, ...args) {
    if (event !== "message") return reflectApply(processEmit, this, [event, ...args]);
    onCall(args[0]);
    return true;
  },
  writable: false,
  configurable: false,
});
// A listener keeps the channel counted as in use (Node unrefs an IPC channel nobody listens on).
process.on("message", () => {});
// The JSON channel writes with the pipe handle's writeUtf8String, found through its class's prototype chain,
// which the submission can reach through any pipe (process.stdout's handle here): that one method is made
// fixed, and nothing may be added in front of it.
{
  const stdoutHandle = /** @type {{ _handle?: object }} */ (/** @type {unknown} */ (process.stdout))._handle;
  let proto = stdoutHandle ? Object.getPrototypeOf(stdoutHandle) : null;
  let locked = false;
  while (proto && proto !== Object.prototype) {
    const own = Object.getOwnPropertyDescriptor(proto, "writeUtf8String");
    if (own) {
      Object.defineProperty(proto, "writeUtf8String", { writable: false, configurable: false });
      locked = true;
      break;
    }
    Object.preventExtensions(proto);
    proto = Object.getPrototypeOf(proto);
  }
  if (!locked) throw new Error("grader bug: the sandbox's stdout is not a pipe (its write method cannot be locked)");
}

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
/**
 * @param {HostMessage} message
 * @param {() => void} [callback]
 */
function send(message, callback) {
  if (!process.connected) return callback?.();
  let text;
  try {
    text = encodeWire(message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unencodable";
    /** @type {HostMessage} */
    const failed =
      message.type === "result"
        ? {
            type: "result",
            id: message.id,
            ok: false,
            error: { name: "TypeError", message: `its result could not be sent: ${reason}` },
          }
        : { type: "uncaught", error: { name: "TypeError", message: `a report could not be sent: ${reason}` } };
    text = encodeWire(failed);
  }
  reflectApply(channelSend, process, [text, undefined, { swallowErrors: false }, callback]);
}

// An uncaught exception (an unhandled 'error' event, a throw in a timer) or an unhandled rejection
// ends the process, as it would for the learner's program (Node's default): report it, then exit.
/** @param {unknown} error */
function fatal(error) {
  /** @type {HostMessage} */
  const message = { type: "uncaught", error: serialize(error) };
  send(message, () => process.exit(70));
}
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
// The suite's process went away: nothing will ever read our answers.
process.on("disconnect", () => process.exit(0));

onCall = async (/** @type {unknown} */ text) => {
  if (typeof text !== "string") return;
  const message = /** @type {CallMessage | undefined} */ (decodeWire(text));
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
};
send({ type: "ready", loadError });
