/**
 * `SharedQueue`: a bounded FIFO queue in shared memory, across worker threads and the main thread (Python's
 * `multiprocessing.Queue` / `JoinableQueue`, for threads). Items are encoded to bytes (codec.ts) into a ring
 * buffer; `put`/`get` block in workers, `putAsync`/`getAsync` await on the main thread. No item passes
 * through the event loop.
 *
 * Design (a two-lock ring, after Michael & Scott's two-lock queue): producers take turns under a put lock and
 * own the tail; consumers take turns under a get lock and own the head. The two sides meet only through
 * monotonic counters that each side alone writes (items and bytes put, items and bytes got), kept on separate
 * cache lines, so one producer and one consumer never wait for each other's lock.
 *
 * Ring records: [uint32: tag << 29 | length][payload], 4-byte aligned. A record that does not fit before the
 * end of the ring goes to offset 0 after a SKIP word, so no record ever wraps.
 */
import { ClosedError, HelperError, LockTimeoutError, QueueEmptyError, QueueFullError, checkPositiveInt, checkTimeout, invalid } from "../errors";
import { type Handle, expectHandle, makeHandle } from "../sync/handle";
import { Lock } from "../sync/mutex";
import { assertMayBlock, deadlineAfter, remaining, waitAsync, waitSync } from "../sync/wait";
import { type Encoded, MAX_PAYLOAD, encode, readPayload, writePayload } from "./codec";

// Header (int32 indices), one 64-byte cache line per writer so producers and consumers do not false-share.
const CAPACITY = 0;
const JSON_ONLY = 1;
const CLOSED = 2;
const PUT_LOCK = 16; // Lock state + owner (16, 17)
const TAIL = 18; // producer-owned: next write offset
const PUT_COUNT = 19; // producer-owned: items ever put (wrapping int32)
const PUT_BYTES = 20; // producer-owned: ring bytes ever taken
const PUTTERS = 21; // producers asleep waiting for room
const PUT_SIGNAL = 22; // bumped when an item arrives while consumers sleep (and on close): consumers sleep on it
const GET_LOCK = 32; // Lock state + owner (32, 33)
const HEAD = 34; // consumer-owned: next read offset
const GET_COUNT = 35; // consumer-owned: items ever got
const GET_BYTES = 36; // consumer-owned: ring bytes ever freed
const GETTERS = 37; // consumers asleep waiting for items
const GET_SIGNAL = 38; // bumped when room frees while producers sleep (and on close): producers sleep on it
const DONE_COUNT = 48; // taskDone() calls (wrapping int32); join() sleeps on it
const HEADER_BYTES = 256;
const SKIP = 0xffffffff;
const LENGTH_MASK = 0x1fffffff;

/** How items become bytes: `"structured"` (any structured-cloneable value; the fastest exact encoding is picked per item) or `"json"` (JSON.stringify semantics). */
export type QueueCodec = "json" | "structured";

/** Options of a `SharedQueue`. */
export interface SharedQueueOptions {
  /** The most items it holds; `put` waits while it is full. @default 1024 */
  capacity?: number;
  /** The ring buffer's size in bytes; one item may take up to half of it. @default 64 * capacity, at least 1 MiB */
  bytes?: number;
  /** How items are encoded. @default "structured" */
  codec?: QueueCodec;
  /** A name for messages. */
  name?: string;
}

/** Options of `put`/`get` and their async forms. */
export interface QueueOpOptions {
  /** Give up after this many milliseconds: `put` throws `QueueFullError`, `get` throws `QueueEmptyError` (Python's Full/Empty). @default Infinity */
  timeout?: number;
  /** Cancels an async wait with an `AbortError`. */
  signal?: AbortSignal;
}

let created = 0;
const align4 = (n: number) => (n + 3) & ~3;
const EMPTY: unique symbol = Symbol("empty");

/**
 * A bounded multi-producer, multi-consumer queue in shared memory. `undefined` is the end-of-queue sentinel:
 * after `close()`, `get` drains what is left and then returns `undefined`, and `put` throws `ClosedError`.
 * @example
 * const q = new SharedQueue<number>({ capacity: 100 });
 * // worker (producer): for (let i = 0; i < 10; i++) q.put(i); q.close();
 * for await (const item of q) console.log(item);   // main thread: 0..9, then the loop ends
 */
export class SharedQueue<T = unknown> {
  /** A name for messages. */
  readonly name: string;
  /** The shared memory: header, then the ring. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly data: Buffer;
  private readonly view: DataView;
  private readonly size: number;
  private readonly putLock: Lock;
  private readonly getLock: Lock;
  private readonly jsonOnly: boolean;

  /** @param options `capacity` (items), `bytes` (ring size), `codec`, `name` */
  constructor(options: SharedQueueOptions = {}) {
    const capacity = options.capacity ?? 1024;
    checkPositiveInt("capacity", capacity);
    const bytes = options.bytes ?? Math.max(1 << 20, 64 * capacity);
    checkPositiveInt("bytes", bytes);
    const codec = options.codec ?? "structured";
    if (codec !== "json" && codec !== "structured") invalid("codec", '"json" or "structured"', codec);
    this.name = options.name ?? `SharedQueue-${++created}`;
    this.buffer = new SharedArrayBuffer(HEADER_BYTES + align4(Math.max(bytes, 8)));
    const header = new Int32Array(this.buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = capacity;
    header[JSON_ONLY] = codec === "json" ? 1 : 0;
    const parts = SharedQueue.parts(this.buffer, this.name);
    this.i32 = parts.i32;
    this.data = parts.data;
    this.view = parts.view;
    this.size = parts.size;
    this.putLock = parts.putLock;
    this.getLock = parts.getLock;
    this.jsonOnly = parts.jsonOnly;
  }

  private static parts(buffer: SharedArrayBuffer, name: string) {
    const i32 = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const data = Buffer.from(buffer, HEADER_BYTES);
    return {
      i32,
      data,
      view: new DataView(buffer, HEADER_BYTES),
      size: data.length,
      putLock: Lock.over(buffer, `${name} (put side)`, PUT_LOCK * 4),
      getLock: Lock.over(buffer, `${name} (get side)`, GET_LOCK * 4),
      jsonOnly: i32[JSON_ONLY] === 1,
    };
  }

  /** Rebuilds the queue from its handle, in another worker: the same queue. */
  static from<T = unknown>(handle: Handle): SharedQueue<T> {
    const h = expectHandle(handle, "SharedQueue");
    const name = h.name ?? "SharedQueue";
    const q = Object.create(SharedQueue.prototype) as SharedQueue<T>;
    Object.assign(q, { name, buffer: h.buffer, ...SharedQueue.parts(h.buffer, name) });
    return q;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("SharedQueue", this.buffer, { name: this.name });
  }

  /** The most items it holds. */
  get capacity(): number {
    return this.i32[CAPACITY]!;
  }

  /** Items in the queue now (Python's `qsize()`; stale as soon as another thread acts). */
  get length(): number {
    return Math.max(0, (Atomics.load(this.i32, PUT_COUNT) - Atomics.load(this.i32, GET_COUNT)) | 0);
  }

  /** Whether it is empty now. */
  empty(): boolean {
    return this.length === 0;
  }

  /** Whether it is full now. */
  full(): boolean {
    return this.length >= this.capacity;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return Atomics.load(this.i32, CLOSED) === 1;
  }

  /** Adds an item, blocking while the queue is full (workers). Throws `ClosedError` once closed. */
  put(value: T, options?: QueueOpOptions): void {
    const item = this.encode(value);
    const timeout = options?.timeout === undefined ? Infinity : checkTimeout("timeout", options.timeout);
    if (!this.putLock.tryAcquire()) this.lockSync(this.putLock, timeout, "put", "putAsync(value)");
    try {
      if (this.tryWrite(item)) return;
      if (timeout > 0) assertMayBlock("sharedQueue.put()", "await sharedQueue.putAsync(value)");
      const deadline = deadlineAfter(timeout);
      // Why count ourselves in PUTTERS, then read GET_SIGNAL, then re-check: a consumer frees room and then reads
      // PUTTERS (all sequentially consistent), so either our re-check sees the room, or the consumer sees us and
      // bumps GET_SIGNAL after our read, and the wait returns at once. The common path (room, no sleepers)
      // touches no shared signal word at all.
      Atomics.add(this.i32, PUTTERS, 1);
      try {
        for (;;) {
          const seen = Atomics.load(this.i32, GET_SIGNAL);
          if (this.tryWrite(item)) return;
          if (remaining(deadline) <= 0) throw this.fullError(timeout);
          waitSync(this.i32, GET_SIGNAL, seen, deadline);
        }
      } finally {
        Atomics.sub(this.i32, PUTTERS, 1);
      }
    } finally {
      this.putLock.release();
    }
  }

  /** Adds an item without blocking the event loop (main thread). */
  async putAsync(value: T, options?: QueueOpOptions): Promise<void> {
    const item = this.encode(value);
    const timeout = checkTimeout("timeout", options?.timeout);
    if (!this.putLock.tryAcquire()) await this.lockAsync(this.putLock, timeout, options?.signal, "put");
    try {
      if (this.tryWrite(item)) return;
      const deadline = deadlineAfter(timeout);
      Atomics.add(this.i32, PUTTERS, 1); // see put
      try {
        for (;;) {
          const seen = Atomics.load(this.i32, GET_SIGNAL);
          if (this.tryWrite(item)) return;
          if (remaining(deadline) <= 0) throw this.fullError(timeout);
          await waitAsync(this.i32, GET_SIGNAL, seen, deadline, options?.signal);
        }
      } finally {
        Atomics.sub(this.i32, PUTTERS, 1);
      }
    } finally {
      this.putLock.release();
    }
  }

  /** Adds an item if there is room now, else throws `QueueFullError`. */
  putNowait(value: T): void {
    this.put(value, { timeout: 0 });
  }

  /**
   * Takes the oldest item, blocking while the queue is empty (workers). Returns `undefined` once the queue is
   * closed and drained.
   */
  get(options?: QueueOpOptions): T | undefined {
    const timeout = options?.timeout === undefined ? Infinity : checkTimeout("timeout", options.timeout);
    if (!this.getLock.tryAcquire()) this.lockSync(this.getLock, timeout, "get", "getAsync()");
    try {
      const got = this.tryRead();
      if (got !== EMPTY) return got;
      if (this.closed) return this.drainAfterClose();
      if (timeout > 0) assertMayBlock("sharedQueue.get()", "await sharedQueue.getAsync()");
      const deadline = deadlineAfter(timeout);
      // Mirror image of put: counted in GETTERS, sleeping on PUT_SIGNAL.
      Atomics.add(this.i32, GETTERS, 1);
      try {
        for (;;) {
          const seen = Atomics.load(this.i32, PUT_SIGNAL);
          const again = this.tryRead();
          if (again !== EMPTY) return again;
          if (this.closed) return this.drainAfterClose();
          if (remaining(deadline) <= 0) throw this.emptyError(timeout);
          waitSync(this.i32, PUT_SIGNAL, seen, deadline);
        }
      } finally {
        Atomics.sub(this.i32, GETTERS, 1);
      }
    } finally {
      this.getLock.release();
    }
  }

  /** Takes the oldest item without blocking the event loop (main thread); `undefined` once closed and drained. */
  async getAsync(options?: QueueOpOptions): Promise<T | undefined> {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (!this.getLock.tryAcquire()) await this.lockAsync(this.getLock, timeout, options?.signal, "get");
    try {
      const got = this.tryRead();
      if (got !== EMPTY) return got;
      if (this.closed) return this.drainAfterClose();
      const deadline = deadlineAfter(timeout);
      Atomics.add(this.i32, GETTERS, 1);
      try {
        for (;;) {
          const seen = Atomics.load(this.i32, PUT_SIGNAL);
          const again = this.tryRead();
          if (again !== EMPTY) return again;
          if (this.closed) return this.drainAfterClose();
          if (remaining(deadline) <= 0) throw this.emptyError(timeout);
          await waitAsync(this.i32, PUT_SIGNAL, seen, deadline, options?.signal);
        }
      } finally {
        Atomics.sub(this.i32, GETTERS, 1);
      }
    } finally {
      this.getLock.release();
    }
  }

  /** Takes an item if one is there now, else throws `QueueEmptyError` (returns `undefined` once closed and drained). */
  getNowait(): T | undefined {
    return this.get({ timeout: 0 });
  }

  /** Marks one item taken with `get` as processed (Python's `task_done()`). */
  taskDone(): void {
    // Why compare-exchange: two threads calling taskDone on the last item must not both pass the check.
    for (;;) {
      const done = Atomics.load(this.i32, DONE_COUNT);
      const put = Atomics.load(this.i32, PUT_COUNT);
      if (((put - done) | 0) <= 0) throw new HelperError("ERR_TASK_DONE_TOO_OFTEN", `sharedQueue '${this.name}': taskDone() called more times than items were put`);
      if (Atomics.compareExchange(this.i32, DONE_COUNT, done, (done + 1) | 0) === done) {
        if (((done + 1) | 0) === put) Atomics.notify(this.i32, DONE_COUNT);
        return;
      }
    }
  }

  /** Items put and not yet marked with `taskDone`. */
  get unfinishedTasks(): number {
    return (Atomics.load(this.i32, PUT_COUNT) - Atomics.load(this.i32, DONE_COUNT)) | 0;
  }

  /** Blocks until every item put has been marked with `taskDone` (workers). */
  join(options?: { timeout?: number }): void {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    if (this.unfinishedTasks !== 0) assertMayBlock("sharedQueue.join()", "await sharedQueue.joinAsync()");
    for (;;) {
      // Why read DONE first and sleep on it: taskDone notifies after changing it, so a change after our read
      // makes the wait return at once.
      const done = Atomics.load(this.i32, DONE_COUNT);
      if (((Atomics.load(this.i32, PUT_COUNT) - done) | 0) === 0) return;
      if (remaining(deadline) <= 0) throw this.joinError();
      waitSync(this.i32, DONE_COUNT, done, deadline);
    }
  }

  /** Awaits until every item put has been marked with `taskDone`. */
  async joinAsync(options?: { timeout?: number; signal?: AbortSignal }): Promise<void> {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    for (;;) {
      const done = Atomics.load(this.i32, DONE_COUNT);
      if (((Atomics.load(this.i32, PUT_COUNT) - done) | 0) === 0) return;
      if (remaining(deadline) <= 0) throw this.joinError();
      await waitAsync(this.i32, DONE_COUNT, done, deadline, options?.signal);
    }
  }

  /**
   * Closes the queue: later `put`s throw, `get`s drain what is left and then return `undefined`. Close after
   * the producers are done (as with Python's sentinel): a `put` racing `close()` may be refused or may land
   * after the consumers have already seen the end.
   */
  close(): void {
    Atomics.store(this.i32, CLOSED, 1);
    // Why bump the signal words (not just notify): a sleeper that checked the flag just before we set it is about
    // to wait on the value it read; the changed value makes that wait return at once.
    Atomics.add(this.i32, PUT_SIGNAL, 1);
    Atomics.add(this.i32, GET_SIGNAL, 1);
    Atomics.notify(this.i32, PUT_SIGNAL);
    Atomics.notify(this.i32, GET_SIGNAL);
  }

  /** Iterates (main thread) until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = await this.getAsync();
      if (item === undefined) return;
      yield item;
    }
  }

  /** Iterates, blocking (workers), until the queue is closed and drained. */
  *[Symbol.iterator](): Iterator<T> {
    for (;;) {
      const item = this.get();
      if (item === undefined) return;
      yield item;
    }
  }

  private encode(value: T): Encoded {
    if (value === undefined) throw new TypeError(`sharedQueue '${this.name}': cannot put undefined, it is the end-of-queue sentinel (close() the queue instead)`);
    let item: Encoded;
    try {
      item = encode(value, this.jsonOnly);
    } catch (error) {
      if (this.jsonOnly) throw new TypeError(`sharedQueue '${this.name}': cannot put a ${typeof value} with the "json" codec`, { cause: error });
      throw error;
    }
    // Why at most half the ring: a record goes either before the end or at 0 after a SKIP, so with the queue
    // empty it fits wherever the tail stands only if it is no larger than half; a larger one could wait forever.
    if (4 + align4(item.maxBytes) > this.size / 2 || item.maxBytes > MAX_PAYLOAD) {
      throw new RangeError(
        `sharedQueue '${this.name}': an item of ${item.maxBytes} bytes is too large for its ${this.size}-byte buffer (items may take half; pass a larger \`bytes\`)`,
      );
    }
    return item;
  }

  /** Writes one record if there is room (put lock held). */
  private tryWrite(item: Encoded): boolean {
    const i32 = this.i32;
    if (Atomics.load(i32, CLOSED)) throw new ClosedError(`put on closed sharedQueue '${this.name}'`, "ERR_QUEUE_CLOSED");
    const putCount = i32[PUT_COUNT]!;
    if (((putCount - Atomics.load(i32, GET_COUNT)) | 0) >= i32[CAPACITY]!) return false;
    const putBytes = i32[PUT_BYTES]!;
    // Room is measured from the consumers' byte counter: bytes they have not yet counted as freed may still be
    // being read, so a stale (lower) count only makes us wait, never overwrite.
    const free = this.size - ((putBytes - Atomics.load(i32, GET_BYTES)) | 0);
    const reserve = 4 + align4(item.maxBytes);
    let tail = i32[TAIL]!;
    let taken = 0;
    if (this.size - tail < reserve) {
      // Not enough room before the end: skip to 0 if the whole gap plus the record fits.
      if (this.size - tail + reserve > free) return false;
      this.view.setUint32(tail, SKIP, true);
      taken = this.size - tail;
      tail = 0;
    } else if (reserve > free) {
      return false;
    }
    const written = writePayload(item, this.data, this.view, tail + 4);
    this.view.setUint32(tail, ((item.tag << 29) | written) >>> 0, true);
    const used = 4 + align4(written);
    taken += used;
    const next = tail + used;
    i32[TAIL] = next === this.size ? 0 : next;
    Atomics.store(i32, PUT_BYTES, (putBytes + taken) | 0);
    // Why the count last: a consumer reads a record only after seeing the count include it, so the bytes
    // written above are complete by then (Atomics.store publishes every write before it).
    Atomics.store(i32, PUT_COUNT, (putCount + 1) | 0);
    if (Atomics.load(i32, GETTERS) > 0) {
      Atomics.add(i32, PUT_SIGNAL, 1);
      Atomics.notify(i32, PUT_SIGNAL, 1);
    }
    return true;
  }

  /** Reads one record if there is one (get lock held). */
  private tryRead(): T | typeof EMPTY {
    const i32 = this.i32;
    const getCount = i32[GET_COUNT]!;
    if (Atomics.load(i32, PUT_COUNT) === getCount) return EMPTY;
    let head = i32[HEAD]!;
    let freed = 0;
    let word = this.view.getUint32(head, true);
    if (word === SKIP) {
      freed = this.size - head;
      head = 0;
      word = this.view.getUint32(0, true);
    }
    const length = word & LENGTH_MASK;
    const value = readPayload(word >>> 29, this.data, this.view, head + 4, length) as T;
    const used = 4 + align4(length);
    freed += used;
    const next = head + used;
    i32[HEAD] = next === this.size ? 0 : next;
    // Why free the bytes only after decoding: a producer may overwrite them as soon as it sees them freed.
    Atomics.store(i32, GET_BYTES, (i32[GET_BYTES]! + freed) | 0);
    Atomics.store(i32, GET_COUNT, (getCount + 1) | 0);
    if (Atomics.load(i32, PUTTERS) > 0) {
      Atomics.add(i32, GET_SIGNAL, 1);
      Atomics.notify(i32, GET_SIGNAL, 1);
    }
    return value;
  }

  /**
   * Closed and seen empty: but a put that passed its closed check just before `close()` may still be
   * publishing its item, so take one last look (the item would otherwise be stranded).
   */
  private drainAfterClose(): T | undefined {
    const got = this.tryRead();
    return got === EMPTY ? undefined : got;
  }

  private lockSync(lock: Lock, timeout: number, op: "put" | "get", asyncForm: string): void {
    if (timeout > 0) assertMayBlock(`sharedQueue.${op}()`, `await sharedQueue.${asyncForm}`);
    try {
      lock.acquire({ timeout });
    } catch (error) {
      if (error instanceof LockTimeoutError) throw op === "put" ? this.fullError(timeout) : this.emptyError(timeout);
      throw error;
    }
  }

  private async lockAsync(lock: Lock, timeout: number, signal: AbortSignal | undefined, op: "put" | "get"): Promise<void> {
    try {
      await lock.acquireAsync({ timeout, signal });
    } catch (error) {
      if (error instanceof LockTimeoutError) throw op === "put" ? this.fullError(timeout) : this.emptyError(timeout);
      throw error;
    }
  }

  private fullError(timeout: number): QueueFullError {
    return new QueueFullError(`sharedQueue '${this.name}' is full (${this.length} of ${this.capacity})${timeout > 0 && timeout !== Infinity ? ` for ${timeout} ms` : ""}`);
  }

  private emptyError(timeout: number): QueueEmptyError {
    return new QueueEmptyError(`sharedQueue '${this.name}' is empty${timeout > 0 && timeout !== Infinity ? ` after ${timeout} ms` : ""}`);
  }

  private joinError(): HelperError {
    return new HelperError("ERR_TIMEOUT", `sharedQueue '${this.name}'.join(): ${this.unfinishedTasks} item(s) still unfinished`);
  }
}
