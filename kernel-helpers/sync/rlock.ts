/**
 * `RLock`: a re-entrant lock (Python's `threading.RLock`): the thread holding it may acquire it again, and
 * must release it as many times. It earns its place for recursive code (a locked method calling another
 * locked method) and as the lock inside a `Condition`.
 */
import { HelperError } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { ownerId } from "./identity";
import { type AcquireOptions, Lock } from "./mutex";
import { holding, holdingAsync } from "./holding";

const OWNER = 1; // the inner Lock's owner slot
const COUNT = 2;
let created = 0;

/**
 * A re-entrant lock in shared memory. Ownership is per thread: on the main thread, every async task counts
 * as the same owner (as with any thread-based lock), so use a `Lock` to exclude async tasks from each other.
 * @example
 * const rlock = new RLock({ name: "tree" });
 * rlock.withLock(() => rlock.withLock(() => work()));   // in a worker: no self-deadlock
 */
export class RLock {
  /** The lock's name, used in error messages. @default "RLock-N" */
  readonly name: string;
  /** The shared memory: the inner lock's state and owner, then the recursion count. */
  readonly buffer: SharedArrayBuffer;
  private readonly inner: Lock;
  private readonly i32: Int32Array;

  /** @param options.name a name for error messages */
  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? `RLock-${++created}`;
    this.buffer = new SharedArrayBuffer(12);
    this.inner = Lock.over(this.buffer, this.name);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Rebuilds an RLock from its handle, in another worker: the same lock. */
  static from(handle: Handle): RLock {
    const h = expectHandle(handle, "RLock");
    const lock = Object.create(RLock.prototype) as RLock;
    Object.assign(lock, { name: h.name ?? "RLock", buffer: h.buffer, inner: Lock.over(h.buffer, h.name ?? "RLock"), i32: new Int32Array(h.buffer) });
    return lock;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("RLock", this.buffer, { name: this.name });
  }

  /** Whether the calling thread holds this lock. */
  isOwned(): boolean {
    // Why a plain comparison is safe: only the holder writes its own id here, and it clears it before releasing,
    // so another thread's stale value can never equal our id.
    return this.inner.locked() && Atomics.load(this.i32, OWNER) === ownerId;
  }

  /** Whether any thread holds the lock. */
  locked(): boolean {
    return this.inner.locked();
  }

  /** Who holds the lock now, e.g. `thread 2 ('worker-A')`, or `nobody`. */
  holder(): string {
    return this.inner.holder();
  }

  /** Takes the lock if it is free or already this thread's (one more level); never waits. */
  tryAcquire(): boolean {
    if (this.isOwned()) return this.enter();
    if (!this.inner.tryAcquire()) return false;
    Atomics.store(this.i32, COUNT, 1);
    return true;
  }

  /** Acquires (blocking; workers), or counts one more level if this thread holds it already. */
  acquire(options?: AcquireOptions): true {
    if (this.isOwned()) return this.enter();
    this.inner.acquire(options);
    Atomics.store(this.i32, COUNT, 1);
    return true;
  }

  /** Acquires without blocking the event loop, or counts one more level if this thread holds it already. */
  async acquireAsync(options?: AcquireOptions): Promise<true> {
    if (this.isOwned()) return this.enter();
    await this.inner.acquireAsync(options);
    Atomics.store(this.i32, COUNT, 1);
    return true;
  }

  /** Releases one level; the lock is free once every `acquire` has been matched. */
  release(): void {
    if (!this.isOwned()) throw new HelperError("ERR_LOCK_NOT_HELD", `release of rlock '${this.name}', which this thread does not hold`);
    const left = Atomics.sub(this.i32, COUNT, 1) - 1;
    if (left === 0) this.inner.release();
  }

  /** Runs `fn` holding the lock (blocking; workers). */
  withLock<T>(fn: () => T, options?: AcquireOptions): T {
    return holding(this, fn, options);
  }

  /** Awaits the lock, runs `fn` holding it, releases even if it throws. */
  withLockAsync<T>(fn: () => T | Promise<T>, options?: AcquireOptions): Promise<T> {
    return holdingAsync(this, fn, options);
  }

  /** @internal For Condition: releases every level at once and returns the count to restore. */
  releaseAll(): number {
    if (!this.isOwned()) throw new HelperError("ERR_LOCK_NOT_HELD", `rlock '${this.name}' is not held by this thread`);
    const count = Atomics.exchange(this.i32, COUNT, 0);
    this.inner.release();
    return count;
  }

  /** @internal For Condition: re-acquires and restores the count `releaseAll` returned. */
  restore(count: number): void {
    this.inner.acquire();
    Atomics.store(this.i32, COUNT, count);
  }

  /** @internal The async form of {@link RLock.restore}. */
  async restoreAsync(count: number): Promise<void> {
    await this.inner.acquireAsync();
    Atomics.store(this.i32, COUNT, count);
  }

  private enter(): true {
    Atomics.add(this.i32, COUNT, 1);
    return true;
  }
}

registerHandleKind("RLock", { type: RLock, from: RLock.from });
