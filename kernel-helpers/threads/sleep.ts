/** Sleeping: awaitable (the event loop keeps running) and blocking (for targets running in workers). */
import { AbortError, checkTimeout } from "../errors";

/**
 * Resolves after `ms` milliseconds (Python's `await asyncio.sleep(s)`, in ms). Other callbacks keep running.
 * @example
 * await sleep(100);
 * await sleep(10_000, { signal: AbortSignal.timeout(50) }); // rejects with AbortError after 50 ms
 */
export function sleep(ms: number, options: { signal?: AbortSignal } = {}): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    const delay = checkTimeout("ms", ms); // a bad value rejects the promise, as an async function would
    if (signal?.aborted) return reject(new AbortError(undefined, { cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delay);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Blocks this thread for `ms` milliseconds (Python's `time.sleep`): for targets running in workers. On the main
 * thread it freezes everything else (timers, I/O, the notebook's kernel) for that long: that is the lesson.
 * @example
 * new Thread({ target: () => { sleepSync(100); return "done"; } }).start();
 */
export function sleepSync(ms: number): void {
  const delay = checkTimeout("ms", ms);
  // Why Atomics.wait on a private cell: nobody notifies it, so it is a precise blocking sleep of this thread only.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delay);
}
