/**
 * Run a function while holding something (a lock, a permit) and always give it back: the body of every
 * `withLock` / `withPermit`. Guards against the interleaving where `fn` throws (or its promise rejects)
 * after the acquire, which would otherwise leave the lock held and every other thread waiting forever.
 * (It takes the primitive itself, not two closures: `withLock` is the hot path of every locked loop, and
 * two closures per call cost about 15% of its throughput in the lock bench.)
 */

/** What can be held: a lock or a semaphore. */
export interface Holdable<O> {
  acquire(options?: O): unknown;
  acquireAsync(options?: O): Promise<unknown>;
  release(): void;
}

/** `acquire()`, then `fn()`, then `release()` even if `fn` throws. */
export function holding<T, O>(held: Holdable<O>, fn: () => T, options: O | undefined): T {
  held.acquire(options);
  try {
    return fn();
  } finally {
    held.release();
  }
}

/** `await acquireAsync()`, then `await fn()`, then `release()` even if `fn` rejects. */
export async function holdingAsync<T, O>(
  held: Holdable<O>,
  fn: () => T | Promise<T>,
  options: O | undefined,
): Promise<T> {
  await held.acquireAsync(options);
  try {
    return await fn();
  } finally {
    held.release();
  }
}
