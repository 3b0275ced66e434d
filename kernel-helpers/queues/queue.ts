/**
 * `Queue<T>`: a FIFO queue for async tasks on one event loop (Python's `queue.Queue` / `asyncio.Queue`):
 * `put` waits while it is full (backpressure), `get` waits while it is empty, `taskDone`/`join` count work
 * done, and `close()` ends it: `get` drains what is left and then resolves `undefined`, the sentinel.
 * Waiting getters and putters are served in arrival order. (Across worker threads, use `SharedQueue`.)
 */
import { AbortError, ClosedError, HelperError, QueueEmptyError, QueueFullError, checkTimeout, invalid } from "../errors";

/** Options of `put` / `get`. */
export interface QueueWaitOptions {
  /** Give up after this many milliseconds: `put` rejects with `QueueFullError`, `get` with `QueueEmptyError`. @default Infinity */
  timeout?: number;
  /** Cancels the wait with an `AbortError`. */
  signal?: AbortSignal;
}

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

interface Putter<T> extends Waiter<void> {
  item: T;
}

/**
 * A FIFO queue with optional bound, for producer and consumer tasks on one event loop.
 * @example
 * const q = new Queue<string>({ maxsize: 10 });
 * const consumer = (async () => { for await (const url of q) { await fetch(url); q.taskDone(); } })();
 * await q.put("http://127.0.0.1:8080/get");   // waits while 10 are queued
 * await q.join();                              // every item processed
 * q.close(); await consumer;                   // the for-await loop ends
 */
export class Queue<T> {
  /** The most items it holds (`Infinity`: unbounded; Python's maxsize <= 0). */
  readonly maxsize: number;
  private items: T[] = [];
  private head = 0;
  private readonly getters: Waiter<T | undefined>[] = [];
  private readonly putters: Putter<T>[] = [];
  private joiners: Waiter<void>[] = [];
  private unfinished = 0;
  private isClosed = false;

  /** @param options.maxsize the bound; 0 or Infinity means unbounded (as in Python) */
  constructor(options: { maxsize?: number } = {}) {
    const maxsize = options.maxsize ?? Infinity;
    if (maxsize !== Infinity && (!Number.isInteger(maxsize) || maxsize < 0)) invalid("maxsize", "an integer from 0 up, or Infinity", maxsize);
    this.maxsize = maxsize === 0 ? Infinity : maxsize;
  }

  /** Items queued now. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Whether no item is queued. */
  empty(): boolean {
    return this.size === 0;
  }

  /** Whether `maxsize` items are queued. */
  full(): boolean {
    return this.size >= this.maxsize;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Items put and not yet marked `taskDone`. */
  get unfinishedTasks(): number {
    return this.unfinished;
  }

  /** Adds an item, waiting while the queue is full. Rejects with `ClosedError` once closed. */
  put(item: T, options?: QueueWaitOptions): Promise<void> {
    try {
      if (this.offer(item)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.wait<void>(this.putters as unknown as Waiter<void>[], options, () => this.fullError(options?.timeout), { item } as Partial<Putter<T>>);
  }

  /** Adds an item now, or throws `QueueFullError`. */
  putNowait(item: T): void {
    if (!this.offer(item)) throw this.fullError(0);
  }

  /** Takes the oldest item, waiting while the queue is empty; resolves `undefined` once closed and drained. */
  get(options?: QueueWaitOptions): Promise<T | undefined> {
    if (this.size > 0) return Promise.resolve(this.take());
    if (this.isClosed) return Promise.resolve(undefined);
    return this.wait<T | undefined>(this.getters, options, () => this.emptyError(options?.timeout));
  }

  /** Takes an item now; throws `QueueEmptyError` if there is none (returns `undefined` once closed and drained). */
  getNowait(): T | undefined {
    if (this.size > 0) return this.take();
    if (this.isClosed) return undefined;
    throw this.emptyError(0);
  }

  /** Marks one item taken with `get` as processed (Python's `task_done()`). */
  taskDone(): void {
    if (this.unfinished <= 0) throw new HelperError("ERR_TASK_DONE_TOO_OFTEN", "queue.taskDone() called more times than items were put");
    if (--this.unfinished === 0) {
      const joiners = this.joiners;
      this.joiners = [];
      for (const j of joiners) j.resolve();
    }
  }

  /** Resolves once every item put has been marked with `taskDone` (Python's `join()`). */
  join(): Promise<void> {
    if (this.unfinished === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.joiners.push({ resolve, reject }));
  }

  /**
   * Closes the queue: waiting and later `put`s reject with `ClosedError`; `get` drains what is left, then
   * resolves `undefined`, and `for await` loops end.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const p of this.putters.splice(0)) p.reject(new ClosedError("put on a queue that was closed while it waited", "ERR_QUEUE_CLOSED"));
    // Getters wait only while the queue is empty, so they all get the sentinel.
    for (const g of this.getters.splice(0)) g.resolve(undefined);
  }

  /** Iterates until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = await this.get();
      if (item === undefined) return;
      yield item;
    }
  }

  /** Queues an item or hands it to a waiting getter; false when full. */
  private offer(item: T): boolean {
    if (item === undefined) throw new TypeError("queue.put(undefined): undefined is the end-of-queue sentinel; call close() instead");
    if (this.isClosed) throw new ClosedError("put on a closed queue", "ERR_QUEUE_CLOSED");
    // Why first to a getter: getters wait only while the queue is empty, and serving them before queueing
    // keeps FIFO (no later get can overtake a getter that has waited).
    const getter = this.getters.shift();
    if (getter) {
      this.unfinished++;
      getter.resolve(item);
      return true;
    }
    if (this.size >= this.maxsize) return false;
    this.items.push(item);
    this.unfinished++;
    return true;
  }

  private take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    // Why move a waiting putter's item in now: the slot just freed is theirs, in arrival order; otherwise a
    // later put could take it and a waiting producer would starve.
    const putter = this.putters.shift();
    if (putter) {
      this.items.push(putter.item);
      this.unfinished++;
      putter.resolve();
    }
    return item;
  }

  private wait<V>(list: Waiter<V>[], options: QueueWaitOptions | undefined, timeoutError: () => Error, extra: object = {}): Promise<V> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
    if (timeout === 0) return Promise.reject(timeoutError());
    return new Promise<V>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => settle(() => reject(new AbortError(undefined, { cause: signal?.reason })));
      // Why remove ourselves before rejecting: a later put or get must not hand an item to a waiter that left
      // (the item would be lost).
      const settle = (finish: () => void) => {
        const at = list.indexOf(waiter);
        if (at >= 0) list.splice(at, 1);
        cleanup();
        finish();
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter<V> = Object.assign(extra, {
        resolve: (value: V) => {
          cleanup();
          resolve(value);
        },
        reject: (error: unknown) => {
          cleanup();
          reject(error);
        },
      });
      list.push(waiter);
      if (timeout !== Infinity) timer = setTimeout(() => settle(() => reject(timeoutError())), timeout);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private fullError(timeout: number | undefined): QueueFullError {
    return new QueueFullError(`queue is full (${this.size} of ${this.maxsize})${timeout ? ` for ${timeout} ms` : ""}`);
  }

  private emptyError(timeout: number | undefined): QueueEmptyError {
    return new QueueEmptyError(`queue is empty${timeout ? ` after ${timeout} ms` : ""}`);
  }
}
