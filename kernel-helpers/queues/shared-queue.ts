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
 * Ring records: [int32 header: tag << 29 | length][payload], 4-byte aligned; a zero header means "nothing here
 * yet". A record that does not fit before the end of the ring goes to offset 0 after a SKIP header, so no
 * record ever wraps. Consumers find records by their headers, not by a counter the producer keeps writing.
 */
import {
  ClosedError,
  HelperError,
  LockTimeoutError,
  QueueEmptyError,
  QueueFullError,
  checkPositiveInt,
  checkTimeout,
  invalid,
} from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "../sync/handle";
import { Lock } from "../sync/mutex";
import * as mutexWord from "../sync/mutex-word";
import {
  assertMayBlock,
  awaiting,
  blocking,
  deadlineAfter,
  onMainThread,
  remaining,
  type WaitLoop,
} from "../sync/wait";
import { type Encoded, MAX_PAYLOAD, encode, readPayload, tagFor, writePayload } from "./codec";

// Header (int32 indices). Each group sits on its own 64-byte cache line, so that one producer and one
// consumer never write to the same line: a line written by one core and read by the other moves between them.
const CAPACITY = 0;
const JSON_ONLY = 1;
const CLOSED = 2;
const PUT_LOCK = 16; // producer-private: the put Lock's state + owner (16, 17)
const TAIL = 18; // producer-private: next write offset
const PUT_BYTES = 19; // producer-private: ring bytes ever taken (wrapping int32)
const PUT_COUNT = 32; // published by producers: items ever put (wrapping int32)
const GET_LOCK = 48; // consumer-private: the get Lock's state + owner (48, 49)
const HEAD = 50; // consumer-private: next read offset
const GET_COUNT = 64; // published by consumers: items ever got
const GET_BYTES = 65; // published by consumers: ring bytes ever freed
const PUTTERS = 80; // producers asleep waiting for room (changes only around sleeps)
const GETTERS = 81; // consumers asleep waiting for items
const ITEM_WAKE = 82; // 1 once a producer has woken the sleeping consumer; the consumer resets it before each look
const ROOM_WAKE = 83; // 1 once a consumer has woken the sleeping producer; the producer resets it before each look
const PUT_SIGNAL = 96; // bumped when an item arrives while consumers sleep (and on close): consumers sleep on it
const GET_SIGNAL = 112; // bumped when room frees while producers sleep (and on close): producers sleep on it
const DONE_COUNT = 128; // taskDone() calls (wrapping int32); join() sleeps on it
const HEADER_BYTES = 576;
// Why spin before sleeping: with both sides running on two cores, room or an item usually appears within a
// few microseconds, while a futex sleep and wake-up costs several; the spin is bounded, so a truly idle side
// still sleeps. (Blocking forms only: an async waiter on the main thread awaits instead.)
// Spin for about 20 microseconds, no longer: measured here, a longer spin (1 ms) made the queue 3-5x slower,
// because on a loaded 2-core machine the two sides often share a core, and spinning takes it from the other.
const SPIN_MS = 0.02;
// Why pause between looks (mutex-word.ts `pause`): a spinning consumer reads the very cache line the producer is
// writing its next record into; a short pause lets the producer finish.
const SPIN_PAUSE = 32;
// The mutex word's steps, bound once: an imported binding compiles to a property load per use in CommonJS (tslab,
// tsx), which measured in the Lock's contended loop; local constants do not.
const tryLockWord = mutexWord.tryLockWord;
const unlockWord = mutexWord.unlockWord;
const pause = mutexWord.pause;
const SKIP = -1; // as an int32 header: tag 7 with an impossible length
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
  private readonly d32: Int32Array;
  private readonly size: number;
  private readonly putLock: Lock;
  private readonly getLock: Lock;
  private readonly jsonOnly: boolean;
  // This producer's last view of the consumers' counters. It only lags the truth, which means less room than
  // there really is: safe, and it saves reading a line the other core keeps writing.
  private seenGetCount = 0;
  private seenGetBytes = 0;

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
    this.d32 = parts.d32;
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
      d32: new Int32Array(buffer, HEADER_BYTES, data.length >> 2),
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
    Object.assign(q, {
      name,
      buffer: h.buffer,
      ...SharedQueue.parts(h.buffer, name),
      seenGetCount: 0,
      seenGetBytes: 0,
    });
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
    // The locks are taken inline on the fast path (one compare-exchange, no owner slot: it only serves error
    // messages), with the Lock's slow path when contended.
    if (!tryLockWord(this.i32, PUT_LOCK)) this.lockSync(this.putLock, timeout, "put", "putAsync(value)");
    try {
      if (this.tryWrite(item)) return;
      if (timeout > 0) assertMayBlock("sharedQueue.put()", "await sharedQueue.putAsync(value)");
      if (timeout > 0) {
        for (
          let spin = 0, until = performance.now() + SPIN_MS;
          (spin & 15) !== 15 || performance.now() < until;
          spin++
        ) {
          pause(SPIN_PAUSE);
          if (this.tryWrite(item)) return;
        }
      }
      blocking(this.untilRoom(item, timeout));
    } finally {
      unlockWord(this.i32, PUT_LOCK);
    }
  }

  /** Adds an item without blocking the event loop (main thread). */
  async putAsync(value: T, options?: QueueOpOptions): Promise<void> {
    const item = this.encode(value);
    const timeout = checkTimeout("timeout", options?.timeout);
    if (!tryLockWord(this.i32, PUT_LOCK)) await this.lockAsync(this.putLock, timeout, options?.signal, "put");
    try {
      if (this.tryWrite(item)) return;
      await awaiting(this.untilRoom(item, timeout), options?.signal);
    } finally {
      unlockWord(this.i32, PUT_LOCK);
    }
  }

  /** The wait loop of `put` and `putAsync` (put lock held): writes the item once there is room. */
  private *untilRoom(item: Encoded, timeout: number): WaitLoop<void> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    // Why count ourselves in PUTTERS, then read GET_SIGNAL, then re-check: a consumer frees room and then reads
    // PUTTERS (all sequentially consistent), so either our re-check sees the room, or the consumer sees us and
    // bumps GET_SIGNAL after our read, and the wait returns at once. The common path (room, no sleepers)
    // touches no shared signal word at all.
    Atomics.add(i32, PUTTERS, 1);
    try {
      for (;;) {
        Atomics.store(i32, ROOM_WAKE, 0);
        const seen = Atomics.load(i32, GET_SIGNAL);
        if (this.tryWrite(item)) return;
        if (remaining(deadline) <= 0) throw this.fullError(timeout);
        yield { i32, index: GET_SIGNAL, value: seen, deadline };
      }
    } finally {
      Atomics.sub(i32, PUTTERS, 1);
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
    if (!tryLockWord(this.i32, GET_LOCK)) this.lockSync(this.getLock, timeout, "get", "getAsync()");
    try {
      const got = this.tryRead();
      if (got !== EMPTY) return got;
      if (this.closed) return this.drainAfterClose();
      if (timeout > 0) assertMayBlock("sharedQueue.get()", "await sharedQueue.getAsync()");
      if (timeout > 0) {
        for (
          let spin = 0, until = performance.now() + SPIN_MS;
          (spin & 15) !== 15 || performance.now() < until;
          spin++
        ) {
          pause(SPIN_PAUSE);
          const got = this.tryRead();
          if (got !== EMPTY) return got;
        }
      }
      return blocking(this.untilItem(timeout));
    } finally {
      unlockWord(this.i32, GET_LOCK);
    }
  }

  /** Takes the oldest item without blocking the event loop (main thread); `undefined` once closed and drained. */
  async getAsync(options?: QueueOpOptions): Promise<T | undefined> {
    const timeout = checkTimeout("timeout", options?.timeout);
    if (!tryLockWord(this.i32, GET_LOCK)) await this.lockAsync(this.getLock, timeout, options?.signal, "get");
    try {
      const got = this.tryRead();
      if (got !== EMPTY) return got;
      if (this.closed) return this.drainAfterClose();
      return await awaiting(this.untilItem(timeout), options?.signal);
    } finally {
      unlockWord(this.i32, GET_LOCK);
    }
  }

  /** The wait loop of `get` and `getAsync` (get lock held): the mirror image of `untilRoom`. */
  private *untilItem(timeout: number): WaitLoop<T | undefined> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    // Counted in GETTERS, sleeping on PUT_SIGNAL (see untilRoom for why this order cannot lose a wake-up).
    Atomics.add(i32, GETTERS, 1);
    try {
      for (;;) {
        Atomics.store(i32, ITEM_WAKE, 0);
        const seen = Atomics.load(i32, PUT_SIGNAL);
        const again = this.tryRead();
        if (again !== EMPTY) return again;
        if (this.closed) return this.drainAfterClose();
        if (remaining(deadline) <= 0) throw this.emptyError(timeout);
        yield { i32, index: PUT_SIGNAL, value: seen, deadline };
      }
    } finally {
      Atomics.sub(i32, GETTERS, 1);
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
      if (((put - done) | 0) <= 0)
        throw new HelperError(
          "ERR_TASK_DONE_TOO_OFTEN",
          `sharedQueue '${this.name}': taskDone() called more times than items were put`,
        );
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
    const timeout = checkTimeout("timeout", options?.timeout);
    if (this.unfinishedTasks !== 0) assertMayBlock("sharedQueue.join()", "await sharedQueue.joinAsync()");
    blocking(this.untilDone(timeout));
  }

  /** Awaits until every item put has been marked with `taskDone`. */
  async joinAsync(options?: { timeout?: number; signal?: AbortSignal }): Promise<void> {
    await awaiting(this.untilDone(checkTimeout("timeout", options?.timeout)), options?.signal);
  }

  /** The wait loop of `join` and `joinAsync`. */
  private *untilDone(timeout: number): WaitLoop<void> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      // Why read DONE first and sleep on it: taskDone notifies after changing it, so a change after our read
      // makes the wait return at once.
      const done = Atomics.load(i32, DONE_COUNT);
      if (((Atomics.load(i32, PUT_COUNT) - done) | 0) === 0) return;
      if (remaining(deadline) <= 0) throw this.joinError();
      yield { i32, index: DONE_COUNT, value: done, deadline };
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
    if (value === undefined)
      throw new TypeError(
        `sharedQueue '${this.name}': cannot put undefined, it is the end-of-queue sentinel (close() the queue instead)`,
      );
    let item: Encoded;
    try {
      item = encode(value, this.jsonOnly);
    } catch (error) {
      if (this.jsonOnly)
        throw new TypeError(`sharedQueue '${this.name}': cannot put a ${typeof value} with the "json" codec`, {
          cause: error,
        });
      throw error;
    }
    // Why at most (nearly) half the ring: a record goes either before the end or at 0 after a SKIP, so with the
    // queue empty it fits wherever the tail stands only if it is no larger than half (less the 4 bytes of the
    // empty header after it); a larger one could wait forever.
    if (4 + align4(item.maxBytes) > this.size / 2 - 4 || item.maxBytes > MAX_PAYLOAD) {
      throw new RangeError(
        `sharedQueue '${this.name}': an item of ${item.maxBytes} bytes is too large for its ${this.size}-byte buffer (items may take half; pass a larger \`bytes\`)`,
      );
    }
    return item;
  }

  /** Writes one record if there is room (put lock held). */
  private tryWrite(item: Encoded): boolean {
    const i32 = this.i32;
    if (Atomics.load(i32, CLOSED))
      throw new ClosedError(`put on closed sharedQueue '${this.name}'`, "ERR_QUEUE_CLOSED");
    const putCount = i32[PUT_COUNT]!;
    const putBytes = i32[PUT_BYTES]!;
    const capacity = i32[CAPACITY]!;
    const size = this.size;
    const reserve = 4 + align4(item.maxBytes);
    const tail = i32[TAIL]!;
    // A record that does not fit before the end goes to 0, and the gap before the end is used up by a SKIP.
    // The 4 more bytes are for the empty header written after the record (see below).
    const wraps = size - tail < reserve;
    const need = (wraps ? size - tail + reserve : reserve) + 4;
    // Room is measured from the consumers' counters: bytes they have not yet counted as freed may still be
    // being read, so a stale (lower) count only makes us wait, never overwrite. Reload only when the cached
    // view shows too little room (or is out of range after a very long pause).
    let count = (putCount - this.seenGetCount) | 0;
    let used = (putBytes - this.seenGetBytes) | 0;
    if (count < 0 || count >= capacity || used < 0 || used > size || size - used < need) {
      this.seenGetCount = Atomics.load(i32, GET_COUNT);
      this.seenGetBytes = Atomics.load(i32, GET_BYTES);
      count = (putCount - this.seenGetCount) | 0;
      used = (putBytes - this.seenGetBytes) | 0;
      if (count >= capacity || size - used < need) return false;
    }
    const at = wraps ? 0 : tail;
    const written = writePayload(item, this.data, this.view, at + 4);
    const length = 4 + align4(written);
    const next = at + length;
    // Why clear the next header before publishing this one: the consumer reads the header at its head to learn
    // whether a record is there, and the bytes after this record (or at 0, when it ends the ring) may hold an
    // old record from an earlier lap, which it would take for a new one. Those 4 bytes are free: `need`
    // counted them. So consumers never write to the ring: its cache lines travel one way only.
    this.d32[next === size ? 0 : next >> 2] = 0;
    // Why count the item before publishing it: a consumer may take the record the moment its header is stored
    // and call taskDone() at once; had PUT_COUNT not yet counted it, taskDone() would find more calls than puts
    // and throw ERR_TASK_DONE_TOO_OFTEN (the consumer's worker died, join() waited forever on its item: seen in
    // CI with the producer preempted between the two stores). Counted first, `length` may for a moment include
    // an item not yet visible, which is harmless (Python's JoinableQueue also counts before it puts).
    Atomics.store(i32, PUT_COUNT, (putCount + 1) | 0);
    // Why the header last, atomically: a consumer reads a record only after seeing its header, and the
    // Atomics.store publishes every write before it (payload, cleared next header).
    Atomics.store(this.d32, at >> 2, (tagFor(item, written) << 29) | written);
    // The SKIP goes after the record at 0 is complete, so a consumer that follows it finds that record there.
    if (wraps) Atomics.store(this.d32, tail >> 2, SKIP);
    i32[TAIL] = next === size ? 0 : next; // producer-private: the put lock publishes it to the next producer
    i32[PUT_BYTES] = (putBytes + (wraps ? size - tail : 0) + length) | 0;
    // Why the ITEM_WAKE exchange: while the woken consumer is still getting up, every further put would see it
    // counted in GETTERS and pay for another notify; the first put claims the wake-up and the rest skip it.
    // The consumer clears the flag before it reads PUT_SIGNAL and looks again, so a put it has not seen either
    // finds the flag clear and bumps the signal, or follows a put that bumped it after that read.
    if (Atomics.load(i32, GETTERS) > 0 && Atomics.exchange(i32, ITEM_WAKE, 1) === 0) {
      Atomics.add(i32, PUT_SIGNAL, 1);
      Atomics.notify(i32, PUT_SIGNAL, 1);
    }
    return true;
  }

  /**
   * Reads one record if there is one (get lock held). A record is there when the header at the head is not
   * empty: the consumer reads no counter the producer keeps writing, only the record itself (a cache line of
   * records crosses between the cores once, not one counter per item).
   */
  private tryRead(): T | typeof EMPTY {
    const i32 = this.i32;
    const d32 = this.d32;
    let head = i32[HEAD]!;
    let word = Atomics.load(d32, head >> 2);
    if (word === 0) return EMPTY;
    let freed = 0;
    if (word === SKIP) {
      freed = this.size - head;
      head = 0;
      word = Atomics.load(d32, 0); // published before the SKIP, so it is there
    }
    const length = word & LENGTH_MASK;
    const value = readPayload(word >>> 29, this.data, this.view, head + 4, length) as T;
    const size = 4 + align4(length);
    freed += size;
    const next = head + size;
    i32[HEAD] = next === this.size ? 0 : next;
    // Why free the bytes only after decoding: a producer may overwrite them as soon as it sees them freed.
    Atomics.store(i32, GET_BYTES, (i32[GET_BYTES]! + freed) | 0);
    Atomics.store(i32, GET_COUNT, (i32[GET_COUNT]! + 1) | 0);
    if (Atomics.load(i32, PUTTERS) > 0 && Atomics.exchange(i32, ROOM_WAKE, 1) === 0) {
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
    if (timeout > 0 && onMainThread) assertMayBlock(`sharedQueue.${op}()`, `await sharedQueue.${asyncForm}`);
    try {
      lock.acquire({ timeout });
    } catch (error) {
      if (error instanceof LockTimeoutError) throw op === "put" ? this.fullError(timeout) : this.emptyError(timeout);
      throw error;
    }
  }

  private async lockAsync(
    lock: Lock,
    timeout: number,
    signal: AbortSignal | undefined,
    op: "put" | "get",
  ): Promise<void> {
    try {
      await lock.acquireAsync({ timeout, signal });
    } catch (error) {
      if (error instanceof LockTimeoutError) throw op === "put" ? this.fullError(timeout) : this.emptyError(timeout);
      throw error;
    }
  }

  private fullError(timeout: number): QueueFullError {
    return new QueueFullError(
      `sharedQueue '${this.name}' is full (${this.length} of ${this.capacity})${timeout > 0 && timeout !== Infinity ? ` for ${timeout} ms` : ""}`,
    );
  }

  private emptyError(timeout: number): QueueEmptyError {
    return new QueueEmptyError(
      `sharedQueue '${this.name}' is empty${timeout > 0 && timeout !== Infinity ? ` after ${timeout} ms` : ""}`,
    );
  }

  private joinError(): HelperError {
    return new HelperError(
      "ERR_TIMEOUT",
      `sharedQueue '${this.name}'.join(): ${this.unfinishedTasks} item(s) still unfinished`,
    );
  }
}

registerHandleKind("SharedQueue", { type: SharedQueue, from: SharedQueue.from });
