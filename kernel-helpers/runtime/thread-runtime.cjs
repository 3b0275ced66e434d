"use strict";
/**
 * The entry of a `Thread`'s worker: runs one target with its arguments, posts `{ ok, value | error, t0, t1 }`, and
 * ends the thread (as a Python thread ends when its target returns, whatever timers it left behind).
 */
const { parentPort, workerData } = require("node:worker_threads");
const { loadTarget, serializeError, flushStdio, now } = require("./target.cjs");
const globals = require("./globals.cjs");

const spec = workerData.__kh;
globals.install({ threadName: spec.name });

async function main() {
  const t0 = now();
  let message;
  try {
    const fn = await loadTarget(spec.target);
    const args = spec.shared ? require("./wire.cjs").fromWire(spec.args, spec.wire) : spec.args;
    const value = await fn(...args);
    message = { ok: true, value, t0, t1: now() };
  } catch (error) {
    message = { ok: false, error: serializeError(error, spec.target), t0, t1: now() };
  }
  // Why flush first: the result must not overtake the target's last console lines (they travel on another port).
  await flushStdio();
  try {
    parentPort.postMessage(message);
  } catch (error) {
    // The return value cannot be copied (a function, a socket ...): say so instead of failing silently.
    parentPort.postMessage({
      ok: false,
      error: {
        name: "DataCloneError",
        message: String(error && error.message),
        code: "ERR_NOT_CLONEABLE",
        stack: undefined,
      },
      t0: message.t0,
      t1: message.t1,
    });
  }
  process.exit(0);
}

main();
