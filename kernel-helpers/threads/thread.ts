/**
 * `Thread`: Python's `threading.Thread` on a Node worker thread. The target runs in a worker of its own (truly in
 * parallel: Node has no GIL); its return value, its error or its death comes back through `join()`.
 */
import { Worker } from "node:worker_threads";
import { AbortError, HelperError, TimeoutError, checkTimeout, invalid, throwIfAborted } from "../errors";
import { wireBundle } from "../runtime/bundle";
import { runtimeFile } from "../runtime/paths";
import { namesForWorker, registerThreadName } from "../sync/identity";
import { sinkFor, type SpanSink } from "../viz/recorder";
import { isCloneError, notCloneable } from "./clone-check";
import { forwardOutput } from "./output";
import { isResult, type ResultMessage, type ThreadStart } from "../protocol";
import { fromWireError, fromWorkerError, type Place } from "./remote";
import { describeTarget, type Target, type TargetSpec } from "./target";
import { waitFor } from "./wait-for";
import { toWire } from "./wire";

/** Options of {@link Thread}. */
export interface ThreadOptions<A extends unknown[] = unknown[], R = unknown> {
  /**
   * What the thread runs: a function (it travels as source: it may use its parameters, globals, `require` and
   * the helpers `currentThread`/`sleepSync`, not outer variables) or `{ module, export? }`.
   */
  target: Target<A, R>;
  /** Arguments for the target: copied (structured clone); shared primitives arrive as the same primitive. @default [] */
  args?: A;
  /** The thread's name, shown by `currentThread().name` inside the target and in lock errors. @default "Thread-N" */
  name?: string;
  /** Aborting it stops the worker; `join()` then rejects with `AbortError`. */
  signal?: AbortSignal;
  /** Record the target's run on this timeline (default: the timeline whose `record()` is running, if any). */
  timeline?: SpanSink;
}

/** Options of {@link Thread.join}. */
export interface JoinOptions {
  /** Give up waiting after this many ms with `TimeoutError` (`ERR_JOIN_TIMEOUT`); the thread keeps running. */
  timeout?: number;
  /** Stop waiting (the thread keeps running) with `AbortError`. */
  signal?: AbortSignal;
}


let counter = 0;

/**
 * A thread of execution: a Node worker thread running `target(...args)`.
 * @example
 * function worker(n: number) { console.log(`${currentThread().name} working`); return n * 2; }
 * const t = new Thread({ target: worker, args: [21], name: "Worker-1" }).start();
 * console.log(await t.join()); // 42
 */
export class Thread<A extends unknown[] = unknown[], R = unknown> {
  /** The thread's name. */
  readonly name: string;
  readonly #spec: TargetSpec;
  readonly #args: unknown[];
  readonly #signal: AbortSignal | undefined;
  readonly #sink: SpanSink | undefined;
  #worker: Worker | undefined;
  #state: "new" | "running" | "done" = "new";
  #threadId: number | undefined;
  #done: Promise<Awaited<R>> | undefined;
  #joined = false;
  #aborted = false;

  constructor(options: ThreadOptions<A, R>) {
    if (typeof options !== "object" || options === null) invalid("options", "an object with a `target`", options);
    this.#spec = describeTarget(options.target);
    if (options.args !== undefined && !Array.isArray(options.args)) invalid("args", "an array", options.args);
    this.#args = options.args ?? [];
    if (options.name !== undefined && typeof options.name !== "string") invalid("name", "a string", options.name);
    this.name = options.name ?? `Thread-${++counter}`;
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
      invalid("signal", "an AbortSignal", options.signal);
    this.#signal = options.signal;
    this.#sink = sinkFor(options.timeline);
  }

  /** The worker's `threadId` once started (what `currentThread().threadId` says inside). */
  get threadId(): number | undefined {
    return this.#threadId;
  }

  /** Whether the thread was started and has not ended. */
  isAlive(): boolean {
    return this.#state === "running";
  }

  /**
   * Starts the thread (once). Throws `ERR_NOT_CLONEABLE` naming the argument that cannot be copied to a thread.
   * @returns this thread, so `new Thread({...}).start()` reads well.
   */
  start(): this {
    if (this.#state !== "new")
      throw new HelperError("ERR_THREAD_STARTED", `thread '${this.name}' can only be started once`);
    throwIfAborted(this.#signal);
    const wired = toWire(this.#args);
    let worker: Worker;
    try {
      worker = new Worker(runtimeFile("thread-runtime.cjs"), {
        workerData: {
          ...namesForWorker(),
          __kh: {
            target: this.#spec,
            args: wired.value as unknown[],
            shared: wired.shared,
            wire: wired.shared ? wireBundle() : undefined,
            name: this.name,
          } satisfies ThreadStart,
        },
        transferList: wired.transfer,
        // Why no inherited flags: a kernel's preloads (tslab's watchdog, a tsx loader under scripts and tests)
        // would run again in every thread; measured, `--import tsx` alone made each start about 5x slower.
        execArgv: [],
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      if (isCloneError(error)) throw notCloneable(this.#args, `thread '${this.name}'`, error);
      throw error;
    }
    this.#worker = worker;
    this.#threadId = worker.threadId;
    this.#state = "running";
    registerThreadName(worker.threadId, this.name);
    this.#done = this.#watch(worker);
    // Why a no-op catch: a thread nobody joins must not crash the kernel with an unhandled rejection; its error
    // is printed instead (see #report), as Python prints "Exception in thread ...".
    this.#done.catch(() => undefined);
    if (this.#signal) {
      const onAbort = () => void this.terminate();
      this.#signal.addEventListener("abort", onAbort, { once: true });
      void this.#done.catch(() => undefined).finally(() => this.#signal?.removeEventListener("abort", onAbort));
    }
    return this;
  }

  async #watch(worker: Worker): Promise<Awaited<R>> {
    const place: Place = { runner: "thread", label: `thread '${this.name}'` };
    let crash: unknown;
    const output = Promise.all([forwardOutput(worker.stdout, "stdout"), forwardOutput(worker.stderr, "stderr")]);
    worker.on("error", (e) => (crash = e));
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    const result = await Promise.race([
      new Promise<ResultMessage>((resolve) => {
        // Only the runtime's result counts: a target may post messages of its own on parentPort.
        const onMessage = (message: unknown) => {
          if (!isResult(message)) return;
          worker.off("message", onMessage);
          resolve(message);
        };
        worker.on("message", onMessage);
      }),
      exited.then(() => undefined),
    ]);
    if (result && !this.#aborted) {
      // The target has returned. Its output is already here (the runtime flushes it before posting the result),
      // and the worker only has to exit: join() does not wait for that teardown.
      this.#state = "done";
      this.#sink?.addSpan(this.name, this.#spec.name, result.t0, result.t1, !result.ok);
      if (result.ok) return result.value as Awaited<R>;
      const error = fromWireError(result.error, this.#spec, place);
      this.#report(error);
      throw error;
    }
    const code = await exited;
    // Why wait for the output streams: the last chunks of a thread that died may be delivered just after 'exit'.
    await output;
    this.#state = "done";
    if (this.#aborted) throw new AbortError(`thread '${this.name}' was terminated`);
    const error =
      crash !== undefined
        ? fromWorkerError(crash, place)
        : new HelperError(
            "ERR_THREAD_EXIT",
            `thread '${this.name}' exited with code ${code} before its target \`${this.#spec.name}\` returned (did the target call process.exit()?)`,
          );
    this.#report(error);
    throw error;
  }

  #report(error: Error): void {
    if (this.#joined) return;
    process.stderr.write(`Exception in thread '${this.name}' (not joined yet):\n${error.stack ?? error.message}\n`);
  }

  /**
   * Waits for the thread to end; resolves with the target's return value.
   * Rejects with the target's error (`RemoteError`: message and stack kept), `HelperError` (`ERR_CLOSURE`,
   * `ERR_THREAD_EXIT`, `ERR_NOT_CLONEABLE`), `TimeoutError` (`ERR_JOIN_TIMEOUT`) or `AbortError`.
   */
  join(options: JoinOptions = {}): Promise<Awaited<R>> {
    if (!this.#done) {
      return Promise.reject(
        new HelperError("ERR_THREAD_NOT_STARTED", `cannot join thread '${this.name}' before it is started`),
      );
    }
    const timeout = checkTimeout("timeout", options.timeout);
    this.#joined = true;
    return waitFor(this.#done, {
      timeout,
      signal: options.signal,
      onTimeout: () =>
        new TimeoutError(`thread '${this.name}' still running after join({ timeout: ${timeout} })`, "ERR_JOIN_TIMEOUT"),
    });
  }

  /** Stops the thread now (Node can; Python cannot). `join()` then rejects with `AbortError`. */
  async terminate(): Promise<void> {
    if (!this.#worker || this.#state !== "running") return;
    this.#aborted = true;
    this.#joined = true;
    await this.#worker.terminate();
    await this.#done?.catch(() => undefined);
  }
}

/**
 * Runs `fn(...args)` on a new thread and resolves with its return value (start + join).
 * @example
 * const sum = await runInThread((n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }, 1e8);
 */
export function runInThread<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
  return new Thread<A, R>({ target: fn, args }).start().join();
}
