"use strict";
/**
 * The entry of a child process started by `Process`, `runInProcess` or a `ProcessPool` (child_process.fork, IPC
 * with the "advanced" serialization, so values are structured clones as with threads).
 *
 * Protocol (every internal message carries `__kh`; anything else is the learner's own message):
 *   parent -> child  { __kh: "run", id, target, args, name, exitAfter, printErrors }
 *   child  -> parent { __kh: "result", id, ok, value | error, t0, t1 }
 * With `exitAfter` (a Process) the child exits after the target: code 0, or 1 when it threw (the error printed to
 * stderr, as Python prints a process's traceback). A pool child stays and serves the next run message.
 */
const { Worker } = require("node:worker_threads");
const { loadTarget, serializeError, flushStdio, now } = require("./target.cjs");
const globals = require("./globals.cjs");

// No orphans. A child must not outlive its parent: when the parent dies the IPC channel closes ('disconnect').
// A target busy in a synchronous loop never lets that event run, so a watcher thread also polls the parent pid
// (re-parenting changes it) and kills this process from outside the busy event loop. The parent's pid comes from
// the environment, not from process.ppid at start: a parent killed while this child was still booting would
// otherwise be taken for init and never missed.
const parentPid = Number(process.env.KH_PARENT_PID) || process.ppid;
if (process.ppid !== parentPid) process.exit(0);
process.on("disconnect", () => process.exit(0));
const watcher = new Worker(
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
  for (const name of ["stdout", "stderr"]) {
    const stream = process[name];
    stream.write = function (chunk, encoding, callback) {
      if (typeof encoding === "function") callback = encoding;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text && process.connected) process.send({ __kh: "out", stream: name, text });
      if (typeof callback === "function") process.nextTick(callback);
      return true;
    };
  }
}

function send(message) {
  return new Promise((resolve) => {
    try {
      process.send(message, () => resolve());
    } catch (error) {
      // The return value cannot be serialized: report that instead (the parent would otherwise wait forever).
      process.send(
        {
          __kh: "result",
          id: message.id,
          ok: false,
          error: { name: "DataCloneError", message: String(error && error.message), code: "ERR_NOT_CLONEABLE" },
          t0: message.t0,
          t1: message.t1,
        },
        () => resolve(),
      );
    }
  });
}

let queue = Promise.resolve();

async function run(task) {
  if (task.name) globals.install({ processName: task.name });
  const t0 = now();
  let result;
  try {
    const fn = await loadTarget(task.target);
    let value;
    if (task.chunk) {
      value = [];
      for (const item of task.items) value.push(await fn(item));
    } else {
      value = await fn(...task.args);
    }
    result = { __kh: "result", id: task.id, ok: true, value, t0, t1: now() };
  } catch (error) {
    result = { __kh: "result", id: task.id, ok: false, error: serializeError(error, task.target), t0, t1: now() };
    if (task.printErrors) {
      process.stderr.write(
        `Process ${task.name}:\n${result.error.stack || `${result.error.name}: ${result.error.message}`}\n`,
      );
    }
  }
  await flushStdio();
  await send(result);
  if (task.exitAfter) process.exit(result.ok ? 0 : 1);
}

// The learner's messages that arrive before the target listens (the parent may send right after start(), while
// the target is still loading) are kept and delivered once it calls process.on("message"), as a Pipe would.
const early = [];

function onMessage(message) {
  if (message && message.__kh === "run") {
    // Why a chain: a pool sends one task at a time, but a late message must never run two targets at once.
    queue = queue.then(() => run(message));
  } else if (process.listenerCount("message") === 1) {
    early.push(message);
  }
}
process.on("message", onMessage);
process.on("newListener", (event, listener) => {
  if (event !== "message" || listener === onMessage || early.length === 0) return;
  setImmediate(() => {
    for (const message of early.splice(0)) listener(message);
  });
});
