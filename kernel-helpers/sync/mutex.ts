/**
 * `Lock`: a mutex in shared memory (Python's `threading.Lock`), usable from every worker and the main thread.
 * A futex-style mutex (Drepper, "Futexes are tricky", mutex 3): state 0 free, 1 held, 2 held with waiters.
 */
import { HelperError, LockTimeoutError, checkTimeout } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { describeOwner, describeSelf, ownerId } from "./identity";
import { assertMayBlock, onMainThread, deadlineAfter, remaining, waitAsync, waitSync } from "./wait";
import { holdingAsync } from "./holding";

// The states of sync/mutex-word.ts (FREE, HELD, CONTENDED), as local constants: imported ones compile to a
// property load per use in CommonJS (tslab, tsx), and the contended loop measured half as fast with them (8 of 8
// paired runs, e.g. 4.6 vs 8.5 M/s, 5 workers). test/helpers/wire-registry.test.ts checks that they agree.
const FREE = 0;
const HELD = 1;
const CONTENDED = 2;
const STATE = 0;
const OWNER = 1;
const SPIN_ROUNDS = 40;
const SPIN_PAUSE = 64;
let _spinSink = 0; // written by the pause loop so the compiler keeps it

/** Options of `acquire` / `acquireAsync` / `withLock` / `withLockAsync`. */
export interface AcquireOptions {
  /** Give up after this many milliseconds with a `LockTimeoutError` naming the holder. @default Infinity */
  timeout?: number;
  /** Cancels an async wait (`acquireAsync`, `withLockAsync`) with an `AbortError`. */
  signal?: AbortSignal;
}

let created = 0;

/**
 * A lock in shared memory (Python's `threading.Lock`): pass it to threads (as an argument; or its `handle`,
 * rebuilt with `Lock.from`) and they all share it. In a worker, `acquire()` blocks like Python's; on the
 * main thread use `acquireAsync()` / `withLockAsync()`, which keep the event loop running.
 * Not re-entrant (see `RLock`) and not fair: a releasing thread may take it straight back.
 * @example
 * const lock = new Lock({ name: "counter" });
 * lock.withLock(() => { shared[0]++; });             // in a worker: blocks until free
 * await lock.withLockAsync(async () => { ... });     // on the main thread
 * lock.acquire({ timeout: 500 });                    // LockTimeoutError: ... held by thread 3 ('worker-B')
 */
export class Lock {
  /** The lock's name, used in error messages. @default "Lock-N" */
  readonly name: string;
  /** The shared memory holding the lock's state (8 bytes: state, owner). */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param options.name a name for error messages, e.g. `"accounts"` */
  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? `Lock-${++created}`;
    this.buffer = new SharedArrayBuffer(8);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Rebuilds a lock from its handle, in another worker: the same lock. */
  static from(handle: Handle): Lock {
    const h = expectHandle(handle, "Lock");
    return Lock.over(h.buffer, h.name ?? "Lock");
  }

  /** @internal A lock over existing shared memory (2 int32 slots), as used inside other primitives. */
  static over(buffer: SharedArrayBuffer, name: string, byteOffset = 0): Lock {
    const lock = Object.create(Lock.prototype) as Lock;
    Object.assign(lock, { name, buffer, i32: new Int32Array(buffer, byteOffset, 2) });
    return lock;
  }

  /** The handle to pass to a worker: `Lock.from(handle)` there is the same lock. */
  get handle(): Handle {
    return makeHandle("Lock", this.buffer, { name: this.name });
  }

  /** Whether someone holds the lock now (Python's `locked()`). */
  locked(): boolean {
    return Atomics.load(this.i32, STATE) !== FREE;
  }

  /** Whether the calling thread holds the lock (on the main thread every async task counts as the main thread). */
  isOwned(): boolean {
    // Only this thread writes its own id, and it clears it before releasing: a stale read cannot match.
    return this.locked() && this.i32[OWNER] === ownerId;
  }

  /** Who holds the lock now, e.g. `thread 2 ('worker-A')`, `the main thread`, or `nobody`. */
  holder(): string {
    return this.locked() ? describeOwner(this.i32[OWNER] ?? 0) : "nobody";
  }

  /** Takes the lock if it is free; never waits. */
  tryAcquire(): boolean {
    if (Atomics.compareExchange(this.i32, STATE, FREE, HELD) !== FREE) return false;
    // Why a plain write: the owner is diagnostic (error messages, RLock/Condition ownership checks by the owner
    // itself); an atomic store here and in release would cost two fenced writes per lock cycle.
    this.i32[OWNER] = ownerId;
    return true;
  }

  /**
   * Takes the lock, blocking this thread until it is free (workers only: on the main thread use
   * `acquireAsync`, or `{ timeout: 0 }` to try without waiting). Throws `LockTimeoutError` after `timeout` ms.
   * @returns true (Python's `acquire()` returns True)
   */
  acquire(options?: AcquireOptions): true {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (this.tryAcquire()) return true;
    if (timeout > 0 && onMainThread) assertMayBlock(`lock '${this.name}'.acquire()`, "await lock.acquireAsync()");
    const i32 = this.i32;
    // Why spin briefly: a holder on the other core usually releases within a microsecond, and a sleep plus
    // wake-up costs several. Why pause between looks: each look pulls the lock's cache line away from the
    // holder's core; looking every few hundred nanoseconds lets the holder run many short critical sections
    // on a line that stays in its cache. (On this 2-core machine the difference is within the run-to-run noise.)
    for (let round = 0; round < SPIN_ROUNDS; round++) {
      for (let k = 0; k < SPIN_PAUSE; k++) _spinSink ^= k;
      if (Atomics.load(i32, STATE) === FREE && this.tryAcquire()) return true;
    }
    const deadline = deadlineAfter(timeout);
    // Why exchange to CONTENDED before sleeping: the releaser then sees 2 and notifies. If the lock is released
    // between our exchange and our wait, the state is no longer 2 and Atomics.wait returns at once: the
    // wake-up cannot be lost. Taking it as CONTENDED (not HELD) is conservative: a later release may notify
    // with nobody waiting, which is harmless.
    while (Atomics.exchange(i32, STATE, CONTENDED) !== FREE) {
      if (remaining(deadline) <= 0) throw this.timeoutError(timeout);
      waitSync(i32, STATE, CONTENDED, deadline);
    }
    i32[OWNER] = ownerId;
    return true;
  }

  /** Takes the lock without blocking the event loop (`Atomics.waitAsync`): for the main thread. */
  async acquireAsync(options?: AcquireOptions): Promise<true> {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (this.tryAcquire()) return true;
    const deadline = deadlineAfter(timeout);
    const i32 = this.i32;
    // Same protocol as `acquire`; an aborted wait passes on any wake-up it was given (see wait.ts).
    while (Atomics.exchange(i32, STATE, CONTENDED) !== FREE) {
      if (remaining(deadline) <= 0) throw this.timeoutError(timeout);
      await waitAsync(i32, STATE, CONTENDED, deadline, options?.signal);
    }
    i32[OWNER] = ownerId;
    return true;
  }

  /** Releases the lock (any thread may, as with Python's Lock); throws if it is not held. */
  release(): void {
    // Why clear the owner first: once the state is FREE another thread may take the lock and write its own id.
    this.i32[OWNER] = 0;
    const previous = Atomics.exchange(this.i32, STATE, FREE);
    if (previous === CONTENDED) Atomics.notify(this.i32, STATE, 1);
    else if (previous === FREE) throw new HelperError("ERR_LOCK_NOT_HELD", `release of lock '${this.name}', which is not held`);
  }

  /** Runs `fn` holding the lock (Python's `with lock:`), blocking to acquire (workers); releases even if `fn` throws. */
  withLock<T>(fn: () => T, options?: AcquireOptions): T {
    // Why the free-lock take inline (not through holding() and acquire()): under contention the thread that just
    // released wins the lock back only if its next take comes before the other core's look; every call between
    // its release and its next compare-exchange widens the window in which the lock's line moves to the other
    // core. Measured (5 workers x 10^6, 9 alternating rounds, the bench's loop): 17.8/12.1/11.5 M/s best/3rd/median
    // inline against 14.5/11.9/9.1 through holding(). Same protocol as acquire(): a taken lock falls back to it.
    const i32 = this.i32;
    if (options === undefined && Atomics.compareExchange(i32, STATE, FREE, HELD) === FREE) i32[OWNER] = ownerId;
    else this.acquire(options);
    // Why try/finally: `fn` throwing must still release, or every other thread would wait forever.
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  /** Awaits the lock, runs `fn` (sync or async) holding it, releases even if it throws. */
  withLockAsync<T>(fn: () => T | Promise<T>, options?: AcquireOptions): Promise<T> {
    return holdingAsync(this, fn, options);
  }

  private timeoutError(timeout: number): LockTimeoutError {
    return new LockTimeoutError(this.name, this.holder(), timeout, describeSelf());
  }
}

registerHandleKind("Lock", { type: Lock, from: Lock.from });
