/**
 * Test support for the sync and queue suites: run a body of JavaScript in N real worker threads that load the
 * TypeScript helpers through tsx, with shared primitives passed through `toWire`/`fromWire`, and a watchdog
 * that terminates every worker (and fails the test) if they deadlock.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { toWire } from "../../kernel-helpers/sync/transfer";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsxApi = createRequire(import.meta.url).resolve("tsx/cjs/api");

/** The helper modules a worker body can use through `h` (their exports merged). */
const MODULES = [
  "kernel-helpers/errors.ts",
  "kernel-helpers/sync/mutex.ts",
  "kernel-helpers/sync/rlock.ts",
  "kernel-helpers/sync/semaphore.ts",
  "kernel-helpers/sync/event.ts",
  "kernel-helpers/sync/condition.ts",
  "kernel-helpers/sync/barrier.ts",
  "kernel-helpers/sync/counter.ts",
  "kernel-helpers/sync/shared-value.ts",
  "kernel-helpers/sync/identity.ts",
  "kernel-helpers/sync/transfer.ts",
  "kernel-helpers/queues/shared-queue.ts",
  "kernel-helpers/queues/pipe.ts",
].map((m) => path.join(root, m));

/**
 * The worker's bootstrap: loads the helpers, rebuilds `args`, runs `body` as an async function of
 * (h, args, index), and posts back `{ ok, value }` or `{ ok: false, error }`.
 */
function source(body: string): string {
  return `
require(${JSON.stringify(tsxApi)}).register();
const { workerData, parentPort } = require("node:worker_threads");
const h = Object.assign({}, ...${JSON.stringify(MODULES)}.map((m) => require(m)));
const args = h.fromWire(workerData.args);
const index = workerData.index;
(async () => { ${body}\n })().then(
  (value) => parentPort.postMessage({ ok: true, value: h.toWire(value, []) }),
  (error) => parentPort.postMessage({ ok: false, error: { name: error && error.name, message: String(error && error.message), code: error && error.code, stack: error && error.stack } }),
);`;
}

/** What a worker body returned, or the error it threw (as plain data). */
export type WorkerOutcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; code?: string; stack?: string } };

/** Workers started by `startWorkers`, with their outcomes. */
export interface WorkerGroup {
  workers: Worker[];
  /** Every worker's outcome, in index order; rejects (after terminating them all) on the watchdog. */
  outcomes: Promise<WorkerOutcome[]>;
  /** Terminates every worker now. */
  terminate(): Promise<void>;
}

/**
 * Starts `n` workers running `body` (an async function body: `h` is the helpers, `args` the rebuilt
 * arguments, `index` 0..n-1). Each worker gets `args` (or `args(i)`) through `toWire`.
 */
export function startWorkers(n: number, body: string, args: unknown | ((index: number) => unknown), options: { watchdogMs?: number; name?: (i: number) => string } = {}): WorkerGroup {
  const code = source(body);
  const workers: Worker[] = [];
  const results: Promise<WorkerOutcome>[] = [];
  for (let index = 0; index < n; index++) {
    const a = typeof args === "function" ? (args as (i: number) => unknown)(index) : args;
    const transfer: import("node:worker_threads").TransferListItem[] = [];
    const wire = toWire(a, transfer);
    const worker = new Worker(code, { eval: true, workerData: { args: wire, index }, transferList: transfer, name: options.name?.(index) });
    workers.push(worker);
    results.push(
      new Promise<WorkerOutcome>((resolve, reject) => {
        worker.once("message", (m: WorkerOutcome) => resolve(m));
        worker.once("error", reject);
        worker.once("exit", (c) => reject(new Error(`worker ${index} exited (${c}) without a result`)));
      }),
    );
  }
  const terminate = async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  const watchdogMs = options.watchdogMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workers still running after ${watchdogMs} ms: a deadlock or a lost wake-up`)), watchdogMs);
  });
  const outcomes = Promise.race([Promise.all(results), watchdog]).finally(async () => {
    clearTimeout(timer);
    await terminate();
  });
  // Why: a test that terminates workers it no longer needs must not leave an unhandled rejection behind.
  outcomes.catch(() => undefined);
  return { workers, outcomes, terminate };
}

/** Runs `n` workers and returns their values; throws the first worker error with its message and stack. */
export async function runWorkers<T = unknown>(n: number, body: string, args: unknown | ((index: number) => unknown), options?: { watchdogMs?: number }): Promise<T[]> {
  const outcomes = await startWorkers(n, body, args, options).outcomes;
  return outcomes.map((o, i) => {
    if (!o.ok) throw Object.assign(new Error(`worker ${i}: ${o.error.name}: ${o.error.message}\n${o.error.stack ?? ""}`), { code: o.error.code, workerError: o.error });
    return o.value as T;
  });
}

/**
 * A bunch of worker threads running the same body (CPython's `Bunch` in Lib/test/lock_tests.py): counts of
 * started and finished workers in shared memory, and optionally held at the end until `doFinish()`. Inside the
 * body, `push(buffer, n)` appends an int to a `sharedList()` (Python's `results.append`).
 */
export interface Bunch extends WorkerGroup {
  started(): number;
  finished(): number;
  waitForStarted(): Promise<void>;
  waitForFinished(): Promise<WorkerOutcome[]>;
  doFinish(): void;
}

const BUNCH_PRELUDE = `
const __bunch = new Int32Array(args.shift());
const push = (buffer, v) => { const a = new Int32Array(buffer); Atomics.store(a, 2 + Atomics.add(a, 0, 1), v); Atomics.add(a, 1, 1); };
Atomics.add(__bunch, 0, 1);
try { return await (async () => { BODY\n })(); }
finally {
  Atomics.add(__bunch, 1, 1);
  while (Atomics.load(__bunch, 2) === 0) Atomics.wait(__bunch, 2, 0, 50);
}`;

/** Polls `done` every few ms (the main thread's `_wait()` loop) until it holds. */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Starts `n` workers running `body` with `args` (an array); see {@link Bunch}. */
export function startBunch(n: number, body: string, args: unknown[], options: { waitBeforeExit?: boolean; watchdogMs?: number } = {}): Bunch {
  const state = new Int32Array(new SharedArrayBuffer(12)); // [started, finished, canExit]
  if (!options.waitBeforeExit) state[2] = 1;
  const group = startWorkers(n, BUNCH_PRELUDE.replace("BODY", () => body), [state.buffer, ...args], { watchdogMs: options.watchdogMs });
  // The watchdog (a deadlock) ends every wait below instead of leaving it polling.
  let failure: unknown;
  group.outcomes.catch((error: unknown) => {
    failure = error;
  });
  const poll = (done: () => boolean) =>
    until(() => {
      if (failure !== undefined) throw failure;
      return done();
    });
  const bunch: Bunch = {
    ...group,
    started: () => Atomics.load(state, 0),
    finished: () => Atomics.load(state, 1),
    waitForStarted: () => poll(() => bunch.started() >= n),
    async waitForFinished() {
      await poll(() => bunch.finished() >= n);
      bunch.doFinish();
      const outcomes = await group.outcomes;
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !failed.ok) throw new Error(`a worker failed: ${failed.error.name}: ${failed.error.message}\n${failed.error.stack ?? ""}`);
      return outcomes;
    },
    doFinish() {
      Atomics.store(state, 2, 1);
      Atomics.notify(state, 2);
    },
  };
  return bunch;
}

/** A list of ints in shared memory that workers `push` to; `items()` once every push has completed. */
export function sharedList(capacity = 64): { buffer: SharedArrayBuffer; length(): number; items(): number[] } {
  const a = new Int32Array(new SharedArrayBuffer(4 * (2 + capacity))); // [reserved, committed, ...values]
  return {
    buffer: a.buffer as SharedArrayBuffer,
    length: () => Atomics.load(a, 1),
    items() {
      const n = Atomics.load(a, 1);
      if (Atomics.load(a, 0) !== n) throw new Error("sharedList.items() while a push is in flight: wait on length() first");
      return Array.from(a.subarray(2, 2 + n));
    },
  };
}
