/**
 * Node-style timers for a realm of the browser runtime: `setTimeout`/`setInterval`/`setImmediate` return a
 * `Timeout` with `ref()`/`unref()`/`hasRef()`/`refresh()`, and each live, referenced timer is a handle that keeps
 * a thread alive (Node ends a worker whose event loop has nothing left: the browser never does, so the thread
 * bootstrap counts handles itself).
 */
import { hold } from "./realm";

type Callback = (...args: unknown[]) => void;

const native = {
  setTimeout: globalThis.setTimeout.bind(globalThis),
  clearTimeout: globalThis.clearTimeout.bind(globalThis),
  setInterval: globalThis.setInterval.bind(globalThis),
  clearInterval: globalThis.clearInterval.bind(globalThis),
};

export class Timeout {
  #id: number;
  #release: (() => void) | undefined;
  #repeat: boolean;
  #start: () => number;
  #fired = false;

  constructor(callback: Callback, ms: number, args: unknown[], repeat: boolean) {
    this.#repeat = repeat;
    const run = () => {
      if (!this.#repeat) {
        this.#fired = true;
        this.#drop();
      }
      callback(...args);
    };
    this.#start = () => (repeat ? native.setInterval(run, ms) : native.setTimeout(run, ms));
    this.#id = this.#start();
    this.#release = hold();
  }

  #drop(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  clear(): void {
    if (this.#repeat) native.clearInterval(this.#id);
    else native.clearTimeout(this.#id);
    this.#fired = true;
    this.#drop();
  }

  ref(): this {
    if (!this.#release && !this.#fired) this.#release = hold();
    return this;
  }

  unref(): this {
    this.#drop();
    return this;
  }

  hasRef(): boolean {
    return this.#release !== undefined;
  }

  refresh(): this {
    this.clear();
    this.#fired = false;
    this.#id = this.#start();
    this.#release = hold();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.#id;
  }
}

function clear(timer: unknown): void {
  if (timer instanceof Timeout) timer.clear();
  else if (typeof timer === "number") {
    native.clearTimeout(timer);
    native.clearInterval(timer);
  }
}

export const timers = {
  setTimeout: (callback: Callback, ms = 0, ...args: unknown[]) => new Timeout(callback, Number(ms) || 0, args, false),
  setInterval: (callback: Callback, ms = 0, ...args: unknown[]) =>
    new Timeout(callback, Math.max(1, Number(ms) || 0), args, true),
  setImmediate: (callback: Callback, ...args: unknown[]) => new Timeout(callback, 0, args, false),
  clearTimeout: clear,
  clearInterval: clear,
  clearImmediate: clear,
};

/** Makes the Node-style timers this realm's globals. */
export function installTimers(): void {
  Object.assign(globalThis, timers);
}

/** The native `setTimeout`, for the runtime's own bookkeeping (it must not count as a live handle). */
export const nativeSetTimeout = native.setTimeout;

export default timers;
