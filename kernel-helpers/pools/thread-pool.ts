/**
 * `ThreadPool`: Python's `ThreadPoolExecutor` / `multiprocessing.Pool` on piscina worker threads. Tasks written in
 * cells travel as source (as a Thread's target); runtime/pool-runtime.cjs runs them.
 */
import { availableParallelism } from "node:os";
import type { TransferListItem, Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { AbortError, HelperError, invalid } from "../errors";
import { wireBundle } from "../runtime/bundle";
import { runtimeFile } from "../runtime/paths";
import { namesForWorker } from "../sync/identity";
import { isCloneError, notCloneable } from "../threads/clone-check";
import { POOL_CALL_PREFIX, isPoolFailed, isPoolRecorded, type PoolCall, type PoolCallName, type PoolTask } from "../protocol";
import { fromWireError, fromWorkerError } from "../threads/remote";
import { describeTarget, type Target, type TargetSpec } from "../threads/target";
import { toWire } from "../threads/wire";
import { sinkFor, type SpanSink } from "../viz/recorder";
import { mapInChunks, poolSize, type MapOptions, type PoolOptions, type PoolStats, type RunOptions } from "./common";
import { SourceTable } from "./source-table";

let counter = 0;


/** A function target travels as its bare source (one string to clone per task), a module target as its spec. */
function wireTarget(spec: TargetSpec): TargetSpec | string {
  return spec.kind === "source" ? spec.source : spec;
}


/**
 * A pool of worker threads (piscina) running functions written in cells.
 * @example
 * const pool = new ThreadPool({ size: 4 });
 * const square = (x: number) => x * x;
 * await pool.submit(square, 7);                  // 49
 * await pool.map(square, [1, 2, 3, 4]);          // [1, 4, 9, 16]
 * await pool.close();
 */
export class ThreadPool {
  /** The pool's name (workers are `<name>-worker-<n>`). */
  readonly name: string;
  /** The most threads the pool runs. */
  readonly size: number;
  readonly #piscina: Piscina;
  readonly #timeline: SpanSink | undefined;
  readonly #threads = new Map<Worker, Promise<void>>();
  #active = 0;
  #nextId = 0;
  readonly #inFlight = new Map<number, Promise<unknown>>();
  // One promise shared by every caller of #idle(): one resolver per caller would let a second close() replace
  // the first one's resolver, leaving the first close() pending for ever.
  #whenIdle: { promise: Promise<void>; resolve: () => void } | undefined;
  #destroyed: Promise<void> | undefined;
  #closed = false;
  #forced = false;
  #failed = 0;
  readonly #sources = new SourceTable();
  // piscina's run options naming each source's handler (PoolCallName), one object per source: piscina copies it.
  readonly #callOptions = new Map<number, { name: PoolCallName }>();

  constructor(options: PoolOptions = {}) {
    if (typeof options !== "object" || options === null) invalid("options", "an object", options);
    this.size = poolSize(options.size, availableParallelism());
    if (options.name !== undefined && typeof options.name !== "string") invalid("name", "a string", options.name);
    this.name = options.name ?? `ThreadPool-${++counter}`;
    this.#timeline = options.timeline;
    this.#piscina = new Piscina({
      filename: runtimeFile("pool-runtime.cjs"),
      name: "default",
      // Why start every thread now: "pool start included" is how speedups are measured, and a task submitted
      // right after the constructor should not pay for starting its thread.
      minThreads: this.size,
      maxThreads: this.size,
      idleTimeout: 2 ** 31 - 1,
      // Why no inherited flags: see Thread (a preload or loader of the kernel would run in every pool thread).
      execArgv: [],
      workerData: {
        ...namesForWorker(),
        __khPool: { name: this.name, counter: new SharedArrayBuffer(4), sources: this.#sources.buffer },
      },
    });
    // A crashing worker is reported through its task's promise; piscina's own 'error' event must not crash the kernel.
    this.#piscina.on("error", () => undefined);
    // Why track every thread piscina starts: piscina's destroy() waits only for the threads it still holds; a thread
    // it dropped (its task was cancelled or crashed) may still be tearing down. close() waits for those too.
    this.#piscina.on("workerCreate", () => {
      for (const worker of this.#piscina.threads) {
        if (this.#threads.has(worker)) continue;
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        this.#threads.set(worker, exited);
        void exited.then(() => this.#threads.delete(worker));
      }
    });
  }

  /**
   * Runs `fn(...args)` on a pool thread; the promise is Python's future.
   * @example
   * const futures = [1, 2, 3].map((n) => pool.submit(fib, 30 + n));
   */
  submit<A extends unknown[], R>(fn: Target<A, R>, ...args: A): Promise<Awaited<R>> {
    return this.run(fn, args);
  }

  /**
   * Runs `fn(...args)` with options: `signal` cancels it (a queued task is dropped, a running one stopped and
   * its thread replaced) and the promise rejects with `AbortError`.
   */
  run<A extends unknown[], R>(fn: Target<A, R>, args: A, options: RunOptions = {}): Promise<Awaited<R>> {
    if (this.#closed) return Promise.reject(this.#closedError());
    let spec: TargetSpec;
    try {
      spec = describeTarget(fn, "fn");
      if (!Array.isArray(args)) invalid("args", "an array", args);
      if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
        invalid("signal", "an AbortSignal", options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const wired = toWire(args);
    const sink = sinkFor(this.#timeline);
    const id = wired.shared || sink ? undefined : this.#sourceId(spec);
    if (id !== undefined) {
      if (args.length === 1) {
        // One argument travels bare, its function named by piscina's `name` option (protocol.ts, PoolCallName).
        const named = this.#callOptionsFor(id);
        return this.#dispatch(args[0], spec, args, undefined, options.signal, wired.transfer, spec.name, named) as Promise<Awaited<R>>;
      }
      const call: PoolCall = [id, ...args];
      return this.#dispatch(call, spec, args, undefined, options.signal, wired.transfer, spec.name) as Promise<Awaited<R>>;
    }
    // Why a small object with optional keys: it is structured-cloned for every task; each key costs.
    const task: PoolTask = { target: wireTarget(spec), args: wired.value };
    if (wired.shared) {
      task.shared = true;
      task.wire = wireBundle();
    }
    if (sink) task.record = true;
    return this.#dispatch(task, spec, args, sink, options.signal, wired.transfer, spec.name) as Promise<Awaited<R>>;
  }

  /**
   * Python's `pool.map(fn, items)`: `fn(item)` for every item, results in input order. Items travel in chunks
   * of `chunkSize` (fewer round trips); the first failure rejects the map and cancels what is left.
   */
  map<T, R>(fn: Target<[T], R>, items: Iterable<T>, options: MapOptions = {}): Promise<Awaited<R>[]> {
    if (this.#closed) return Promise.reject(this.#closedError());
    let spec: TargetSpec;
    try {
      spec = describeTarget(fn, "fn");
    } catch (error) {
      return Promise.reject(error);
    }
    const sink = sinkFor(this.#timeline);
    return mapInChunks(items, this.size, options, (chunk, signal) => {
      const wired = toWire(chunk);
      const label = chunk.length === 1 ? spec.name : `${spec.name} ×${chunk.length}`;
      const id = wired.shared || sink ? undefined : this.#sourceId(spec);
      if (id !== undefined) {
        const call: PoolCall = [-id, ...chunk];
        return this.#dispatch(call, spec, chunk, undefined, signal, wired.transfer, label) as Promise<Awaited<R>[]>;
      }
      const task: PoolTask = { target: wireTarget(spec), items: wired.value as unknown[], chunk: true };
      if (wired.shared) {
        task.shared = true;
        task.wire = wireBundle();
      }
      if (sink) task.record = true;
      return this.#dispatch(task, spec, chunk, sink, signal, wired.transfer, label) as Promise<Awaited<R>[]>;
    });
  }

  /** The id of a function target's source in the shared table, or undefined (a module target, a full table). */
  #sourceId(spec: TargetSpec): number | undefined {
    return spec.kind === "source" ? this.#sources.idOf(spec.source) : undefined;
  }

  /** piscina's run options for a bare call of source `id` (see PoolCallName). */
  #callOptionsFor(id: number): { name: PoolCallName } {
    let named = this.#callOptions.get(id);
    if (!named) {
      named = { name: `${POOL_CALL_PREFIX}${id}` };
      this.#callOptions.set(id, named);
    }
    return named;
  }

  #dispatch(
    task: unknown,
    spec: TargetSpec,
    args: readonly unknown[],
    sink: SpanSink | undefined,
    signal: AbortSignal | undefined,
    transfer: TransferListItem[],
    label: string,
    named?: { name: PoolCallName },
  ): Promise<unknown> {
    const id = ++this.#nextId;
    const promise = this.#execute(id, task, spec, args, sink, signal, transfer, label, named);
    this.#inFlight.set(id, promise);
    return promise;
  }

  /** Runs `task` (a PoolTask, a PoolCall, or a bare argument with `named`) and translates its answer. */
  async #execute(
    id: number,
    task: unknown,
    spec: TargetSpec,
    args: readonly unknown[],
    sink: SpanSink | undefined,
    signal: AbortSignal | undefined,
    transfer: TransferListItem[],
    label: string,
    named: { name: PoolCallName } | undefined,
  ): Promise<unknown> {
    // Why count tasks: close() waits until none is left, and stats() reports them.
    this.#active++;
    let out: unknown;
    try {
      // Why no new options object on the fast path: the bench holds a pool task to within 5% of raw piscina.
      out = await (signal || transfer.length
        ? this.#piscina.run(task, { signal: signal ?? null, transferList: transfer, name: named?.name ?? null })
        : this.#piscina.run(task, named));
    } catch (error) {
      this.#failed++;
      throw this.#translate(error, args, spec);
    } finally {
      this.#inFlight.delete(id);
      if (--this.#active === 0) this.#settleIdle();
    }
    // Why test for an object first: the fast path's answer is the bare value, most often a number.
    if (typeof out !== "object" || out === null) return out;
    if (isPoolFailed(out)) {
      this.#failed++;
      if (sink) sink.addSpan(out.lane, label, out.t0, out.t1, true);
      throw fromWireError(out.__khError, spec, {
        runner: "thread",
        label: `thread '${out.lane}' of pool '${this.name}'`,
      });
    }
    if (isPoolRecorded(out)) {
      const { value, t0, t1, lane } = out.__khRecord;
      sink?.addSpan(lane, label, t0, t1);
      return value;
    }
    return out;
  }

  #translate(error: unknown, args: readonly unknown[], spec: TargetSpec): Error {
    const e = error instanceof Error ? error : new Error(String(error));
    if (e.name === "AbortError")
      return new AbortError(`task \`${spec.name}\` of pool '${this.name}' was cancelled`, { cause: e });
    if (/^Terminating worker thread/.test(e.message)) {
      return this.#forced
        ? new AbortError(`pool '${this.name}' was closed with force before task \`${spec.name}\` finished`, {
            cause: e,
          })
        : this.#closedError();
    }
    const exited = /^worker exited with code: (-?\d+)/.exec(e.message);
    if (exited) {
      return new HelperError(
        "ERR_WORKER_DIED",
        `task \`${spec.name}\` ended its thread in pool '${this.name}' (exit code ${exited[1]}; did it call process.exit()?): the pool replaced the thread and serves on`,
        { cause: e },
      );
    }
    if (isCloneError(e)) return notCloneable(args, `a thread of pool '${this.name}'`, e);
    // An exception the task left behind (in a timer, an unhandled rejection) killed its thread.
    const remote = fromWorkerError(e, { runner: "thread", label: `a thread of pool '${this.name}'` });
    return new HelperError(
      "ERR_WORKER_DIED",
      `task \`${spec.name}\` crashed its thread in pool '${this.name}': ${e.message}; the pool replaced the thread`,
      { cause: remote },
    );
  }

  #closedError(): HelperError {
    return new HelperError("ERR_POOL_CLOSED", `pool '${this.name}' is closed: create a new pool`);
  }

  /**
   * Python's `shutdown()`: refuses new tasks, waits for queued and running ones, then stops every thread. With
   * `force`, queued and running tasks are cancelled (they reject with `AbortError`). After it resolves nothing of
   * the pool runs.
   */
  async close(options: { force?: boolean } = {}): Promise<void> {
    this.#closed = true;
    if (options.force) {
      this.#forced = true;
      // Why mark them handled: the caller asked to cancel these tasks; their AbortErrors must not surface as
      // unhandled rejections when nobody awaits them any more.
      for (const promise of this.#inFlight.values()) promise.catch(() => undefined);
    } else {
      await this.#idle();
    }
    // Why one destroy for every close(): overlapping close() calls then wait for the same teardown.
    this.#destroyed ??= this.#piscina.destroy();
    await this.#destroyed;
    // Why wait again: with force, destroy() rejects the tasks in flight; wait until their promises have settled.
    await this.#idle();
    await Promise.all(this.#threads.values());
  }

  #idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    if (!this.#whenIdle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#whenIdle = { promise, resolve };
    }
    return this.#whenIdle.promise;
  }

  #settleIdle(): void {
    const waiting = this.#whenIdle;
    this.#whenIdle = undefined;
    waiting?.resolve();
  }

  /** Counters and timings; see {@link PoolStats}. */
  stats(): PoolStats {
    const p = this.#piscina;
    const queued = p.queueSize;
    const h = p.histogram;
    const pick = (s: { mean: number; p50: number; p99: number }) => ({ mean: s.mean, p50: s.p50, p99: s.p99 });
    return {
      size: this.size,
      workers: p.threads.length,
      running: Math.max(0, this.#active - queued),
      queued,
      completed: p.completed,
      failed: this.#failed,
      utilization: p.utilization,
      runTimeMs: pick(h.runTime),
      waitTimeMs: pick(h.waitTime),
    };
  }
}
