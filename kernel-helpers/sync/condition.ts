/**
 * `Condition`: wait until another thread says something changed (Python's `threading.Condition`), always
 * with a lock held. Built on wake-up tokens in shared memory: `notify(n)` hands out n tokens to threads
 * already waiting, and each woken thread takes one, so `notify()` wakes exactly one waiter.
 */
import { AbortError, HelperError, checkTimeout } from "../errors";
import { type Handle, expectHandle, makeHandle } from "./handle";
import { Lock } from "./mutex";
import { RLock } from "./rlock";
import { assertMayBlock, deadlineAfter, remaining, waitAsync, waitSync } from "./wait";

const WAITERS = 0; // threads waiting that hold no token yet (changed only with the lock held)
const TOKENS = 1; // wake-ups handed out and not yet taken
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
  /** The shared memory: waiters, tokens. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param lock the lock to use (Python's `Condition(lock)`); a new `Lock` by default */
  constructor(lock?: Lock | RLock, options: { name?: string } = {}) {
    if (lock !== undefined && !(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new TypeError(`Expected \`lock\` to be a Lock or an RLock, got ${typeof lock}`);
    }
    this.name = options.name ?? `Condition-${++created}`;
    this.lock = lock ?? new Lock({ name: `${this.name}.lock` });
    this.buffer = new SharedArrayBuffer(8);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Rebuilds a condition (and its lock) from its handle, in another worker. */
  static from(handle: Handle): Condition {
    const h = expectHandle(handle, "Condition");
    const lockHandle = h.lock as Handle;
    const lock = lockHandle.__kernelHelpers === "RLock" ? RLock.from(lockHandle) : Lock.from(lockHandle);
    const c = Object.create(Condition.prototype) as Condition;
    Object.assign(c, { name: h.name ?? "Condition", lock, buffer: h.buffer, i32: new Int32Array(h.buffer) });
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
   * A waiter may also wake because another thread took a token first and its own was handed on: wait in a
   * loop on your condition, or use `waitFor`. @returns false when the timeout passed without a notify
   */
  wait(options?: ConditionWaitOptions): boolean {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (timeout > 0) assertMayBlock(`condition '${this.name}'.wait()`, "await condition.waitAsync()");
    const saved = this.enter();
    const deadline = deadlineAfter(timeout);
    let notified = false;
    try {
      // Why tokens and not a sequence number: notify(1) must wake one waiter, not all who happen to look.
      // Why wait on TOKENS == 0: a notify between the lock's release and our sleep makes the wait return at once.
      while (!(notified = this.takeToken())) {
        if (remaining(deadline) <= 0) break;
        waitSync(this.i32, TOKENS, 0, deadline);
      }
    } finally {
      this.restore(saved);
    }
    return notified || this.leave();
  }

  /** The async form of `wait`, for the main thread. @returns false when the timeout passed without a notify */
  async waitAsync(options?: ConditionWaitOptions): Promise<boolean> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const saved = this.enter();
    const deadline = deadlineAfter(timeout);
    let notified = false;
    let aborted: unknown;
    try {
      while (!(notified = this.takeToken())) {
        if (remaining(deadline) <= 0) break;
        await waitAsync(this.i32, TOKENS, 0, deadline, options?.signal);
      }
    } catch (error) {
      if (!(error instanceof AbortError)) throw error;
      aborted = error;
    } finally {
      await this.restoreAsync(saved);
    }
    const result = notified || this.leave();
    if (aborted && !notified) throw aborted;
    return result;
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

  /** Wakes up to `n` threads waiting now (the lock must be held). */
  notify(n = 1): void {
    this.assertOwned("notify");
    // Why under the lock: WAITERS only changes with the lock held, so tokens never exceed the threads that can take them.
    const k = Math.min(n, Atomics.load(this.i32, WAITERS));
    if (k <= 0) return;
    Atomics.sub(this.i32, WAITERS, k);
    Atomics.add(this.i32, TOKENS, k);
    Atomics.notify(this.i32, TOKENS, k);
  }

  /** Wakes every thread waiting now (the lock must be held). */
  notifyAll(): void {
    this.notify(Infinity);
  }

  private takeToken(): boolean {
    // Why compare-exchange: two woken threads must not both take the last token.
    for (;;) {
      const t = Atomics.load(this.i32, TOKENS);
      if (t <= 0) return false;
      if (Atomics.compareExchange(this.i32, TOKENS, t, t - 1) === t) return true;
    }
  }

  /** Registers as a waiter and releases the lock; returns what `restore` needs. */
  private enter(): number {
    this.assertOwned("wait");
    Atomics.add(this.i32, WAITERS, 1);
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

  /**
   * After a timeout, with the lock held again: a token handed out meanwhile counts as our notify (tokens are
   * interchangeable); otherwise we withdraw from WAITERS, so no later notify is spent on a thread that left.
   */
  private leave(): boolean {
    if (this.takeToken()) return true;
    Atomics.sub(this.i32, WAITERS, 1);
    return false;
  }

  private assertOwned(what: string): void {
    if (!this.lock.isOwned()) {
      throw new HelperError("ERR_LOCK_NOT_HELD", `condition '${this.name}'.${what}() needs its lock held (Python: cannot ${what} on un-acquired lock)`);
    }
  }
}
