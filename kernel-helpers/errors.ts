/**
 * Coded errors of the kernel helpers. Kept apart from `src/errors.ts` on purpose: notebooks import
 * `kernel-helpers/` alone, so it depends on nothing in `src/`.
 */

/**
 * Base class of every helper error: a stable `code` a script or a grader can test, and the `cause` kept.
 * @example
 * try { lock.acquire({ timeout: 100 }); } catch (e) { if (e instanceof HelperError) console.log(e.code); }
 */
export class HelperError extends Error {
  /** A stable, machine-readable code such as `ERR_LOCK_TIMEOUT`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A wait (lock, semaphore, barrier, queue, join) that did not finish within its timeout. */
export class TimeoutError extends HelperError {
  constructor(message: string, code = "ERR_TIMEOUT") {
    super(code, message);
  }
}

/**
 * `Lock.acquire` gave up after its timeout: names the lock and who held it, which is what a deadlock demo shows.
 */
export class LockTimeoutError extends TimeoutError {
  /** The lock's name. */
  readonly lock: string;
  /** Who held the lock when we gave up, e.g. `thread 3 (worker-B)`, or `unknown`. */
  readonly heldBy: string;

  constructor(lock: string, heldBy: string, timeoutMs: number, by: string) {
    super(
      `${by} waited ${timeoutMs} ms for lock '${lock}', held by ${heldBy}: a deadlock if ${heldBy} is waiting for a lock ${by} holds`,
      "ERR_LOCK_TIMEOUT",
    );
    this.lock = lock;
    this.heldBy = heldBy;
  }
}

/** An operation cancelled through its `AbortSignal`. */
export class AbortError extends HelperError {
  constructor(message = "The operation was aborted", options?: { cause?: unknown }) {
    super("ABORT_ERR", message, options);
  }
}

/**
 * An exception thrown by code in a thread or process, re-created on this side: the original `message`
 * unchanged, the remote `stack` kept (with a last line saying where it was thrown), the class name in
 * `remoteName` and any `code` the remote error had.
 */
export class RemoteError extends HelperError {
  /** The remote error's class name, e.g. `TypeError`. */
  readonly remoteName: string;
  /** Where it was thrown, e.g. `thread 'Thread-1'` or `process 4242`. */
  readonly where: string;

  constructor(remoteName: string, message: string, stack: string | undefined, where: string, remoteCode?: string) {
    super(remoteCode ?? "ERR_REMOTE", message);
    this.remoteName = remoteName;
    this.where = where;
    this.stack = `${stack ?? `${remoteName}: ${message}`}\n    --- thrown in ${where}`;
  }
}

/** Throws a TypeError that names the option, the expectation and the value received. */
export function invalid(option: string, expected: string, value: unknown): never {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new TypeError(`Expected \`${option}\` to be ${expected}, got \`${shown}\` (${typeof value})`);
}

/** Validates an optional timeout in milliseconds (finite, >= 0) or Infinity. */
export function checkTimeout(option: string, value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) invalid(option, "a number of milliseconds from 0 up", value);
  return value;
}

/** Validates a positive integer option. */
export function checkPositiveInt(option: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) invalid(option, "an integer from 1 up", value);
  return value;
}

/** Throws an AbortError if the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

/**
 * A `Barrier` that was broken (a waiter timed out or was aborted, or `abort()` was called): every thread
 * waiting on it, and every later `wait`, gets this error (Python's `threading.BrokenBarrierError`).
 */
export class BrokenBarrierError extends HelperError {
  /** The barrier's name. */
  readonly barrier: string;

  constructor(barrier: string, why: string) {
    super("ERR_BROKEN_BARRIER", `barrier '${barrier}' is broken: ${why}`);
    this.barrier = barrier;
  }
}

/** A `put` on a closed queue, or a `send`/`recv` on a closed pipe (Python's `EOFError` / `ValueError`). */
export class ClosedError extends HelperError {
  constructor(message: string, code = "ERR_CLOSED") {
    super(code, message);
  }
}

/** `putNowait` on a full queue (Python's `queue.Full`). */
export class QueueFullError extends HelperError {
  constructor(message: string) {
    super("ERR_QUEUE_FULL", message);
  }
}

/** `getNowait` on an empty queue (Python's `queue.Empty`). */
export class QueueEmptyError extends HelperError {
  constructor(message: string) {
    super("ERR_QUEUE_EMPTY", message);
  }
}
