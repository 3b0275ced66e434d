/**
 * `Condition`: wait until another thread says something changed (Python's `threading.Condition`), always
 * with a lock held. Built like CPython's: each waiter owns a slot (its own futex word) in a FIFO list kept in
 * shared memory, and `notify(n)` signals the first n slots. So `notify()` wakes exactly one thread that was
 * waiting at that moment, and a thread that starts waiting later can never take that wake-up.
 *
 * (Why not a shared token count: a thread that arrives after a notify could take the token meant for an
 * earlier waiter, which then sleeps through `notifyAll()`; the bounded-buffer test deadlocked that way.)
 */
import { AbortError, HelperError, checkPositiveInt, checkTimeout } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { Lock } from "./mutex";
import { RLock } from "./rlock";
import { assertMayBlock, onMainThread, deadlineAfter, remaining, waitAsync, waitSync } from "./wait";

// Layout (int32): [0] list length, [1..MAX] the FIFO list of slot numbers, [MAX+1..2*MAX] the slots.
// The list and slot ownership change only with the lock held; a slot's word is also written by notify
// (to SIGNALLED) and read by its sleeping owner, so it is accessed atomically.
const LENGTH = 0;
const FREE = 0;
const WAITING = 1;
const SIGNALLED = 2;
const DEFAULT_MAX_WAITERS = 64;
let created = 0;

/** Options of `wait` / `waitFor` and their async forms. */
export interface ConditionWaitOptions {
  /** Stop waiting after this many milliseconds. @default Infinity */
  timeout?: number;
  /** Cancels an async wait with an `AbortError` (the lock is re-acquired first, as after a timeout). */
  signal?: AbortSignal;
}

/**
 * A condition variable over a `Lock` (default: a new one) or an `RLock`.
 * @example
 * const cond = new Condition();
 * // consumer (worker):
 * cond.withLock(() => { cond.waitFor(() => items[0]! > 0); items[0]!--; });
 * // producer (worker):
 * cond.withLock(() => { items[0]!++; cond.notify(); });
 */
export class Condition {
  /** A name for messages. */
  readonly name: string;
  /** The lock every `wait`/`notify` must hold. */
  readonly lock: Lock | RLock;
  /** The shared memory: the waiters' list and their slots. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param lock the lock to use (Python's `Condition(lock)`); a new `Lock` by default */
  /** The most threads that may wait at once. */
  readonly maxWaiters: number;

  /**
   * @param lock the lock to use (Python's `Condition(lock)`); a new `Lock` by default
   * @param options.maxWaiters the most threads waiting at once (one 8-byte slot each) @default 64
   */
  constructor(lock?: Lock | RLock, options: { name?: string; maxWaiters?: number } = {}) {
    if (lock !== undefined && !(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new TypeError(`Expected \`lock\` to be a Lock or an RLock, got ${typeof lock}`);
    }
    this.name = options.name ?? `Condition-${++created}`;
    this.lock = lock ?? new Lock({ name: `${this.name}.lock` });
    this.maxWaiters = checkPositiveInt("maxWaiters", options.maxWaiters ?? DEFAULT_MAX_WAITERS);
    this.buffer = new SharedArrayBuffer(4 * (1 + 2 * this.maxWaiters));
    this.i32 = new Int32Array(this.buffer);
  }

  /** Rebuilds a condition (and its lock) from its handle, in another worker. */
  static from(handle: Handle): Condition {
    const h = expectHandle(handle, "Condition");
    const lockHandle = h.lock as Handle;
    const lock = lockHandle.__kernelHelpers === "RLock" ? RLock.from(lockHandle) : Lock.from(lockHandle);
    const c = Object.create(Condition.prototype) as Condition;
    Object.assign(c, { name: h.name ?? "Condition", lock, buffer: h.buffer, i32: new Int32Array(h.buffer), maxWaiters: (h.buffer.byteLength / 4 - 1) / 2 });
    return c;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("Condition", this.buffer, { name: this.name, lock: this.lock.handle });
  }

  /** Acquires the lock (blocking; workers). */
  acquire(options?: { timeout?: number }): true {
    return this.lock.acquire(options);
  }

  /** Acquires the lock without blocking the event loop. */
  acquireAsync(options?: { timeout?: number; signal?: AbortSignal }): Promise<true> {
    return this.lock.acquireAsync(options);
  }

  /** Releases the lock. */
  release(): void {
    this.lock.release();
  }

  /** Runs `fn` holding the lock (Python's `with cond:`), blocking to acquire (workers). */
  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
  }

  /** Awaits the lock and runs `fn` holding it. */
  withLockAsync<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.lock.withLockAsync(fn);
  }

  /**
   * Releases the lock, blocks until notified (or the timeout), re-acquires the lock (workers).
   * Wait in a loop on your condition, or use `waitFor`: another thread may change it again before you run.
   * @returns false when the timeout passed without a notify
   */
  wait(options?: ConditionWaitOptions): boolean {
    const timeout = checkTimeout("timeout", options?.timeout);
    // Always refused on the main thread, even with timeout 0: re-taking the lock afterwards may have to block.
    if (onMainThread) assertMayBlock(`condition '${this.name}'.wait()`, "await condition.waitAsync()");
    const slot = this.enqueue();
    const saved = this.releaseLock();
    const deadline = deadlineAfter(timeout);
    try {
      // Why wait on our own word while it is WAITING: a notify between the lock's release and our sleep has
      // already changed it to SIGNALLED, so Atomics.wait returns at once; the wake-up cannot be lost.
      while (Atomics.load(this.i32, slot) !== SIGNALLED && remaining(deadline) > 0) {
        waitSync(this.i32, slot, WAITING, deadline);
      }
    } finally {
      this.restore(saved);
    }
    return this.dequeue(slot);
  }

  /** The async form of `wait`, for the main thread. @returns false when the timeout passed without a notify */
  async waitAsync(options?: ConditionWaitOptions): Promise<boolean> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const slot = this.enqueue();
    const saved = this.releaseLock();
    const deadline = deadlineAfter(timeout);
    let aborted: unknown;
    try {
      while (Atomics.load(this.i32, slot) !== SIGNALLED && remaining(deadline) > 0) {
        await waitAsync(this.i32, slot, WAITING, deadline, options?.signal);
      }
    } catch (error) {
      if (!(error instanceof AbortError)) throw error;
      aborted = error;
    } finally {
      await this.restoreAsync(saved);
    }
    const notified = this.dequeue(slot);
    if (aborted) {
      // Why pass a notify on: it was meant for a thread that is waiting, and we are leaving without acting.
      if (notified) this.notify(1);
      throw aborted;
    }
    return notified;
  }

  /** Waits until `predicate()` is true (Python's `wait_for`), re-checking after each wake-up (workers). @returns the predicate's last value */
  waitFor(predicate: () => boolean, options?: ConditionWaitOptions): boolean {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left <= 0) break;
      this.wait({ timeout: left });
      result = predicate();
    }
    return result;
  }

  /** The async form of `waitFor`. */
  async waitForAsync(predicate: () => boolean, options?: ConditionWaitOptions): Promise<boolean> {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left <= 0) break;
      await this.waitAsync({ timeout: left, signal: options?.signal });
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` of the threads waiting now, longest-waiting first (the lock must be held). */
  notify(n = 1): void {
    this.assertOwned("notify");
    const i32 = this.i32;
    const length = i32[LENGTH]!;
    const k = Math.min(n, length);
    if (k <= 0) return;
    for (let i = 1; i <= k; i++) {
      const slot = i32[i]!;
      Atomics.store(i32, slot, SIGNALLED);
      Atomics.notify(i32, slot, 1);
    }
    i32.copyWithin(1, 1 + k, 1 + length);
    i32[LENGTH] = length - k;
  }

  /** Wakes every thread waiting now (the lock must be held). */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** How many threads are waiting now (read with the lock held for an exact answer). */
  get waiting(): number {
    return Atomics.load(this.i32, LENGTH);
  }

  /** Takes a free slot and appends it to the list (lock held). */
  private enqueue(): number {
    this.assertOwned("wait");
    const i32 = this.i32;
    const max = this.maxWaiters;
    for (let slot = max + 1; slot <= 2 * max; slot++) {
      if (i32[slot] === FREE) {
        Atomics.store(i32, slot, WAITING);
        const length = i32[LENGTH]!;
        i32[1 + length] = slot;
        i32[LENGTH] = length + 1;
        return slot;
      }
    }
    throw new HelperError("ERR_CONDITION_FULL", `condition '${this.name}': more than ${max} threads waiting (raise maxWaiters)`);
  }

  /**
   * With the lock held again: frees our slot; if we were not signalled (timeout, abort) we also leave the list,
   * so no later notify is spent on a thread that has gone. @returns whether we were signalled
   */
  private dequeue(slot: number): boolean {
    const i32 = this.i32;
    const notified = Atomics.load(i32, slot) === SIGNALLED;
    if (!notified) {
      const length = i32[LENGTH]!;
      for (let i = 1; i <= length; i++) {
        if (i32[i] === slot) {
          i32.copyWithin(i, i + 1, 1 + length);
          i32[LENGTH] = length - 1;
          break;
        }
      }
    }
    Atomics.store(i32, slot, FREE);
    return notified;
  }

  private releaseLock(): number {
    return this.lock instanceof RLock ? this.lock.releaseAll() : (this.lock.release(), 1);
  }

  private restore(saved: number): void {
    if (this.lock instanceof RLock) this.lock.restore(saved);
    else this.lock.acquire();
  }

  private async restoreAsync(saved: number): Promise<void> {
    if (this.lock instanceof RLock) await this.lock.restoreAsync(saved);
    else await this.lock.acquireAsync();
  }

  private assertOwned(what: string): void {
    if (!this.lock.isOwned()) {
      throw new HelperError("ERR_LOCK_NOT_HELD", `condition '${this.name}'.${what}() needs its lock held (Python: cannot ${what} on un-acquired lock)`);
    }
  }
}

registerHandleKind("Condition", { type: Condition, from: Condition.from });
