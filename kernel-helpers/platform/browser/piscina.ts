/**
 * The part of piscina that `ThreadPool` uses (`run`, `destroy`, `threads`, the `workerCreate`/`error` events),
 * over `node:worker_threads` (Web Workers in the browser, where piscina itself cannot run). Each thread loads the
 * pool's runtime and answers `{ id, task, name }` messages with `{ id, ok, value | error }`; as piscina does, `name`
 * picks the runtime's export that runs the task (pool-runtime.cjs exports one per bare call, see protocol.ts).
 */
import { EventEmitter } from "node:events";
import { Worker, type TransferListItem } from "node:worker_threads";

/** The options ThreadPool passes. */
export interface PiscinaOptions {
  filename: string;
  name?: string;
  minThreads?: number;
  maxThreads?: number;
  idleTimeout?: number;
  execArgv?: string[];
  workerData?: unknown;
}

interface Job {
  id: number;
  task: unknown;
  name: string | null;
  transferList: TransferListItem[];
  signal: AbortSignal | null;
  queuedAt: number;
  startedAt: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

const bootSource = (filename: string) => `
const { parentPort } = require("node:worker_threads");
const runtime = require(${JSON.stringify(filename)});
parentPort.on("message", async ({ id, task, name }) => {
  try {
    const run = typeof runtime === "function" ? runtime : runtime[name || "default"];
    const value = await run(task);
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: { name: error && error.name, message: String(error && error.message || error), stack: error && error.stack } });
  }
});`;

interface Summary {
  mean: number;
  p50: number;
  p99: number;
}

function summary(values: number[]): Summary {
  if (values.length === 0) return { mean: 0, p50: 0, p99: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: at(0.5), p99: at(0.99) };
}

function abortError(): Error {
  return Object.assign(new Error("The task has been aborted"), { name: "AbortError" });
}

let nextJob = 0;

export class Piscina extends EventEmitter {
  readonly #options: PiscinaOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #destroyed = false;
  readonly #created = performance.now();
  readonly #runTimes: number[] = [];
  readonly #waitTimes: number[] = [];
  #busyMs = 0;
  /** Tasks that finished (resolved or rejected by their thread). */
  completed = 0;

  constructor(options: PiscinaOptions) {
    super();
    this.#options = options;
    const size = Math.max(1, options.maxThreads ?? 1);
    for (let i = 0; i < size; i++) this.#start();
  }

  get threads(): Worker[] {
    return this.#slots.map((s) => s.worker);
  }

  /** Tasks waiting for a free thread. */
  get queueSize(): number {
    return this.#queue.length;
  }

  /** The share of the pool's thread time spent running tasks since it started. */
  get utilization(): number {
    const capacity = (performance.now() - this.#created) * Math.max(1, this.#slots.length);
    return capacity > 0 ? Math.min(1, this.#busyMs / capacity) : 0;
  }

  /** Run and wait times of the finished tasks, in ms (piscina's histogram summary). */
  get histogram(): { runTime: Summary; waitTime: Summary } {
    return { runTime: summary(this.#runTimes), waitTime: summary(this.#waitTimes) };
  }

  #record(job: Job): void {
    const now = performance.now();
    const run = now - job.startedAt;
    this.#busyMs += run;
    this.completed++;
    // Why a cap: a long-lived pool must not grow its timing arrays without end.
    if (this.#runTimes.length >= 10_000) {
      this.#runTimes.shift();
      this.#waitTimes.shift();
    }
    this.#runTimes.push(run);
    this.#waitTimes.push(job.startedAt - job.queuedAt);
  }

  #start(): Slot {
    const worker = new Worker(bootSource(this.#options.filename), { eval: true, workerData: this.#options.workerData });
    const slot: Slot = { worker, job: undefined };
    worker.on("message", (message: { id: number; ok: boolean; value?: unknown; error?: { name: string; message: string; stack?: string } }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      this.#settle(slot);
      this.#record(job);
      if (message.ok) job.resolve(message.value);
      else job.reject(Object.assign(new Error(message.error?.message), message.error));
      this.#pump();
    });
    worker.on("error", (error: unknown) => this.emit("error", error));
    worker.on("exit", () => {
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      const job = slot.job;
      if (job) {
        this.#settle(slot);
        job.reject(new Error("the pool's worker thread exited while running a task"));
      }
      if (!this.#destroyed) {
        this.#start();
        this.#pump();
      }
    });
    this.#slots.push(slot);
    queueMicrotask(() => this.emit("workerCreate", worker));
    return slot;
  }

  #settle(slot: Slot): void {
    const job = slot.job;
    slot.job = undefined;
    if (job?.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.job) continue;
      const job = this.#queue.shift();
      if (!job) return;
      slot.job = job;
      job.startedAt = performance.now();
      slot.worker.postMessage({ id: job.id, task: job.task, name: job.name }, job.transferList);
    }
  }

  run(
    task: unknown,
    options: { signal?: AbortSignal | null; transferList?: TransferListItem[]; name?: string | null } = {},
  ): Promise<unknown> {
    if (this.#destroyed) return Promise.reject(new Error("the pool is destroyed"));
    const signal = options.signal ?? null;
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: ++nextJob,
        task,
        name: options.name ?? this.#options.name ?? null,
        transferList: options.transferList ?? [],
        signal,
        queuedAt: performance.now(),
        startedAt: 0,
        resolve,
        reject,
      };
      if (signal) {
        // Why terminate a running task's thread: a thread cannot be interrupted otherwise (it may be blocked).
        job.onAbort = () => {
          const queued = this.#queue.indexOf(job);
          if (queued >= 0) this.#queue.splice(queued, 1);
          const slot = this.#slots.find((s) => s.job === job);
          if (slot) {
            slot.job = undefined;
            void slot.worker.terminate();
          }
          reject(abortError());
        };
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error("the pool was destroyed"));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
