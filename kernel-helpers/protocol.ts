/**
 * The messages between the main thread and the runtimes that run targets (runtime/*.cjs): a `Thread`'s worker, a
 * `ThreadPool`'s piscina workers, and the child process of a `Process` or a `ProcessPool`. Declared once here; the
 * main side (threads/thread.ts, process/process.ts, pools/*) and the runtimes (`// @ts-check` JSDoc imports of
 * these types) both use them. Platform-free: plain data, structured-cloneable.
 *
 * Internal messages carry `__kh` (a learner's own process messages never do), so one discriminated union covers
 * what travels on a channel the learner shares:
 *
 *   main -> child process   { __kh: "run", id, target, args | items, ... }           RunMessage
 *   runtime -> main         { __kh: "result", id, ok, value | error, t0, t1 }        ResultMessage (thread, process)
 *   pool child -> main      { __kh: "out", stream, text }                             OutputMessage
 *
 * A thread starts from `workerData.__kh` (ThreadStart); a pool thread's task is piscina's task data (PoolTask), and
 * its answer the bare value on the fast path (PoolReply).
 */

/** A target as it travels: a function's source, or a module export by absolute path. */
export type TargetSpec =
  { kind: "source"; source: string; name: string } | { kind: "module"; path: string; export: string; name: string };

/** An error as a runtime describes it (runtime/target.cjs `serializeError`). */
export interface WireError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string;
  /** The outer variable a ReferenceError named, when the target's source uses it. */
  closure?: string;
}

/** Milliseconds since the epoch (sub-millisecond, comparable between threads and processes) a target ran. */
export interface Span {
  t0: number;
  t1: number;
}

/** main -> child process: run a target (a `Process` once, a pool child once per task). */
export interface RunMessage {
  __kh: "run";
  /** Matches the result to its task (a `Process` uses 1). */
  id: number;
  target: TargetSpec;
  /** The arguments (empty for a chunk). */
  args: unknown[];
  /** A chunk of `map`: `target(item)` for each item, one after another. */
  chunk?: true;
  items?: unknown[];
  /** The process's name (a `Process`; pool children are named at start). */
  name?: string;
  /** Exit after the target (a `Process`): code 0, or 1 when it threw. */
  exitAfter: boolean;
  /** Print the target's error to stderr, as Python prints a process's traceback. */
  printErrors: boolean;
}

/** runtime -> main: how a target ended. */
export type ResultMessage = { __kh: "result"; id: number } & Span & ({ ok: true; value: unknown } | { ok: false; error: WireError });

/** pool child -> main: console output, on the IPC channel so it stays in order with the results. */
export interface OutputMessage {
  __kh: "out";
  stream: "stdout" | "stderr";
  text: string;
}

/** Every internal message, told apart by `__kh`. */
export type RuntimeMessage = RunMessage | ResultMessage | OutputMessage;

/** What a `Thread`'s runtime finds in `workerData.__kh`. */
export interface ThreadStart {
  target: TargetSpec;
  /** The arguments, with handles in place of shared primitives when `shared`. */
  args: unknown[];
  shared: boolean;
  /** The worker bundle that rebuilds shared primitives (runtime/bundle.ts), when built. */
  wire: string | undefined;
  name: string;
}

/** A `ThreadPool` task (piscina's task data for runtime/pool-runtime.cjs); optional keys only when set. */
export interface PoolTask {
  /** A function target travels as its bare source (one string to clone per task), a module target as its spec. */
  target: TargetSpec | string;
  args?: unknown;
  items?: unknown[];
  chunk?: true;
  shared?: true;
  wire?: string | undefined;
  record?: true;
}

/**
 * The compact form of a `ThreadPool` task, used when it can be: a function target whose source is in the pool's
 * shared source table (pools/source-table.ts), arguments without shared primitives, nothing recording.
 * `[id, ...args]` calls the function; `[-id, ...items]` runs a `map` chunk. (An array of plain values clones in
 * about the time of a bare number; an object with the source text took 4-5 µs more per task.)
 */
export type PoolCall = [number, ...unknown[]];

/**
 * The barest form, for a call with one argument: the argument itself is piscina's task data, and the function is
 * named by piscina's per-task `name` option, `src:<id>` (the id in the shared source table), which
 * pool-runtime.cjs exports as a handler calling that function. Why: even a two-element array costs microseconds
 * per round trip over a bare number (best of 25 rounds of 500: raw piscina 37.9 µs with a number, 43.5 with an
 * array each way; the pool runtime given [id, x] 40.9, given x bare 37.6 against 37.3), and `name` travels anyway.
 */
export type PoolCallName = `${typeof POOL_CALL_PREFIX}${number}`;

/** The prefix of a {@link PoolCallName}. */
export const POOL_CALL_PREFIX = "src:";

/** A pool task's answer when a timeline records it. */
export interface PoolRecorded {
  __khRecord: { value: unknown; lane: string } & Span;
}

/** A pool task's answer when its target threw (so the closure check and the error's code survive the trip). */
export interface PoolFailed extends Span {
  __khError: WireError;
  lane: string;
}

/** What pool-runtime.cjs answers: the value itself (the fast path), or one of the two wrappers. */
export type PoolReply = unknown | PoolRecorded | PoolFailed;

const FROM_RUNTIME = new Set(["result", "out"]);

/** Whether a message from a runtime is internal (`result`, `out`); anything else is the learner's own message. */
export function isFromRuntime(message: unknown): message is ResultMessage | OutputMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    FROM_RUNTIME.has((message as { __kh?: unknown }).__kh as string)
  );
}

/** Whether a message is a result (of any runtime). */
export function isResult(message: unknown): message is ResultMessage {
  return typeof message === "object" && message !== null && (message as { __kh?: unknown }).__kh === "result";
}

/** Whether a pool reply is the failure wrapper. */
export function isPoolFailed(reply: unknown): reply is PoolFailed {
  return typeof reply === "object" && reply !== null && "__khError" in reply;
}

/** Whether a pool reply is the recording wrapper. */
export function isPoolRecorded(reply: unknown): reply is PoolRecorded {
  return typeof reply === "object" && reply !== null && "__khRecord" in reply;
}
