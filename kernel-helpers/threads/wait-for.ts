/** Awaiting a promise with a timeout and an AbortSignal, cleaning up the timer and the listener either way. */
import { AbortError } from "../errors";

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Milliseconds; Infinity waits forever. */
  timeout: number;
  signal?: AbortSignal | undefined;
  /** The error to reject with when the timeout passes. */
  onTimeout: () => Error;
}

/** Resolves like `promise`, or rejects on timeout (`onTimeout()`) or abort (`AbortError`). `promise` keeps running. */
export function waitFor<T>(promise: Promise<T>, options: WaitForOptions): Promise<T> {
  const { timeout, signal, onTimeout } = options;
  if (timeout === Infinity && !signal) return promise;
  if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => finish(() => reject(new AbortError(undefined, { cause: signal?.reason })));
    const finish = (settle: () => void) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    };
    if (timeout !== Infinity) timer = setTimeout(() => finish(() => reject(onTimeout())), timeout);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
