/**
 * `mapLimit`: an async pool for I/O on this event loop (Python's ThreadPoolExecutor for downloads, or asyncio
 * with a Semaphore): at most `limit` calls in flight, and `limit` in flight whenever that many are left.
 */
import { AbortError, checkPositiveInt, invalid } from "../errors";

/** Options of {@link mapLimit}. */
export interface MapLimitOptions {
  /** Stops starting new items and rejects with `AbortError`; `fn` receives it to cancel its own work. */
  signal?: AbortSignal;
}

/**
 * Calls `fn(item, index, signal)` for every item with at most `limit` calls pending at once; resolves with the
 * results in input order. The first rejection rejects the whole call and no further item starts (like p-map).
 * @example
 * const sizes = await mapLimit(urls, 4, async (url) => (await fetch(url)).headers.get("content-length"));
 */
export function mapLimit<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => R | Promise<R>,
  options: MapLimitOptions = {},
): Promise<Awaited<R>[]> {
  return new Promise<Awaited<R>[]>((resolve, reject) => {
    if (items === null || typeof (items as Iterable<T>)?.[Symbol.iterator] !== "function")
      invalid("items", "an array or iterable", items);
    checkPositiveInt("limit", limit);
    if (typeof fn !== "function") invalid("fn", "a function", fn);
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) invalid("signal", "an AbortSignal", signal);
    const list = Array.from(items);
    const results = new Array<Awaited<R>>(list.length);
    const controller = new AbortController();
    let next = 0;
    let pending = 0;
    let done = false;

    const finish = (failed: boolean, error?: unknown) => {
      if (done) return;
      done = true;
      signal?.removeEventListener("abort", onAbort);
      if (!failed) resolve(results);
      else {
        // Why abort our own controller: calls still in flight get the signal and can stop their requests.
        controller.abort(error);
        reject(error);
      }
    };
    const onAbort = () => finish(true, new AbortError(undefined, { cause: signal?.reason }));

    const launch = () => {
      // Why a loop that refills up to `limit`: each completion starts exactly one more item, so the number in
      // flight stays at `limit` while items are left; never more, even when fn settles synchronously.
      while (!done && pending < limit && next < list.length) {
        const index = next++;
        pending++;
        Promise.resolve()
          .then(() => fn(list[index] as T, index, controller.signal))
          .then(
            (value) => {
              pending--;
              results[index] = value as Awaited<R>;
              if (next >= list.length && pending === 0) finish(false);
              else launch();
            },
            (error: unknown) => {
              pending--;
              finish(true, error);
            },
          );
      }
    };

    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (list.length === 0) return finish(false);
    launch();
  });
}
