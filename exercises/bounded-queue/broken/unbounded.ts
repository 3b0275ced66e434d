// expect-fail: [2] put() waits while the queue is full and goes on when get() frees a slot
// expect-fail: [1] 3 producers and 2 consumers at once: every item exactly once, each producer's order kept, size within capacity
// No backpressure: put() always stores the item at once, so a fast producer fills memory without bound.
/**
 * A FIFO queue with a capacity, for one event loop: producers wait while it is full (backpressure),
 * consumers wait while it is empty, and `close()` ends it like the Python lesson's sentinel.
 */
class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly getters: Array<(item: T | undefined) => void> = [];
  private readonly putters: Array<{ item: T; resolve: () => void; reject: (error: Error) => void }> = [];
  private closed = false;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be 1 or more, got ${capacity}`);
  }

  /** Add an item; waits while the queue is full. Rejects once the queue is closed. */
  put(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error("put() on a closed queue"));
    const getter = this.getters.shift();
    if (getter) {
      // A consumer is waiting, so the queue is empty: hand the item over directly.
      getter(item);
      return Promise.resolve();
    }
    this.items.push(item);
    return Promise.resolve();
  }

  /** Take the oldest item; waits while the queue is empty. After close(), resolves `undefined` once drained. */
  get(): Promise<T | undefined> {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      const putter = this.putters.shift();
      if (putter) {
        this.items.push(putter.item);
        putter.resolve();
      }
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** How many items are in the queue now. */
  get size(): number {
    return this.items.length;
  }

  /** No more puts: waiting consumers get `undefined`, what is queued can still be taken. */
  close(): void {
    this.closed = true;
    for (const getter of this.getters.splice(0)) getter(undefined);
    for (const putter of this.putters.splice(0)) putter.reject(new Error("the queue was closed while put() waited"));
  }

  /** `for await (const item of queue)`: every item until the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = await this.get();
      if (item === undefined) return;
      yield item;
    }
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
