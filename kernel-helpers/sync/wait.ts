/**
 * Waiting on shared memory: blocking (`Atomics.wait`, for workers) and awaitable (`Atomics.waitAsync`, for
 * the main thread, whose event loop must keep running), both with a deadline, the async one with a signal.
 *
 * Every caller loops "check the condition, then the deadline, then wait": a wake-up that arrives together
 * with the deadline is therefore never thrown away (the condition is checked once more before giving up).
 */
import { isMainThread } from "node:worker_threads";
import { AbortError, HelperError } from "../errors";

type WaitAsyncResult = { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
type WaitAsyncFn = (a: Int32Array, i: number, v: number, t?: number) => WaitAsyncResult;
const waitAsyncImpl = (Atomics as unknown as { waitAsync?: WaitAsyncFn }).waitAsync;

/** Milliseconds left until `deadline` (a `performance.now()` time), never negative. */
export function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** A deadline `timeoutMs` from now (Infinity stays Infinity). */
export function deadlineAfter(timeoutMs: number): number {
  return timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
}

/** Whether this is the main thread, where blocking forms are refused (test it before building a message). */
export const onMainThread: boolean = isMainThread;

/**
 * Throws when a blocking wait is attempted on the main thread: `Atomics.wait` there would freeze the event
 * loop (timers, I/O, the notebook's kernel) and could deadlock with a worker that needs the loop.
 * @param call what was called, e.g. `lock.acquire()`
 * @param instead the awaitable form, e.g. `await lock.acquireAsync()`
 */
export function assertMayBlock(call: string, instead: string): void {
  if (onMainThread) {
    throw new HelperError(
      "ERR_BLOCKS_MAIN_THREAD",
      `${call} blocks its thread, and this is the main thread: its event loop (timers, I/O, the notebook) would freeze. ` +
        `Use \`${instead}\` here; the blocking form is for worker threads.`,
    );
  }
}

/**
 * Blocks while `i32[index] === value`, until notified or the deadline (workers only; see `assertMayBlock`).
 * Spurious returns are possible: callers re-check their condition in a loop.
 */
export function waitSync(i32: Int32Array, index: number, value: number, deadline: number): void {
  const left = remaining(deadline);
  if (left > 0) Atomics.wait(i32, index, value, left);
}

// Why a cap on each async wait: an abandoned waitAsync (its signal aborted) cannot be cancelled and stays in
// the waiter list until it times out; a short slice bounds that, and the loops above simply wait again.
const ASYNC_SLICE_MS = 500;

function noop(): void {}

/**
 * Awaits while `i32[index] === value`, until notified, the deadline or the signal (rejects with AbortError).
 * Spurious returns are possible: callers re-check their condition in a loop.
 */
export async function waitAsync(i32: Int32Array, index: number, value: number, deadline: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const left = remaining(deadline);
  if (left <= 0) return;
  const slice = Math.min(left, ASYNC_SLICE_MS);
  // Why a timer: a pending Atomics.waitAsync does not keep Node alive, so a script awaiting a lock held by a
  // worker could exit mid-wait; the timer holds the process open exactly as long as the wait lasts.
  const keepAlive = setTimeout(noop, slice + 50);
  try {
    if (!waitAsyncImpl) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(slice, 1)));
      return;
    }
    const result = waitAsyncImpl(i32, index, value, slice);
    if (!result.async) return;
    if (!signal) {
      await result.value;
      return;
    }
    let onAbort = noop;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new AbortError(undefined, { cause: signal.reason }));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([result.value, aborted]);
    } catch (error) {
      // Why pass the wake-up on: Atomics.notify(…, 1) may still pick this abandoned waiter; nobody would act on
      // it, and a real waiter would sleep on while the lock or permit it needs is free (a lost wake-up).
      void result.value.then((outcome) => {
        if (outcome === "ok") Atomics.notify(i32, index, 1);
      });
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  } finally {
    clearTimeout(keepAlive);
  }
}

/** One sleep a wait loop asks for: while `i32[index] === value`, until `deadline` (a `performance.now()` time). */
export interface Sleep {
  i32: Int32Array;
  index: number;
  value: number;
  deadline: number;
}

/**
 * A wait loop written once for the blocking and the async form of an operation ("check, deadline, sleep"): a
 * generator that yields each sleep it needs and returns the result (or throws the timeout). `blocking` drives it
 * with `Atomics.wait`, `awaiting` with `Atomics.waitAsync`; only the sleeping differs.
 */
export type WaitLoop<R> = Generator<Sleep, R, void>;

/** Runs a wait loop, blocking this thread in each sleep (workers; callers check `assertMayBlock` first). */
export function blocking<R>(loop: WaitLoop<R>): R {
  for (let step = loop.next(); ; step = loop.next()) {
    if (step.done) return step.value;
    const s = step.value;
    waitSync(s.i32, s.index, s.value, s.deadline);
  }
}

/**
 * Runs a wait loop, awaiting each sleep (the main thread's event loop keeps running). An abort is thrown into the
 * loop, so its `finally` blocks (a sleeper count, a lock) run before the `AbortError` reaches the caller.
 */
export async function awaiting<R>(loop: WaitLoop<R>, signal?: AbortSignal): Promise<R> {
  let step = loop.next();
  for (;;) {
    if (step.done) return step.value;
    const s = step.value;
    try {
      await waitAsync(s.i32, s.index, s.value, s.deadline, signal);
    } catch (error) {
      step = loop.throw(error);
      continue;
    }
    step = loop.next();
  }
}
