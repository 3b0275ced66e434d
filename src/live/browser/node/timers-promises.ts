/** `node:timers/promises` for the browser runtime: `setTimeout`, `setImmediate`, `setInterval` (async iterator). */
import { timers } from "./timers";

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error("The operation was aborted", { cause: signal.reason }), {
    name: "AbortError",
    code: "ABORT_ERR",
  });
}

export function setTimeout<T = void>(ms = 0, value?: T, options: { signal?: AbortSignal } = {}): Promise<T> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      timer.clear();
      reject(abortError(signal!));
    };
    const timer = timers.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(value as T);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function setImmediate<T = void>(value?: T, options: { signal?: AbortSignal } = {}): Promise<T> {
  return setTimeout(0, value, options);
}

export async function* setInterval<T = void>(ms = 0, value?: T, options: { signal?: AbortSignal } = {}): AsyncGenerator<T> {
  for (;;) yield await setTimeout(ms, value, options);
}

export const scheduler = { wait: (ms: number, options?: { signal?: AbortSignal }) => setTimeout(ms, undefined, options) };

export default { setTimeout, setImmediate, setInterval, scheduler };
