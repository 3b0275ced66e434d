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
