/**
 * Sync and queue figures, measured side by side in one run:
 * - helpers.lock_vs_python: `Lock`-protected increments/s, 5 workers x 10^6, over CPython's `threading.Lock`
 *   counter with 5 threads x 10^6 (target >= 5). Also reported: AtomicCounter's rate, and the fraction of
 *   updates an unsynchronised counter loses on Node (CPython's GIL-bound loop loses none).
 * - helpers.lock_vs_atomic: the same Lock rate over the AtomicCounter rate of the same round set (target >= 0.5).
 * - helpers.lock_vs_atomic_one_worker: the same two loops on one worker (report): the uncontended cost of a lock
 *   cycle against an atomic add, what the contended ratio is bounded by.
 * - helpers.shared_queue_vs_postmessage: small messages/s through a `SharedQueue` between two workers over
 *   `MessagePort.postMessage` between two workers (target >= 3), for numbers, short strings and small objects.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { MessageChannel, type TransferListItem, Worker } from "node:worker_threads";
import { SharedQueue } from "../../kernel-helpers/queues/shared-queue";
import { Barrier } from "../../kernel-helpers/sync/barrier";
import { AtomicCounter } from "../../kernel-helpers/sync/counter";
import { Lock } from "../../kernel-helpers/sync/mutex";
import { toWire } from "../../kernel-helpers/sync/transfer";
import type { BenchContext, Figure } from "./types.ts";

const THREADS = 5;
const INCREMENTS = 1_000_000;
const MESSAGES = 300_000;
const ROUNDS = 3;

const tsxApi = createRequire(import.meta.url).resolve("tsx/cjs/api");

/** Runs `body` (async function body; `args` rebuilt by fromWire, `port` when given) in a worker; resolves its value. */
function inWorker(root: string, body: string, args: unknown, port?: TransferListItem): Promise<unknown> {
  const transfer: TransferListItem[] = port ? [port] : [];
  const wire = toWire(args, transfer);
  const source = `
    require(${JSON.stringify(tsxApi)}).register();
    const { workerData, parentPort } = require("node:worker_threads");
    require(${JSON.stringify(path.join(root, "kernel-helpers/kinds.ts"))});
    const { fromWire } = require(${JSON.stringify(path.join(root, "kernel-helpers/sync/transfer.ts"))});
    const args = fromWire(workerData.args); const port = workerData.port;
    const now = () => performance.timeOrigin + performance.now();
    (async () => { ${body}\n })().then((v) => parentPort.postMessage({ v }), (e) => parentPort.postMessage({ e: String(e && e.stack) }));`;
  const worker = new Worker(source, { eval: true, workerData: { args: wire, port }, transferList: transfer });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { v?: unknown; e?: string }) => {
      void worker.terminate();
      if (m.e) reject(new Error(m.e));
      else resolve(m.v);
    });
    worker.once("error", reject);
  });
}

/** Starts `n` workers behind a barrier; each returns [start, end] wall times; the rate is total / (last end - first start). */
async function contended(root: string, n: number, body: string, args: unknown[]): Promise<number> {
  const barrier = new Barrier(n);
  const spans = (await Promise.all(Array.from({ length: n }, () => inWorker(root, body, [barrier, ...args])))) as [number, number][];
  const start = Math.min(...spans.map((s) => s[0]));
  const end = Math.max(...spans.map((s) => s[1]));
  return (n * INCREMENTS) / ((end - start) / 1000);
}

const LOCKED = `const [barrier, lock, buffer, n] = args; const cell = new Int32Array(buffer);
  barrier.wait(); const t0 = now();
  for (let i = 0; i < n; i++) lock.withLock(() => { cell[0]++; });
  return [t0, now()];`;
const ATOMIC = `const [barrier, counter, n] = args;
  barrier.wait(); const t0 = now();
  for (let i = 0; i < n; i++) counter.increment();
  return [t0, now()];`;
const RACY = `const [barrier, buffer, n] = args; const cell = new Int32Array(buffer);
  barrier.wait(); const t0 = now();
  for (let i = 0; i < n; i++) cell[0] = cell[0] + 1;
  return [t0, now()];`;

const PYTHON_LOCK = `
import threading, time
counter = 0
lock = threading.Lock()
def work(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
threads = [threading.Thread(target=work, args=(${INCREMENTS},)) for _ in range(${THREADS})]
t0 = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - t0
print(${THREADS * INCREMENTS} / elapsed, counter)
`;

async function lockFigures(ctx: BenchContext): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  let locked = 0;
  let atomic = 0;
  let lost = 0;
  let lockedAlone = 0;
  let atomicAlone = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const buffer = new SharedArrayBuffer(4);
    locked = Math.max(locked, await contended(ctx.root, THREADS, LOCKED, [new Lock(), buffer, INCREMENTS]));
    if (new Int32Array(buffer)[0] !== THREADS * INCREMENTS) throw new Error(`Lock lost updates: ${new Int32Array(buffer)[0]}`);
    const counter = new AtomicCounter();
    atomic = Math.max(atomic, await contended(ctx.root, THREADS, ATOMIC, [counter, INCREMENTS]));
    const racy = new SharedArrayBuffer(4);
    await contended(ctx.root, THREADS, RACY, [racy, INCREMENTS]);
    lost = Math.max(lost, 1 - new Int32Array(racy)[0]! / (THREADS * INCREMENTS));
    // The same two loops on one worker: nothing contends, so this is what one lock cycle (a compare-exchange to
    // take, an exchange to release) costs against one atomic add, the bound the contended ratio is measured under.
    lockedAlone = Math.max(lockedAlone, await contended(ctx.root, 1, LOCKED, [new Lock(), new SharedArrayBuffer(4), INCREMENTS]));
    atomicAlone = Math.max(atomicAlone, await contended(ctx.root, 1, ATOMIC, [new AtomicCounter(), INCREMENTS]));
    ctx.log(`lock round ${round + 1}: Lock ${(locked / 1e6).toFixed(1)} M/s, AtomicCounter ${(atomic / 1e6).toFixed(1)} M/s, unsynchronised lost ${(lost * 100).toFixed(0)}%`);
  }
  figures["helpers.lock_increments_per_s"] = { value: Math.round(locked), unit: "1/s", note: `${THREADS} workers x 10^6 lock.withLock increments (best of ${ROUNDS})` };
  figures["helpers.atomic_counter_per_s"] = { value: Math.round(atomic), unit: "1/s", note: `${THREADS} workers x 10^6 AtomicCounter.increment` };
  figures["helpers.lock_vs_atomic"] = {
    value: Number((locked / atomic).toFixed(2)),
    target: ">= 0.5",
    note: `Lock ${(locked / 1e6).toFixed(1)} M/s over AtomicCounter ${(atomic / 1e6).toFixed(1)} M/s, ${THREADS} workers x 10^6 each, same run (best of ${ROUNDS}); the contended atomic add is the ceiling`,
  };
  figures["helpers.lock_vs_atomic_one_worker"] = {
    value: Number((lockedAlone / atomicAlone).toFixed(2)),
    note: `the same loops on 1 worker, uncontended (report): Lock ${(lockedAlone / 1e6).toFixed(1)} M/s over AtomicCounter ${(atomicAlone / 1e6).toFixed(1)} M/s (best of ${ROUNDS}); a lock cycle is two fenced read-modify-writes (take, release), an atomic add one`,
  };
  figures["helpers.unsynchronised_lost_fraction"] = { value: Number(lost.toFixed(3)), note: `${THREADS} workers x 10^6 plain Int32Array increments behind a barrier: fraction of updates lost` };
  const python = spawnSync("python3", ["-c", PYTHON_LOCK], { encoding: "utf8", timeout: 300_000 });
  if (python.status === 0) {
    const [rate, count] = python.stdout.trim().split(/\s+/).map(Number);
    ctx.log(`python threading.Lock: ${((rate ?? 0) / 1e6).toFixed(2)} M/s, counter ${count}`);
    figures["helpers.lock_vs_python"] = {
      value: Number((locked / rate!).toFixed(2)),
      target: ">= 5",
      note: `Lock ${(locked / 1e6).toFixed(1)} M/s vs CPython threading.Lock ${(rate! / 1e6).toFixed(2)} M/s (5 threads x 10^6)`,
    };
  } else {
    figures["helpers.lock_vs_python"] = { value: Number.NaN, target: ">= 5", note: `python3 unavailable: ${python.error?.message ?? python.stderr}` };
  }
  return figures;
}

const KINDS: Record<string, string> = {
  number: "i",
  string: '"task-" + i',
  object: '{ id: i, name: "job", done: false }',
};

async function queueRate(ctx: BenchContext, make: string): Promise<number> {
  const q = new SharedQueue({ capacity: 1024 });
  const barrier = new Barrier(2);
  const [t0, t1] = (await Promise.all([
    inWorker(ctx.root, `const [b, q, n] = args; b.wait(); const t = now(); for (let i = 0; i < n; i++) q.put(${make}); return t;`, [barrier, q, MESSAGES]),
    inWorker(ctx.root, `const [b, q, n] = args; b.wait(); let c = 0; for (let i = 0; i < n; i++) if (q.get() !== undefined) c++; if (c !== n) throw new Error("lost"); return now();`, [barrier, q, MESSAGES]),
  ])) as [number, number];
  return MESSAGES / ((t1 - t0) / 1000);
}

async function portRate(ctx: BenchContext, make: string): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const barrier = new Barrier(2);
  const [t0, t1] = (await Promise.all([
    inWorker(ctx.root, `const [b, n] = args; b.wait(); const t = now(); for (let i = 0; i < n; i++) port.postMessage(${make}); return t;`, [barrier, MESSAGES], port1),
    inWorker(
      ctx.root,
      `const [b, n] = args; let c = 0; const done = new Promise((r) => port.on("message", () => { if (++c === n) { port.close(); r(now()); } })); b.wait(); return await done;`,
      [barrier, MESSAGES],
      port2,
    ),
  ])) as [number, number];
  return MESSAGES / ((t1 - t0) / 1000);
}

async function queueFigures(ctx: BenchContext): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  const ratios: number[] = [];
  for (const [kind, make] of Object.entries(KINDS)) {
    let ours = 0;
    let port = 0;
    for (let round = 0; round < ROUNDS; round++) {
      ours = Math.max(ours, await queueRate(ctx, make));
      port = Math.max(port, await portRate(ctx, make));
    }
    ctx.log(`queue ${kind}: SharedQueue ${(ours / 1e6).toFixed(2)} M/s, postMessage ${(port / 1e6).toFixed(2)} M/s`);
    ratios.push(ours / port);
    figures[`helpers.shared_queue_vs_postmessage.${kind}`] = {
      value: Number((ours / port).toFixed(2)),
      note: `SharedQueue ${(ours / 1e6).toFixed(2)} M msg/s vs postMessage ${(port / 1e6).toFixed(2)} M msg/s (${make})`,
    };
  }
  const geomean = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  figures["helpers.shared_queue_vs_postmessage"] = {
    value: Number(geomean.toFixed(2)),
    target: ">= 3",
    note: "geometric mean over numbers, short strings and small objects, worker to worker, best of 3 each",
  };
  return figures;
}

/** The bench entry point (see run.ts). `SYNC_BENCH=lock` or `SYNC_BENCH=queue` runs one half. */
export async function bench(ctx: BenchContext): Promise<Record<string, Figure>> {
  const part = process.env["SYNC_BENCH"];
  return { ...(part !== "queue" ? await lockFigures(ctx) : {}), ...(part !== "lock" ? await queueFigures(ctx) : {}) };
}
