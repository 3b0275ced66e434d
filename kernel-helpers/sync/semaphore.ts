/**
 * `Semaphore`: a counter of permits in shared memory (Python's `threading.BoundedSemaphore`): `acquire` takes
 * one (waiting while there are none), `release` gives one back, and giving back more than the maximum is an
 * error, which catches the classic bug of releasing twice.
 */
import { HelperError, TimeoutError, checkTimeout, invalid } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { assertMayBlock, onMainThread, deadlineAfter, remaining, waitAsync, waitSync } from "./wait";
import { holding, holdingAsync } from "./holding";

const VALUE = 0;
const WAITERS = 1;
const MAX = 2;
const INT32_MAX = 2 ** 31 - 1;
let created = 0;

/** Options of a `Semaphore`. */
export interface SemaphoreOptions {
  /** The most permits it may hold; a `release` above it throws. Pass `Infinity` for Python's unbounded `Semaphore`. @default the initial value */
  max?: number;
  /** A name for error messages. @default "Semaphore-N" */
  name?: string;
}

/** Options of `acquire` / `acquireAsync`. */
export interface SemaphoreAcquireOptions {
  /** Give up after this many milliseconds with a `TimeoutError`. @default Infinity */
  timeout?: number;
  /** Cancels an async wait with an `AbortError`. */
  signal?: AbortSignal;
}

/**
 * A bounded semaphore shared by every thread it is passed to: at most `value` holders at once.
 * @example
 * const slots = new Semaphore(3, { name: "downloads" });
 * slots.withPermit(() => download(url));                 // in a worker
 * await slots.withPermitAsync(() => fetch(url));         // on the main thread
 */
export class Semaphore {
  /** The semaphore's name, used in error messages. */
  readonly name: string;
  /** The shared memory: permits, sleeping waiters, maximum. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /**
   * @param value the permits it starts with (Python's `Semaphore(value)`), an integer from 0 up
   * @param options `max` (default `value`) and `name`
   */
  constructor(value = 1, options: SemaphoreOptions = {}) {
    if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) invalid("value", "an integer from 0 up", value);
    const max = options.max ?? value;
    if (max !== Infinity && (!Number.isInteger(max) || max < value)) invalid("max", "an integer at least `value`, or Infinity", max);
    this.name = options.name ?? `Semaphore-${++created}`;
    this.buffer = new SharedArrayBuffer(12);
    this.i32 = new Int32Array(this.buffer);
    this.i32[VALUE] = value;
    this.i32[MAX] = max === Infinity ? INT32_MAX : Math.min(max, INT32_MAX);
  }

  /** Rebuilds a semaphore from its handle, in another worker: the same semaphore. */
  static from(handle: Handle): Semaphore {
    const h = expectHandle(handle, "Semaphore");
    const s = Object.create(Semaphore.prototype) as Semaphore;
    Object.assign(s, { name: h.name ?? "Semaphore", buffer: h.buffer, i32: new Int32Array(h.buffer) });
    return s;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("Semaphore", this.buffer, { name: this.name });
  }

  /** Permits free now. */
  get value(): number {
    return Atomics.load(this.i32, VALUE);
  }

  /** The most permits it may hold. */
  get max(): number {
    return Atomics.load(this.i32, MAX);
  }

  /** Takes a permit if one is free; never waits. */
  tryAcquire(): boolean {
    // Why a compare-exchange loop: two threads reading the same positive value must not both take the last permit.
    for (;;) {
      const v = Atomics.load(this.i32, VALUE);
      if (v <= 0) return false;
      if (Atomics.compareExchange(this.i32, VALUE, v, v - 1) === v) return true;
    }
  }

  /** Takes a permit, blocking while there is none (workers). Throws `TimeoutError` after `timeout` ms. */
  acquire(options?: SemaphoreAcquireOptions): true {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (this.tryAcquire()) return true;
    if (timeout > 0 && onMainThread) assertMayBlock(`semaphore '${this.name}'.acquire()`, "await semaphore.acquireAsync()");
    const deadline = deadlineAfter(timeout);
    // Why count ourselves as a waiter before sleeping on VALUE == 0: `release` adds a permit and then reads
    // WAITERS (both sequentially consistent), so either our wait sees the permit, or the releaser sees us and
    // notifies. Without the count, release would have to notify on every call.
    Atomics.add(this.i32, WAITERS, 1);
    try {
      while (!this.tryAcquire()) {
        if (remaining(deadline) <= 0) throw this.timeoutError(timeout);
        waitSync(this.i32, VALUE, 0, deadline);
      }
      return true;
    } finally {
      Atomics.sub(this.i32, WAITERS, 1);
    }
  }

  /** Takes a permit without blocking the event loop (main thread). */
  async acquireAsync(options?: SemaphoreAcquireOptions): Promise<true> {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (this.tryAcquire()) return true;
    const deadline = deadlineAfter(timeout);
    Atomics.add(this.i32, WAITERS, 1); // see acquire
    try {
      while (!this.tryAcquire()) {
        if (remaining(deadline) <= 0) throw this.timeoutError(timeout);
        await waitAsync(this.i32, VALUE, 0, deadline, options?.signal);
      }
      return true;
    } finally {
      Atomics.sub(this.i32, WAITERS, 1);
    }
  }

  /** Gives back `n` permits; throws `ERR_SEMAPHORE_OVER_RELEASE` above the maximum (BoundedSemaphore's ValueError). */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1) invalid("n", "an integer from 1 up", n);
    // Why compare-exchange: check-then-add would let two releasers both pass the bound check.
    for (;;) {
      const v = Atomics.load(this.i32, VALUE);
      const max = Atomics.load(this.i32, MAX);
      if (v + n > max) {
        throw new HelperError(
          "ERR_SEMAPHORE_OVER_RELEASE",
          `semaphore '${this.name}' released too many times: ${v} + ${n} permits would exceed its maximum of ${max} (a release without a matching acquire?)`,
        );
      }
      if (Atomics.compareExchange(this.i32, VALUE, v, v + n) === v) break;
    }
    if (Atomics.load(this.i32, WAITERS) > 0) Atomics.notify(this.i32, VALUE, n);
  }

  /** Runs `fn` holding a permit (workers), releasing it even if `fn` throws. */
  withPermit<T>(fn: () => T, options?: SemaphoreAcquireOptions): T {
    return holding(this, fn, options);
  }

  /** Awaits a permit, runs `fn` (sync or async) holding it, releases even if it throws. */
  withPermitAsync<T>(fn: () => T | Promise<T>, options?: SemaphoreAcquireOptions): Promise<T> {
    return holdingAsync(this, fn, options);
  }

  private timeoutError(timeout: number): TimeoutError {
    return new TimeoutError(`semaphore '${this.name}': no permit free within ${timeout} ms (0 of ${this.max} free)`, "ERR_SEMAPHORE_TIMEOUT");
  }
}

registerHandleKind("Semaphore", { type: Semaphore, from: Semaphore.from });
