// A correct solution unlike the reference: waiters are woken to re-check (no hand-over), with a
// ticket per put so that puts complete in call order.
class BoundedQueue<T> {
  private items: T[] = [];
  private wakeGetters: Array<() => void> = [];
  private wakePutters: Array<() => void> = [];
  private closed = false;
  private ticket = 0;
  private serving = 0;
  constructor(private readonly capacity: number) {
    if (capacity < 1 || Number.isNaN(capacity)) throw new RangeError("capacity must be at least 1");
  }
  async put(item: T): Promise<void> {
    const mine = this.ticket++;
    while (!this.closed && (mine !== this.serving || this.items.length >= this.capacity)) {
      await new Promise<void>((r) => this.wakePutters.push(r));
    }
    if (this.closed) {
      this.serving++;
      throw new Error("closed");
    }
    this.items.push(item);
    this.serving++;
    this.wake(this.wakePutters);
    this.wake(this.wakeGetters);
  }
  async get(): Promise<T | undefined> {
    while (this.items.length === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.wakeGetters.push(r));
    }
    const item = this.items.shift();
    this.wake(this.wakePutters);
    return item;
  }
  get size(): number {
    return this.items.length;
  }
  close(): void {
    this.closed = true;
    this.wake(this.wakeGetters);
    this.wake(this.wakePutters);
  }
  private wake(list: Array<() => void>): void {
    for (const r of list.splice(0)) r();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (let item = await this.get(); item !== undefined; item = await this.get()) yield item;
  }
}

export {};
