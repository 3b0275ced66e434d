"use strict";
/**
 * The task function of a `ThreadPool`'s piscina workers. A task is
 *   { target, args, shared, record }            -> target(...args)
 *   { target, items, chunk: true, record }      -> items.map(item => target(item)), one after another
 * The result is the value itself (the fast path: a pool's per-task cost is what the bench compares with raw
 * piscina), `{ __khRecord: { value, t0, t1, lane } }` when a timeline records, or `{ __khError: ... }` when the
 * target threw (so the closure check and the error's code survive the trip).
 */
const { workerData, threadId } = require("node:worker_threads");
const { loadTarget, serializeError, flushStdio, isDirty, now } = require("./target.cjs");
const globals = require("./globals.cjs");

const pool = (workerData && workerData.__khPool) || { name: "ThreadPool" };
// Why Atomics.add on a counter shared by the pool's workers: each worker (replacements too) gets its own number.
const index = pool.counter ? Atomics.add(new Int32Array(pool.counter), 0, 1) + 1 : threadId;
const lane = `${pool.name}-worker-${index}`;
globals.install({ threadName: lane });

/** A task that failed, as the main thread expects it. */
function failure(error, task, t0) {
  return { __khError: serializeError(error, task.target), lane, t0, t1: task.record ? now() : 0 };
}

/** The slow path: a module target, a chunk, a promise, recording, or printed output to flush first. */
async function finish(task, pending, t0) {
  let value;
  try {
    value = await pending;
  } catch (error) {
    value = failure(error, task, t0);
  }
  await flushStdio();
  if (task.record && !(value && value.__khError)) return { __khRecord: { value, t0, t1: now(), lane } };
  return value;
}

async function runChunk(fn, task) {
  const items = task.shared ? require("./wire.cjs").fromWire(task.items, task.wire) : task.items;
  const out = [];
  for (const item of items) out.push(await fn(item));
  return out;
}

/**
 * Runs one task. Why synchronous when it can be: a plain function target that returns a value and prints
 * nothing goes back without a single extra promise tick (the per-task cost is what the bench holds to 5%).
 */
function runTask(task) {
  const t0 = task.record ? now() : 0;
  let value;
  try {
    const fn = loadTarget(task.target);
    if (typeof fn !== "function")
      return finish(
        task,
        fn.then((f) => (task.chunk ? runChunk(f, task) : f(...args(task)))),
        t0,
      );
    value = task.chunk ? runChunk(fn, task) : fn(...args(task));
  } catch (error) {
    return finish(task, Promise.reject(error), t0);
  }
  if (isDirty() || task.record || (value !== null && typeof value === "object" && typeof value.then === "function")) {
    return finish(task, value, t0);
  }
  return value;
}

function args(task) {
  return task.shared ? require("./wire.cjs").fromWire(task.args, task.wire) : task.args;
}

module.exports = runTask;
