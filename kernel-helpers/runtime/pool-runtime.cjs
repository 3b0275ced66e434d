// @ts-check
"use strict";
/**
 * The task function of a `ThreadPool`'s piscina workers. A task (PoolTask, kernel-helpers/protocol.ts) is
 *   { target, args, shared, record }            -> target(...args)
 *   { target, items, chunk: true, record }      -> items.map(item => target(item)), one after another
 * The answer (PoolReply) is the value itself (the fast path: a pool's per-task cost is what the bench compares with
 * raw piscina), `{ __khRecord: { value, t0, t1, lane } }` when a timeline records, or `{ __khError: ... }` when the
 * target threw (so the closure check and the error's code survive the trip).
 */
const workerThreads = require("node:worker_threads");
const target = require("./target.cjs");
const globals = require("./globals.cjs");

/** @typedef {import("../protocol").PoolTask} PoolTask */
/** @typedef {import("../protocol").PoolFailed} PoolFailed */
/** @typedef {import("../protocol").PoolRecorded} PoolRecorded */
/** @typedef {import("./target.cjs").TargetFunction} TargetFunction */

/** @type {{ name: string, counter?: SharedArrayBuffer }} */
const pool = (workerThreads.workerData && workerThreads.workerData.__khPool) || { name: "ThreadPool" };
// Why Atomics.add on a counter shared by the pool's workers: each worker (replacements too) gets its own number.
const index = pool.counter ? Atomics.add(new Int32Array(pool.counter), 0, 1) + 1 : workerThreads.threadId;
const lane = `${pool.name}-worker-${index}`;
globals.install({ threadName: lane });

/**
 * A task that failed, as the main thread expects it.
 * @param {unknown} error
 * @param {PoolTask} task
 * @param {number} t0
 * @returns {PoolFailed}
 */
function failure(error, task, t0) {
  return { __khError: target.serializeError(error, task.target), lane, t0, t1: task.record ? target.now() : 0 };
}

/**
 * The slow path: a module target, a chunk, a promise, recording, or printed output to flush first.
 * @param {PoolTask} task
 * @param {unknown} pending
 * @param {number} t0
 * @returns {Promise<unknown>}
 */
async function finish(task, pending, t0) {
  /** @type {unknown} */
  let value;
  try {
    value = await pending;
  } catch (error) {
    value = failure(error, task, t0);
  }
  await target.flushStdio();
  if (task.record && !(typeof value === "object" && value !== null && "__khError" in value)) {
    /** @type {PoolRecorded} */
    const recorded = { __khRecord: { value, t0, t1: target.now(), lane } };
    return recorded;
  }
  return value;
}

/**
 * @param {TargetFunction} fn
 * @param {PoolTask} task
 */
async function runChunk(fn, task) {
  const items = task.shared ? require("./wire.cjs").fromWire(task.items, task.wire) : task.items;
  const out = [];
  for (const item of items || []) out.push(await fn(item));
  return out;
}

/**
 * Runs one task. Why synchronous when it can be: a plain function target that returns a value and prints
 * nothing goes back without a single extra promise tick (the per-task cost is what the bench holds to 5%).
 * @param {PoolTask} task
 * @returns {unknown}
 */
function runTask(task) {
  const t0 = task.record ? target.now() : 0;
  /** @type {unknown} */
  let value;
  try {
    const fn = target.loadTarget(task.target);
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
  if (target.isDirty() || task.record || isThenable(value)) return finish(task, value, t0);
  return value;
}

/**
 * @param {unknown} value
 * @returns {value is PromiseLike<unknown>}
 */
function isThenable(value) {
  return value !== null && typeof value === "object" && typeof (/** @type {{ then?: unknown }} */ (value).then) === "function";
}

/**
 * @param {PoolTask} task
 * @returns {unknown[]}
 */
function args(task) {
  return /** @type {unknown[]} */ (task.shared ? require("./wire.cjs").fromWire(task.args, task.wire) : task.args);
}

module.exports = runTask;
