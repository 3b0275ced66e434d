// @ts-check
"use strict";
/**
 * The entry of a `Thread`'s worker: runs one target with its arguments (`workerData.__kh`, a ThreadStart), posts a
 * ResultMessage (kernel-helpers/protocol.ts), and ends the thread (as a Python thread ends when its target returns,
 * whatever timers it left behind).
 */
const workerThreads = require("node:worker_threads");
const target = require("./target.cjs");
const globals = require("./globals.cjs");

/** @typedef {import("../protocol").ThreadStart} ThreadStart */
/** @typedef {import("../protocol").ResultMessage} ResultMessage */

const parentPort = /** @type {import("node:worker_threads").MessagePort} */ (workerThreads.parentPort);
const spec = /** @type {ThreadStart} */ (workerThreads.workerData.__kh);
globals.install({ threadName: spec.name });

async function main() {
  const t0 = target.now();
  /** @type {ResultMessage} */
  let message;
  try {
    const fn = await target.loadTarget(spec.target);
    const args = spec.shared ? require("./wire.cjs").fromWire(spec.args, spec.wire) : spec.args;
    const value = await fn(...args);
    message = { __kh: "result", id: 0, ok: true, value, t0, t1: target.now() };
  } catch (error) {
    message = { __kh: "result", id: 0, ok: false, error: target.serializeError(error, spec.target), t0, t1: target.now() };
  }
  // Why flush first: the result must not overtake the target's last console lines (they travel on another port).
  await target.flushStdio();
  try {
    parentPort.postMessage(message);
  } catch (error) {
    // The return value cannot be copied (a function, a socket ...): say so instead of failing silently.
    /** @type {ResultMessage} */
    const failed = {
      __kh: "result",
      id: 0,
      ok: false,
      error: { name: "DataCloneError", message: String(error instanceof Error ? error.message : error), code: "ERR_NOT_CLONEABLE", stack: undefined },
      t0: message.t0,
      t1: message.t1,
    };
    parentPort.postMessage(failed);
  }
  process.exit(0);
}

main();
