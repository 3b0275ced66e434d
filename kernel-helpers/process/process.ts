/**
 * `Process`: Python's `multiprocessing.Process` on a forked Node process. Its own memory, its own pid, its own
 * event loop; values travel as structured clones over IPC, console output comes back into the cell.
 */
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { AbortError, HelperError, TimeoutError, checkTimeout, invalid, throwIfAborted } from "../errors";
import { forwardOutput } from "../threads/output";
import { isResult, type RunMessage } from "../protocol";
import { fromWireError, type Place } from "../threads/remote";
import { describeTarget, type Target, type TargetSpec } from "../threads/target";
import { toWire } from "../threads/wire";
import { sinkFor, type SpanSink } from "../viz/recorder";
import { exitCodeOf, forkRuntime } from "./children";

/** Options of {@link Process}. */
export interface ProcessOptions<A extends unknown[] = unknown[], R = unknown> {
  /** What the process runs: a function (travels as source, as for a Thread) or `{ module, export? }`. */
  target: Target<A, R>;
  /** Arguments, copied (structured clone). Shared primitives cannot go to a process (no shared memory). @default [] */
  args?: A;
  /** The process's name (`currentProcess().name` inside). @default "Process-N" */
  name?: string;
  /** Kill the process after this many ms; `join()` then rejects with `TimeoutError` (`ERR_PROCESS_TIMEOUT`). */
  timeout?: number;
  /** Aborting it kills the process; `join()` then rejects with `AbortError`. */
  signal?: AbortSignal;
  /** Record the target's run on this timeline (default: the timeline whose `record()` is running, if any). */
  timeline?: SpanSink;
}

/** @internal Options runInProcess sets. */
interface InternalOptions {
  printErrors?: boolean;
}


const KILL_GRACE_MS = 1000;
let counter = 0;

/**
 * A child process running `target(...args)`.
 * @example
 * const p = new Process({ target: (n: number) => { console.log(`pid ${process.pid}, parent ${process.ppid}`); return n * 2; }, args: [21] });
 * p.start();
 * console.log(await p.join(), p.result); // 0 42
 */
export class Process<A extends unknown[] = unknown[], R = unknown> extends EventEmitter {
  /** The process's name. */
  readonly name: string;
  /** Python's `exitcode`: `null` while running; 0, 1 (the target threw), `n` (process.exit(n)) or `-N` (signal N). */
  exitCode: number | null = null;
  /** The target's return value, once it returned. */
  result: Awaited<R> | undefined;
  /** The target's error (message and stack from the child), when it threw. */
  error: Error | undefined;
  readonly #spec: TargetSpec;
  readonly #args: unknown[];
  readonly #timeout: number;
  readonly #signal: AbortSignal | undefined;
  readonly #sink: SpanSink | undefined;
  readonly #printErrors: boolean;
  #child: ChildProcess | undefined;
  #done: Promise<number> | undefined;
  #timedOut = false;
  #aborted = false;

  constructor(options: ProcessOptions<A, R>) {
    super();
    if (typeof options !== "object" || options === null) invalid("options", "an object with a `target`", options);
    this.#spec = describeTarget(options.target);
    if (options.args !== undefined && !Array.isArray(options.args)) invalid("args", "an array", options.args);
    this.#args = options.args ?? [];
    if (options.name !== undefined && typeof options.name !== "string") invalid("name", "a string", options.name);
    this.name = options.name ?? `Process-${++counter}`;
    this.#timeout = checkTimeout("timeout", options.timeout);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
      invalid("signal", "an AbortSignal", options.signal);
    this.#signal = options.signal;
    this.#sink = sinkFor(options.timeline);
    this.#printErrors = (options as InternalOptions).printErrors ?? true;
  }

  /** The child's pid once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Whether the process was started and has not exited. */
  isAlive(): boolean {
    return this.#child !== undefined && this.exitCode === null;
  }

  /** Starts the process (once). */
  start(): this {
    if (this.#child) throw new HelperError("ERR_THREAD_STARTED", `process '${this.name}' can only be started once`);
    throwIfAborted(this.#signal);
    const wired = toWire(this.#args);
    if (wired.shared) {
      throw new HelperError(
        "ERR_NOT_SHAREABLE",
        `process '${this.name}': shared-memory primitives (Lock, AtomicCounter, SharedArray, ...) cannot be passed to a process, because processes share no memory; use a Thread, or send messages (proc.send / process.send)`,
      );
    }
    const child = forkRuntime(this.name);
    this.#child = child;
    this.#done = this.#watch(child);
    this.#done.catch(() => undefined);
    const run: RunMessage = {
      __kh: "run",
      id: 1,
      target: this.#spec,
      args: this.#args,
      name: this.name,
      exitAfter: true,
      printErrors: this.#printErrors,
    };
    child.send(
      run,
      (error) => {
        // Why kill on a failed send: the child would wait forever for a target that never comes.
        if (error) {
          this.error = new HelperError(
            "ERR_NOT_CLONEABLE",
            `the arguments of process '${this.name}' cannot be sent to it: ${error.message}`,
            { cause: error },
          );
          child.kill("SIGKILL");
        }
      },
    );
    return this;
  }

  async #watch(child: ChildProcess): Promise<number> {
    const place: Place = { runner: "process", label: `process '${this.name}' (pid ${child.pid})` };
    let timer: NodeJS.Timeout | undefined;
    if (this.#timeout !== Infinity) {
      timer = setTimeout(() => {
        this.#timedOut = true;
        this.#stop();
      }, this.#timeout);
    }
    const onAbort = () => {
      this.#aborted = true;
      this.#stop();
    };
    this.#signal?.addEventListener("abort", onAbort, { once: true });
    child.on("message", (message: unknown) => {
      if (isResult(message)) {
        if (message.ok) this.result = message.value as Awaited<R>;
        else this.error = fromWireError(message.error, this.#spec, place);
        this.#sink?.addSpan(this.name, this.#spec.name, message.t0, message.t1, !message.ok);
      } else {
        this.emit("message", message);
      }
    });
    const output = Promise.all([forwardOutput(child.stdout, "stdout"), forwardOutput(child.stderr, "stderr")]);
    const ended = await new Promise<[number | null, NodeJS.Signals | null] | Error>((resolve) => {
      child.once("exit", (c, s) => resolve([c, s]));
      // A fork that could not start (no memory, too many processes) reports 'error' and never 'exit'.
      child.once("error", (e) => {
        if (child.pid === undefined) resolve(e);
      });
    });
    if (ended instanceof Error) {
      if (timer) clearTimeout(timer);
      this.#signal?.removeEventListener("abort", onAbort);
      this.exitCode = -1;
      throw new HelperError("ERR_PROCESS_START", `process '${this.name}' could not start: ${ended.message}`, {
        cause: ended,
      });
    }
    const [code, signal] = ended;
    // Why wait for the output too: the last lines the child printed may arrive after its exit.
    await output;
    if (timer) clearTimeout(timer);
    this.#signal?.removeEventListener("abort", onAbort);
    this.exitCode = exitCodeOf(code, signal);
    this.emit("exit", this.exitCode);
    if (this.#timedOut) {
      throw new TimeoutError(
        `process '${this.name}' (pid ${child.pid}) ran longer than ${this.#timeout} ms and was killed`,
        "ERR_PROCESS_TIMEOUT",
      );
    }
    if (this.#aborted) throw new AbortError(`process '${this.name}' (pid ${child.pid}) was stopped by its signal`);
    return this.exitCode;
  }

  #stop(): void {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    // Why escalate: a target can ignore SIGTERM (process.on("SIGTERM")) or be stuck; SIGKILL cannot be refused.
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }, KILL_GRACE_MS).unref();
  }

  /**
   * Waits for the process to exit; resolves with its exit code (Python's `exitcode`).
   * Rejects with `TimeoutError` (`ERR_PROCESS_TIMEOUT`) after the `timeout` option, `AbortError` after `signal`.
   */
  join(): Promise<number> {
    if (!this.#done) {
      return Promise.reject(
        new HelperError("ERR_THREAD_NOT_STARTED", `cannot join process '${this.name}' before it is started`),
      );
    }
    return this.#done;
  }

  /** Sends a message to the process: its target receives it with `process.on("message", ...)`. */
  send(message: unknown): void {
    if (!this.#child?.connected) {
      throw new HelperError("ERR_PROCESS_NOT_RUNNING", `cannot send to process '${this.name}': it is not running`);
    }
    this.#child.send(message as never);
  }

  /** Sends a signal (Python's `terminate()` is SIGTERM, `kill()` SIGKILL). `join()` then gives `-N`. */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    this.#child?.kill(signal);
  }
}


/**
 * Runs `fn(...args)` in a new process and resolves with its return value; rejects with its error (`RemoteError`).
 * @example
 * const pid = await runInProcess(() => process.pid);
 */
export async function runInProcess<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
  const options: ProcessOptions<A, R> & InternalOptions = { target: fn, args, printErrors: false };
  const proc = new Process<A, R>(options);
  const code = await proc.start().join();
  if (proc.error) throw proc.error;
  if (code !== 0) {
    throw new HelperError(
      "ERR_PROCESS_EXIT",
      `process '${proc.name}' exited with code ${code} before \`${fn.name || "anonymous"}\` returned`,
    );
  }
  return proc.result as Awaited<R>;
}
