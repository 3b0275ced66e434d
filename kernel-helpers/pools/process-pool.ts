/**
 * `ProcessPool`: Python's `ProcessPoolExecutor` on forked Node processes.
 *
 * Why our own pool rather than tinypool's `child_process` runtime: it runs on the same runtime and protocol as
 * `Process` (one way to ship a target to a child, one orphan guard), a task's console output travels with its
 * result so it reaches the cell first, a task that crashes or calls `process.exit` fails alone and its process is
 * replaced, and cancelling a running task kills exactly the process that runs it. Tasks are few and coarse here
 * (a process exists to isolate or to parallelise big work), so a simple FIFO dispatcher is all the scheduling
 * needed.
 */
import type { ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { AbortError, HelperError, invalid } from "../errors";
import { exitCodeOf, forkRuntime } from "../process/children";
import { isFromRuntime, type ResultMessage, type RunMessage } from "../protocol";
import { fromWireError } from "../threads/remote";
import { describeTarget, type Target, type TargetSpec } from "../threads/target";
import { toWire } from "../threads/wire";
import { sinkFor, type SpanSink } from "../viz/recorder";
import {
  mapInChunks,
  poolSize,
  summarize,
  type MapOptions,
  type PoolOptions,
  type PoolStats,
  type RunOptions,
} from "./common";

let counter = 0;
const KEEP_TIMINGS = 10_000;

interface Task {
  id: number;
  spec: TargetSpec;
  message: RunMessage;
  label: string;
  sink: SpanSink | undefined;
  signal: AbortSignal | undefined;
  onAbort?: () => void;
  queuedAt: number;
  startedAt?: number;
  cancelled?: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  child: ChildProcess;
  index: number;
  task?: Task;
  exited: Promise<void>;
}


/**
 * A pool of Node processes running functions written in cells (each task's arguments and result are copied).
 * @example
 * const pool = new ProcessPool({ size: 2 });
 * console.log(await pool.map((n: number) => `${n}: pid ${process.pid}`, [1, 2, 3, 4]));
 * await pool.close();
 */
export class ProcessPool {
  /** The pool's name (processes are `<name>-worker-<n>`). */
  readonly name: string;
  /** The most processes the pool runs. */
  readonly size: number;
  readonly #timeline: SpanSink | undefined;
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  readonly #runTimes: number[] = [];
  readonly #waitTimes: number[] = [];
  readonly #startedAt = performance.now();
  #busyMs = 0;
  #nextId = 0;
  #nextIndex = 0;
  #completed = 0;
  #failed = 0;
  #closed = false;
  readonly #inFlight = new Map<number, Promise<unknown>>();

  constructor(options: PoolOptions = {}) {
    if (typeof options !== "object" || options === null) invalid("options", "an object", options);
    this.size = poolSize(options.size, availableParallelism());
    if (options.name !== undefined && typeof options.name !== "string") invalid("name", "a string", options.name);
    this.name = options.name ?? `ProcessPool-${++counter}`;
    this.#timeline = options.timeline;
    for (let i = 0; i < this.size; i++) this.#spawn();
  }

  #spawn(): void {
    const index = ++this.#nextIndex;
    const child = forkRuntime(`${this.name}-worker-${index}`, { pool: true });
    // Why 'close' and not 'exit': the child's pipes close after it exits; close() resolves when nothing is left.
    const slot: Slot = { child, index, exited: new Promise<void>((r) => child.once("close", () => r())) };
    this.#slots.add(slot);
    // Output the child writes outside console (straight to fd 1/2) still reaches the cell.
    child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.on("message", (message: unknown) => {
      if (!isFromRuntime(message)) return;
      if (message.__kh === "out") process[message.stream].write(message.text);
      else this.#finish(slot, message);
    });
    child.once("error", (error) => {
      if (child.pid !== undefined) return; // a failed send: reported to its task by #pump
      // The fork could not start (no memory, too many processes): there is no 'exit' to wait for.
      this.#slots.delete(slot);
      if (this.#slots.size === 0) {
        for (const task of this.#queue.splice(0)) {
          this.#failed++;
          task.reject(
            new HelperError("ERR_PROCESS_START", `pool '${this.name}' could not start a process: ${error.message}`, {
              cause: error,
            }),
          );
        }
      }
    });
    child.once("exit", (code, signal) => {
      this.#slots.delete(slot);
      const task = slot.task;
      slot.task = undefined;
      if (task) {
        this.#failed++;
        this.#account(task);
        task.reject(
          task.cancelled
            ? new AbortError(
                `task \`${task.spec.name}\` of pool '${this.name}' was cancelled (its process was stopped)`,
              )
            : new HelperError(
                "ERR_WORKER_DIED",
                `task \`${task.spec.name}\` ended its process in pool '${this.name}' (exit code ${exitCodeOf(code, signal)}; did it call process.exit() or crash?): the pool replaced the process and serves on`,
              ),
        );
      }
      if (!this.#closed) this.#spawn();
      this.#pump();
    });
  }

  #account(task: Task): void {
    const now = performance.now();
    if (task.startedAt !== undefined) {
      this.#completed++;
      const ran = now - task.startedAt;
      this.#busyMs += ran;
      this.#runTimes.push(ran);
      this.#waitTimes.push(task.startedAt - task.queuedAt);
      if (this.#runTimes.length > KEEP_TIMINGS) this.#runTimes.shift();
      if (this.#waitTimes.length > KEEP_TIMINGS) this.#waitTimes.shift();
    }
    if (task.onAbort) task.signal?.removeEventListener("abort", task.onAbort);
  }

  #finish(slot: Slot, message: ResultMessage): void {
    const task = slot.task;
    if (!task || task.id !== message.id) return;
    slot.task = undefined;
    this.#account(task);
    task.sink?.addSpan(`${this.name}-worker-${slot.index}`, task.label, message.t0, message.t1, !message.ok);
    if (message.ok) task.resolve(message.value);
    else {
      this.#failed++;
      const where = `process '${this.name}-worker-${slot.index}' (pid ${slot.child.pid})`;
      task.reject(fromWireError(message.error, task.spec, { runner: "process", label: where }));
    }
    this.#pump();
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.task || !slot.child.connected) continue;
      const task = this.#queue.shift();
      if (!task) return;
      slot.task = task;
      task.startedAt = performance.now();
      slot.child.send(task.message, (error) => {
        if (error && slot.task === task) {
          // The arguments could not be serialized: fail this task alone; the process is fine.
          slot.task = undefined;
          this.#failed++;
          this.#account(task);
          task.reject(
            new HelperError(
              "ERR_NOT_CLONEABLE",
              `the arguments of task \`${task.spec.name}\` cannot be sent to a process: ${error.message}`,
              { cause: error },
            ),
          );
          this.#pump();
        }
      });
    }
  }

  /** Runs `fn(...args)` in a pool process; the promise is Python's future. */
  submit<A extends unknown[], R>(fn: Target<A, R>, ...args: A): Promise<Awaited<R>> {
    return this.run(fn, args);
  }

  /**
   * Runs `fn(...args)` with options: `signal` cancels it (a queued task is dropped, a running one's process is
   * killed and replaced) and the promise rejects with `AbortError`.
   */
  run<A extends unknown[], R>(fn: Target<A, R>, args: A, options: RunOptions = {}): Promise<Awaited<R>> {
    return this.#enqueue(fn, args, false, options.signal) as Promise<Awaited<R>>;
  }

  /** Python's `pool.map(fn, items)`: results in input order, items sent in chunks of `chunkSize`. */
  map<T, R>(fn: Target<[T], R>, items: Iterable<T>, options: MapOptions = {}): Promise<Awaited<R>[]> {
    if (this.#closed) return Promise.reject(this.#closedError());
    try {
      describeTarget(fn, "fn");
    } catch (error) {
      return Promise.reject(error);
    }
    return mapInChunks(
      items,
      this.size,
      options,
      (chunk, signal) => this.#enqueue(fn, chunk, true, signal) as Promise<Awaited<R>[]>,
    );
  }

  #enqueue(fn: unknown, args: unknown[], chunk: boolean, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closedError());
    let spec: TargetSpec;
    try {
      spec = describeTarget(fn, "fn");
      if (!Array.isArray(args)) invalid("args", "an array", args);
      if (signal !== undefined && !(signal instanceof AbortSignal)) invalid("signal", "an AbortSignal", signal);
      if (toWire(args).shared) {
        throw new HelperError(
          "ERR_NOT_SHAREABLE",
          `pool '${this.name}': shared-memory primitives cannot be passed to a process (processes share no memory); use a ThreadPool, or pass data`,
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
    const id = ++this.#nextId;
    const label = chunk && args.length > 1 ? `${spec.name} ×${args.length}` : spec.name;
    const promise = new Promise<unknown>((resolve, reject) => {
      const task: Task = {
        id,
        spec,
        label,
        sink: sinkFor(this.#timeline),
        signal,
        queuedAt: performance.now(),
        resolve: (value) => {
          this.#inFlight.delete(id);
          resolve(value);
        },
        reject: (error) => {
          this.#inFlight.delete(id);
          reject(error);
        },
        message: chunk
          ? { __kh: "run", id, target: spec, args: [], chunk: true, items: args, exitAfter: false, printErrors: false }
          : { __kh: "run", id, target: spec, args, exitAfter: false, printErrors: false },
      };
      if (signal) {
        task.onAbort = () => this.#cancel(task);
        signal.addEventListener("abort", task.onAbort, { once: true });
      }
      this.#queue.push(task);
    });
    this.#inFlight.set(id, promise);
    this.#pump();
    return promise;
  }

  #cancel(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#failed++;
      this.#account(task);
      task.reject(new AbortError(`task \`${task.spec.name}\` of pool '${this.name}' was cancelled before it started`));
      return;
    }
    for (const slot of this.#slots) {
      if (slot.task === task) {
        task.cancelled = true;
        // Why SIGKILL: a running target cannot be interrupted any other way; the exit handler rejects the
        // task with AbortError and starts a replacement process.
        slot.child.kill("SIGKILL");
      }
    }
  }

  #closedError(): HelperError {
    return new HelperError("ERR_POOL_CLOSED", `pool '${this.name}' is closed: create a new pool`);
  }

  /**
   * Refuses new tasks, waits for queued and running ones (or, with `force`, cancels them), then stops every
   * process and waits until each has exited.
   */
  async close(options: { force?: boolean } = {}): Promise<void> {
    this.#closed = true;
    if (options.force) {
      // Why mark them handled: the caller asked to cancel these tasks; their AbortErrors must not surface as
      // unhandled rejections when nobody awaits them any more.
      for (const promise of this.#inFlight.values()) promise.catch(() => undefined);
      for (const task of this.#queue.splice(0)) {
        this.#failed++;
        this.#account(task);
        task.reject(
          new AbortError(`pool '${this.name}' was closed with force before task \`${task.spec.name}\` started`),
        );
      }
      for (const slot of this.#slots) if (slot.task) slot.task.cancelled = true;
    } else {
      await Promise.allSettled([...this.#inFlight.values()]);
    }
    const exits = [...this.#slots].map((slot) => slot.exited);
    for (const slot of this.#slots) slot.child.kill(options.force ? "SIGKILL" : "SIGTERM");
    await Promise.all(exits);
    await Promise.allSettled([...this.#inFlight.values()]);
    // Why one more turn: libuv closes an exited child's process handle on the next loop iteration.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Counters and timings; see {@link PoolStats}. */
  stats(): PoolStats {
    const running = [...this.#slots].filter((s) => s.task).length;
    const elapsed = performance.now() - this.#startedAt;
    return {
      size: this.size,
      workers: this.#slots.size,
      running,
      queued: this.#queue.length,
      completed: this.#completed,
      failed: this.#failed,
      utilization: elapsed > 0 ? Math.min(1, this.#busyMs / (elapsed * this.size)) : 0,
      runTimeMs: summarize(this.#runTimes),
      waitTimeMs: summarize(this.#waitTimes),
    };
  }
}
