// @ts-check
"use strict";
/**
 * The task function of a `ThreadPool`'s piscina workers. A task (PoolTask, kernel-helpers/protocol.ts) is
 *   { target, args, shared, record }            -> target(...args)
 *   { target, items, chunk: true, record }      -> items.map(item => target(item)), one after another
 * or, in its compact form (PoolCall), [id, ...args] / [-id, ...items] with the function's source read once from the
 * pool's shared source table (pools/source-table.ts), or, for one argument, the bare argument with piscina's `name`
 * set to `src:<id>` (PoolCallName): this module then exports a handler per id. The answer (PoolReply) is the value itself (the fast path: a pool's per-task cost is what the bench compares with
 * raw piscina), `{ __khRecord: { value, t0, t1, lane } }` when a timeline records, or `{ __khError: ... }` when the
 * target threw (so the closure check and the error's code survive the trip).
 */
const workerThreads = require("node:worker_threads");
const target = require("./target.cjs");
const globals = require("./globals.cjs");

/** @typedef {import("../protocol").PoolTask} PoolTask */
/** @typedef {import("../protocol").PoolCall} PoolCall */
/** @typedef {import("../protocol").PoolFailed} PoolFailed */
/** @typedef {import("../protocol").PoolRecorded} PoolRecorded */
/** @typedef {import("./target.cjs").TargetFunction} TargetFunction */

/** @type {{ name: string, counter?: SharedArrayBuffer, sources?: SharedArrayBuffer }} */
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

/** @type {Map<number, string>} */
const sources = new Map();

/**
 * The source of a compact task's function: read from the pool's shared table once (layout: pools/source-table.ts,
 * `[length][UTF-8 bytes]` at int32 index `id`), then kept.
 * @param {number} id
 */
function sourceOf(id) {
  let source = sources.get(id);
  if (source === undefined) {
    const buffer = /** @type {SharedArrayBuffer} */ (pool.sources);
    const length = Atomics.load(new Int32Array(buffer), id);
    // TextDecoder refuses views of shared memory: copy the bytes out first.
    source = new TextDecoder().decode(new Uint8Array(buffer, (id + 1) * 4, length).slice());
    sources.set(id, source);
  }
  return source;
}

/**
 * Runs one task. Why synchronous when it can be: a plain function target that returns a value and prints
 * nothing goes back without a single extra promise tick (the per-task cost is what the bench holds to 5%).
 * @param {PoolTask} task
 * @returns {unknown}
 */
function runTask(task) {
  if (Array.isArray(task)) return runCall(/** @type {PoolCall} */ (/** @type {unknown} */ (task)));
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
 * Runs a compact task: the same steps as `runTask`, without building a task object on the fast path.
 * @param {PoolCall} call
 * @returns {unknown}
 */
function runCall(call) {
  const id = call[0];
  const source = sourceOf(id < 0 ? -id : id);
  /** @type {unknown} */
  let value;
  try {
    const fn = /** @type {import("./target.cjs").TargetFunction} */ (target.loadTarget(source));
    if (id < 0) {
      /** @type {PoolTask} */
      const chunk = { target: source, items: call.slice(1), chunk: true };
      return finish(chunk, runChunk(fn, chunk), 0);
    }
    call.shift(); // the cloned array is this task's own: what is left are the arguments
    value = fn(...call);
  } catch (error) {
    return finish({ target: source }, Promise.reject(error), 0);
  }
  if (target.isDirty() || isThenable(value)) return finish({ target: source }, value, 0);
  return value;
}

/**
 * Runs a bare call (PoolCallName): the same steps as `runCall` for the one argument piscina passed.
 * @param {number} id
 * @param {unknown} arg
 * @returns {unknown}
 */
function runBare(id, arg) {
  const source = sourceOf(id);
  /** @type {unknown} */
  let value;
  try {
    value = /** @type {import("./target.cjs").TargetFunction} */ (target.loadTarget(source))(arg);
  } catch (error) {
    return finish({ target: source }, Promise.reject(error), 0);
  }
  if (target.isDirty() || isThenable(value)) return finish({ target: source }, value, 0);
  return value;
}

const CALL_PREFIX = "src:"; // protocol.ts POOL_CALL_PREFIX
/** @type {Map<string, (arg: unknown) => unknown>} */
const bareHandlers = new Map();

/**
 * The handler piscina looks up by a task's `name`: `default` is runTask, `src:<id>` a bare call of source `id`.
 * @param {string | symbol} name
 */
function handlerNamed(name) {
  if (name === "default") return runTask;
  if (typeof name !== "string" || !name.startsWith(CALL_PREFIX)) return undefined;
  let handler = bareHandlers.get(name);
  if (!handler) {
    const id = Number(name.slice(CALL_PREFIX.length));
    if (!Number.isInteger(id) || id <= 0) return undefined;
    handler = (arg) => runBare(id, arg);
    bareHandlers.set(name, handler);
  }
  return handler;
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

// Why a module namespace with computed exports: piscina runs `require(file)[name]` for a task's `name` (an ES
// module's namespace, marked by `__esModule`, is used as it is), and the ids are known only as tasks arrive.
module.exports = new Proxy(
  /** @type {Record<string | symbol, unknown>} */ ({ __esModule: true }),
  {
    get(exports, name) {
      return name === "__esModule" ? true : handlerNamed(name) ?? exports[name];
    },
  },
);
