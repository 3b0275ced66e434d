/**
 * `SharedQueue`: a bounded FIFO queue in shared memory, across worker threads and the main thread (Python's
 * `multiprocessing.Queue` / `JoinableQueue`, for threads). Values are encoded to bytes (JSON, or V8's
 * structured serialisation) into a ring buffer guarded by a `Lock`; `put`/`get` block in workers,
 * `putAsync`/`getAsync` await on the main thread. No message passes through the event loop.
 *
 * Ring layout: records of [uint32 length][payload], 4-byte aligned; a record that does not fit before the
 * end of the buffer is placed at 0 after a SKIP marker, so no record ever wraps.
 */
import { deserialize, serialize } from "node:v8";
import { isMainThread } from "node:worker_threads";
import { ClosedError, HelperError, QueueEmptyError, QueueFullError, checkPositiveInt, checkTimeout, invalid } from "../errors";
import { type Handle, expectHandle, makeHandle } from "../sync/handle";
import { Lock } from "../sync/mutex";
import { assertMayBlock, deadlineAfter, remaining, waitAsync, waitSync } from "../sync/wait";

// Header slots (int32). 0-1 are the Lock's state and owner.
const HEAD = 2;
const TAIL = 3;
const USED = 4;
const COUNT = 5;
const CAPACITY = 6;
const CLOSED = 7;
const PUT_SEQ = 8; // bumped on every put and on close: getters sleep on it
const GET_SEQ = 9; // bumped on every get and on close: putters sleep on it
const GETTERS = 10; // getters asleep (changed under the lock)
const PUTTERS = 11; // putters asleep (changed under the lock)
const UNFINISHED = 12; // put but not yet taskDone()
const CODEC = 13;
const HEADER_BYTES = 64;
const SKIP = 0xffffffff;

/** How values become bytes: `"json"` (fast for small plain data) or `"structured"` (Maps, Dates, typed arrays, bigint...). */
export type QueueCodec = "json" | "structured";

/** Options of a `SharedQueue`. */
export interface SharedQueueOptions {
  /** The most messages it holds; `put` waits while it is full. @default 1024 */
  capacity?: number;
  /** The ring buffer's size in bytes (a message must fit in it). @default 64 * capacity, at least 64 KiB */
  bytes?: number;
  /** How values are encoded. @default "structured" */
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

/**
 * A bounded multi-producer, multi-consumer queue in shared memory. `undefined` is the end-of-queue sentinel:
 * after `close()`, `get` drains what is left and then returns `undefined`, and `put` throws.
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
  private readonly size: number;
  private readonly lock: Lock;
  private readonly json: boolean;

  constructor(options: SharedQueueOptions = {}) {
    const capacity = options.capacity ?? 1024;
    checkPositiveInt("capacity", capacity);
    const bytes = options.bytes ?? Math.max(65536, 64 * capacity);
    checkPositiveInt("bytes", bytes);
    const codec = options.codec ?? "structured";
    if (codec !== "json" && codec !== "structured") invalid("codec", '"json" or "structured"', codec);
    this.name = options.name ?? `SharedQueue-${++created}`;
    this.buffer = new SharedArrayBuffer(HEADER_BYTES + align4(Math.max(bytes, 8)));
    const header = new Int32Array(this.buffer, 0, HEADER_BYTES / 4);
    header[CAPACITY] = capacity;
    header[CODEC] = codec === "json" ? 0 : 1;
    const parts = SharedQueue.parts(this.buffer, this.name);
    this.i32 = parts.i32;
    this.data = parts.data;
    this.size = parts.size;
    this.lock = parts.lock;
    this.json = parts.json;
  }

  private static parts(buffer: SharedArrayBuffer, name: string) {
    const i32 = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const data = Buffer.from(buffer, HEADER_BYTES);
    return { i32, data, size: data.length, lock: Lock.over(buffer, `${name}.lock`), json: i32[CODEC] === 0 };
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

  /** The most messages it holds. */
  get capacity(): number {
    return this.i32[CAPACITY]!;
  }

  /** Messages in the queue now (Python's `qsize()`; stale as soon as another thread acts). */
  get length(): number {
    return Atomics.load(this.i32, COUNT);
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

  /** Adds a value, blocking while the queue is full (workers). Throws `ClosedError` once closed. */
  put(value: T, options?: QueueOpOptions): void {
    const payload = this.encode(value);
    const timeout = checkTimeout("timeout", options?.timeout);
    const deadline = deadlineAfter(timeout);
    if (!this.lock.tryAcquire()) {
      if (timeout > 0) assertMayBlock("sharedQueue.put()", "await sharedQueue.putAsync(value)");
      this.lock.acquire();
    }
    try {
      for (;;) {
        if (this.tryWrite(payload)) return;
        if (remaining(deadline) <= 0) throw this.fullError(timeout);
        if (timeout > 0) assertMayBlock("sharedQueue.put()", "await sharedQueue.putAsync(value)");
        // Why read GET_SEQ and count ourselves under the lock: a getter must take the lock to free space, so it
        // either sees PUTTERS > 0 and notifies, or bumps GET_SEQ after our read and the wait returns at once.
        const seq = Atomics.load(this.i32, GET_SEQ);
        Atomics.add(this.i32, PUTTERS, 1);
        this.lock.release();
        waitSync(this.i32, GET_SEQ, seq, deadline);
        this.lock.acquire();
        Atomics.sub(this.i32, PUTTERS, 1);
      }
    } finally {
      this.lock.release();
    }
  }

  /** Adds a value without blocking the event loop (main thread). */
  async putAsync(value: T, options?: QueueOpOptions): Promise<void> {
    const payload = this.encode(value);
    const timeout = checkTimeout("timeout", options?.timeout);
    const deadline = deadlineAfter(timeout);
    await this.lockAsync();
    try {
      for (;;) {
        if (this.tryWrite(payload)) return;
        if (remaining(deadline) <= 0) throw this.fullError(timeout);
        const seq = Atomics.load(this.i32, GET_SEQ); // see put
        Atomics.add(this.i32, PUTTERS, 1);
        this.lock.release();
        try {
          await waitAsync(this.i32, GET_SEQ, seq, deadline, options?.signal);
        } finally {
          await this.lockAsync();
          Atomics.sub(this.i32, PUTTERS, 1);
        }
      }
    } finally {
      this.lock.release();
    }
  }

  /** Adds a value if there is room now, else throws `QueueFullError`. */
  putNowait(value: T): void {
    const payload = this.encode(value);
    if (!this.lock.tryAcquire()) this.lock.acquire({ timeout: isMainThread ? 0 : Infinity });
    try {
      if (!this.tryWrite(payload)) throw this.fullError(0);
    } finally {
      this.lock.release();
    }
  }

  /**
   * Takes the oldest value, blocking while the queue is empty (workers). Returns `undefined` once the queue is
   * closed and drained.
   */
  get(options?: QueueOpOptions): T | undefined {
    const timeout = checkTimeout("timeout", options?.timeout);
    const deadline = deadlineAfter(timeout);
    if (!this.lock.tryAcquire()) {
      if (timeout > 0) assertMayBlock("sharedQueue.get()", "await sharedQueue.getAsync()");
      this.lock.acquire();
    }
    try {
      for (;;) {
        const got = this.tryRead();
        if (got !== EMPTY) return got;
        if (this.closed) return undefined;
        if (remaining(deadline) <= 0) throw this.emptyError(timeout);
        if (timeout > 0) assertMayBlock("sharedQueue.get()", "await sharedQueue.getAsync()");
        // Mirror image of put: sleep on PUT_SEQ read under the lock, counted in GETTERS.
        const seq = Atomics.load(this.i32, PUT_SEQ);
        Atomics.add(this.i32, GETTERS, 1);
        this.lock.release();
        waitSync(this.i32, PUT_SEQ, seq, deadline);
        this.lock.acquire();
        Atomics.sub(this.i32, GETTERS, 1);
      }
    } finally {
      this.lock.release();
    }
  }

  /** Takes the oldest value without blocking the event loop (main thread); `undefined` once closed and drained. */
  async getAsync(options?: QueueOpOptions): Promise<T | undefined> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const deadline = deadlineAfter(timeout);
    await this.lockAsync();
    try {
      for (;;) {
        const got = this.tryRead();
        if (got !== EMPTY) return got;
        if (this.closed) return undefined;
        if (remaining(deadline) <= 0) throw this.emptyError(timeout);
        const seq = Atomics.load(this.i32, PUT_SEQ);
        Atomics.add(this.i32, GETTERS, 1);
        this.lock.release();
        try {
          await waitAsync(this.i32, PUT_SEQ, seq, deadline, options?.signal);
        } finally {
          await this.lockAsync();
          Atomics.sub(this.i32, GETTERS, 1);
        }
      }
    } finally {
      this.lock.release();
    }
  }

  /** Takes a value if one is there now, else throws `QueueEmptyError` (or returns `undefined` once closed and drained). */
  getNowait(): T | undefined {
    if (!this.lock.tryAcquire()) this.lock.acquire({ timeout: isMainThread ? 0 : Infinity });
    try {
      const got = this.tryRead();
      if (got !== EMPTY) return got;
      if (this.closed) return undefined;
      throw this.emptyError(0);
    } finally {
      this.lock.release();
    }
  }

  /** Marks one item taken with `get` as processed (Python's `task_done()`). */
  taskDone(): void {
    // Why compare-exchange: two threads calling taskDone at 1 must not both pass the check and go to -1.
    for (;;) {
      const n = Atomics.load(this.i32, UNFINISHED);
      if (n <= 0) throw new HelperError("ERR_TASK_DONE_TOO_OFTEN", `sharedQueue '${this.name}': taskDone() called more times than items were put`);
      if (Atomics.compareExchange(this.i32, UNFINISHED, n, n - 1) === n) {
        if (n === 1) Atomics.notify(this.i32, UNFINISHED);
        return;
      }
    }
  }

  /** Blocks until every item put has been marked with `taskDone` (workers). */
  join(options?: { timeout?: number }): void {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    if (Atomics.load(this.i32, UNFINISHED) !== 0) assertMayBlock("sharedQueue.join()", "await sharedQueue.joinAsync()");
    for (;;) {
      const n = Atomics.load(this.i32, UNFINISHED);
      if (n === 0) return;
      if (remaining(deadline) <= 0) throw new HelperError("ERR_TIMEOUT", `sharedQueue '${this.name}'.join(): ${n} item(s) still unfinished`);
      waitSync(this.i32, UNFINISHED, n, deadline);
    }
  }

  /** Awaits until every item put has been marked with `taskDone`. */
  async joinAsync(options?: { timeout?: number; signal?: AbortSignal }): Promise<void> {
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    for (;;) {
      const n = Atomics.load(this.i32, UNFINISHED);
      if (n === 0) return;
      if (remaining(deadline) <= 0) throw new HelperError("ERR_TIMEOUT", `sharedQueue '${this.name}'.join(): ${n} item(s) still unfinished`);
      await waitAsync(this.i32, UNFINISHED, n, deadline, options?.signal);
    }
  }

  /** Closes the queue: later `put`s throw, `get`s drain what is left and then return `undefined`. */
  close(): void {
    Atomics.store(this.i32, CLOSED, 1);
    // Why bump both sequences: every sleeper re-checks and sees the closed flag, whichever side it waits on.
    Atomics.add(this.i32, PUT_SEQ, 1);
    Atomics.add(this.i32, GET_SEQ, 1);
    Atomics.notify(this.i32, PUT_SEQ);
    Atomics.notify(this.i32, GET_SEQ);
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

  private async lockAsync(): Promise<void> {
    if (!this.lock.tryAcquire()) await this.lock.acquireAsync();
  }

  private encode(value: T): string | Buffer {
    if (value === undefined) throw new TypeError(`sharedQueue '${this.name}': cannot put undefined, it is the end-of-queue sentinel (close() the queue instead)`);
    if (!this.json) return serialize(value);
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`sharedQueue '${this.name}': cannot put a ${typeof value} with the "json" codec`);
    return text;
  }

  /** Writes one record if it fits (lock held). */
  private tryWrite(payload: string | Buffer): boolean {
    const i32 = this.i32;
    if (Atomics.load(i32, CLOSED)) throw new ClosedError(`put on closed sharedQueue '${this.name}'`, "ERR_QUEUE_CLOSED");
    const length = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
    const need = 4 + align4(length);
    if (need > this.size) {
      throw new RangeError(`sharedQueue '${this.name}': a message of ${length} bytes does not fit its ${this.size}-byte buffer (pass a larger \`bytes\`)`);
    }
    const count = i32[COUNT]!;
    if (count >= i32[CAPACITY]!) return false;
    const head = i32[HEAD]!;
    let tail = i32[TAIL]!;
    let used = i32[USED]!;
    if (tail >= head && used < this.size) {
      if (this.size - tail < need) {
        if (head < need) return false;
        this.data.writeUInt32LE(SKIP, tail);
        used += this.size - tail;
        tail = 0;
      }
    } else if (head - tail < need) {
      return false;
    }
    this.data.writeUInt32LE(length, tail);
    if (typeof payload === "string") this.data.write(payload, tail + 4, "utf8");
    else payload.copy(this.data, tail + 4);
    tail += need;
    if (tail === this.size) tail = 0;
    // Plain writes are fine for the ring fields: they are only read with the lock held, and the lock's
    // atomic release publishes them. COUNT and the sequences are atomic because they are read without it.
    i32[TAIL] = tail;
    i32[USED] = used + need;
    Atomics.store(i32, COUNT, count + 1);
    Atomics.add(i32, UNFINISHED, 1);
    Atomics.add(i32, PUT_SEQ, 1);
    if (Atomics.load(i32, GETTERS) > 0) Atomics.notify(i32, PUT_SEQ, 1);
    return true;
  }

  /** Reads one record if there is one (lock held). */
  private tryRead(): T | typeof EMPTY {
    const i32 = this.i32;
    const count = i32[COUNT]!;
    if (count === 0) return EMPTY;
    let head = i32[HEAD]!;
    let used = i32[USED]!;
    let length = this.data.readUInt32LE(head);
    if (length === SKIP) {
      used -= this.size - head;
      head = 0;
      length = this.data.readUInt32LE(0);
    }
    const start = head + 4;
    const value = this.json
      ? (JSON.parse(this.data.toString("utf8", start, start + length)) as T)
      : (deserialize(this.data.subarray(start, start + length)) as T);
    const need = 4 + align4(length);
    head += need;
    used -= need;
    if (head === this.size) head = 0;
    if (count === 1) {
      // Why reset to 0 when empty: the next record starts a fresh run at the buffer's start and never needs a SKIP.
      head = 0;
      i32[TAIL] = 0;
      used = 0;
    }
    i32[HEAD] = head;
    i32[USED] = used;
    Atomics.store(i32, COUNT, count - 1);
    Atomics.add(i32, GET_SEQ, 1);
    if (Atomics.load(i32, PUTTERS) > 0) Atomics.notify(i32, GET_SEQ, 1);
    return value;
  }

  private fullError(timeout: number): QueueFullError {
    return new QueueFullError(`sharedQueue '${this.name}' is full (${this.length} of ${this.capacity})${timeout > 0 ? ` for ${timeout} ms` : ""}`);
  }

  private emptyError(timeout: number): QueueEmptyError {
    return new QueueEmptyError(`sharedQueue '${this.name}' is empty${timeout > 0 ? ` after ${timeout} ms` : ""}`);
  }
}

const EMPTY: unique symbol = Symbol("empty");
