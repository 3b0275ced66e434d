// @ts-check
"use strict";
/**
 * The entry of a child process started by `Process`, `runInProcess` or a `ProcessPool` (child_process.fork, IPC
 * with the "advanced" serialization, so values are structured clones as with threads).
 *
 * Messages: kernel-helpers/protocol.ts (every internal message carries `__kh`; anything else is the learner's own):
 * a RunMessage in, a ResultMessage out per run, and OutputMessages from a pool child. With `exitAfter` (a Process) the child exits after the target: code 0, or 1 when it threw (the error printed to
 * stderr, as Python prints a process's traceback). A pool child stays and serves the next run message.
 */
const workerThreads = require("node:worker_threads");
const target = require("./target.cjs");
const globals = require("./globals.cjs");

/** @typedef {import("../protocol").RunMessage} RunMessage */
/** @typedef {import("../protocol").ResultMessage} ResultMessage */
/** @typedef {import("../protocol").OutputMessage} OutputMessage */
/** @typedef {RunMessage | ResultMessage | OutputMessage} RuntimeMessage */

// No orphans. A child must not outlive its parent: when the parent dies the IPC channel closes ('disconnect').
// A target busy in a synchronous loop never lets that event run, so a watcher thread also polls the parent pid
// (re-parenting changes it) and kills this process from outside the busy event loop. The parent's pid comes from
// the environment, not from process.ppid at start: a parent killed while this child was still booting would
// otherwise be taken for init and never missed.
const parentPid = Number(process.env.KH_PARENT_PID) || process.ppid;
if (process.ppid !== parentPid) process.exit(0);
process.on("disconnect", () => process.exit(0));
const watcher = new workerThreads.Worker(
  `const { workerData } = require("node:worker_threads");
   const check = () => { if (process.ppid !== workerData) process.kill(process.pid, "SIGKILL"); };
   check();
   setInterval(check, 500);`,
  { eval: true, workerData: parentPid, stdout: false, stderr: false },
);
watcher.unref();

globals.install({ processName: process.env.KH_PROCESS_NAME || `Process-${process.pid}` });

// A pool child's console output travels on the IPC channel, in order with its results: a task's lines then reach
// the cell before the task's promise resolves (stdout is another pipe, read in no fixed order with IPC).
if (process.env.KH_POOL === "1") {
  for (const name of /** @type {const} */ (["stdout", "stderr"])) {
    const stream = process[name];
    /**
     * @param {string | Uint8Array} chunk
     * @param {BufferEncoding | ((error?: Error | null) => void)} [encoding]
     * @param {(error?: Error | null) => void} [callback]
     */
    const write = function (chunk, encoding, callback) {
      if (typeof encoding === "function") callback = encoding;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text && process.connected) post({ __kh: "out", stream: name, text });
      if (typeof callback === "function") process.nextTick(callback);
      return true;
    };
    /** @type {any} */ (stream).write = write;
  }
}

/**
 * Sends an internal message to the parent (the IPC channel exists: this process was forked with one).
 * @param {RuntimeMessage} message
 * @param {(error: Error | null) => void} [callback]
 */
function post(message, callback) {
  /** @type {NonNullable<typeof process.send>} */ (process.send)(message, undefined, undefined, callback);
}

/**
 * @param {ResultMessage} message
 * @returns {Promise<void>}
 */
function send(message) {
  return new Promise((resolve) => {
    try {
      post(message, () => resolve());
    } catch (error) {
      // The return value cannot be serialized: report that instead (the parent would otherwise wait forever).
      post(
        {
          __kh: "result",
          id: message.id,
          ok: false,
          error: { name: "DataCloneError", message: String(error instanceof Error ? error.message : error), code: "ERR_NOT_CLONEABLE" },
          t0: message.t0,
          t1: message.t1,
        },
        () => resolve(),
      );
    }
  });
}

let queue = Promise.resolve();

/** @param {RunMessage} task */
async function run(task) {
  if (task.name) globals.install({ processName: task.name });
  const t0 = target.now();
  /** @type {ResultMessage} */
  let result;
  try {
    const fn = await target.loadTarget(task.target);
    let value;
    if (task.chunk) {
      const out = [];
      for (const item of task.items || []) out.push(await fn(item));
      value = out;
    } else {
      value = await fn(...task.args);
    }
    result = { __kh: "result", id: task.id, ok: true, value, t0, t1: target.now() };
  } catch (thrown) {
    const error = target.serializeError(thrown, task.target);
    result = { __kh: "result", id: task.id, ok: false, error, t0, t1: target.now() };
    if (task.printErrors) {
      process.stderr.write(`Process ${task.name}:\n${error.stack || `${error.name}: ${error.message}`}\n`);
    }
  }
  await target.flushStdio();
  await send(result);
  if (task.exitAfter) process.exit(result.ok ? 0 : 1);
}

// The learner's messages that arrive before the target listens (the parent may send right after start(), while
// the target is still loading) are kept and delivered once it calls process.on("message"), as a Pipe would.
/** @type {unknown[]} */
const early = [];

/** @param {unknown} message */
function onMessage(message) {
  if (isRun(message)) {
    // Why a chain: a pool sends one task at a time, but a late message must never run two targets at once.
    queue = queue.then(() => run(message));
  } else if (process.listenerCount("message") === 1) {
    early.push(message);
  }
}
/**
 * @param {unknown} message
 * @returns {message is RunMessage}
 */
function isRun(message) {
  return typeof message === "object" && message !== null && /** @type {{ __kh?: unknown }} */ (message).__kh === "run";
}

process.on("message", onMessage);
process.on("newListener", (event, listener) => {
  if (event !== "message" || listener === onMessage || early.length === 0) return;
  setImmediate(() => {
    for (const message of early.splice(0)) listener(message);
  });
});
