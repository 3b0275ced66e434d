/**
 * Run a function while holding something (a lock, a permit) and always give it back: the body of every
 * `withLock` / `withPermit`. Guards against the interleaving where `fn` throws (or its promise rejects)
 * after the acquire, which would otherwise leave the lock held and every other thread waiting forever.
 */

/** `acquire()`, then `fn()`, then `release()` even if `fn` throws. */
export function holding<T>(acquire: () => unknown, release: () => void, fn: () => T): T {
  acquire();
  try {
    return fn();
  } finally {
    release();
  }
}

/** `await acquire()`, then `await fn()`, then `release()` even if `fn` rejects. */
export async function holdingAsync<T>(
  acquire: () => Promise<unknown>,
  release: () => void,
  fn: () => T | Promise<T>,
): Promise<T> {
  await acquire();
  try {
    return await fn();
  } finally {
    release();
  }
}
