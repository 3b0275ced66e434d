// The Python lesson's producer-consumer pattern ("Common Concurrency Patterns") on Node: two producers, three
// consumers, a queue of at most 10 items. Run: cd examples/12 && npx tsx producer-consumer.ts
// (Node 22.6+: node --experimental-strip-types producer-consumer.ts)
//
// In Python these are threads because they spend their time waiting (time.sleep). On Node, waiting needs no
// thread: they are async functions on one event loop, and no lock is needed, because each runs without
// interruption between two `await`s.
import { setTimeout as delay } from "node:timers/promises";

/** Python's queue.Queue(maxsize) for async code: put() waits while full, get() while empty. */
class Queue<T> {
  private readonly items: T[] = [];
  private readonly getters: Array<(item: T | undefined) => void> = [];
  private readonly putters: Array<() => void> = [];
  private unfinished = 0;
  private readonly joiners: Array<() => void> = [];
  private closed = false;
  private readonly maxsize: number;
  constructor(maxsize = Infinity) {
    this.maxsize = maxsize;
  }

  async put(item: T): Promise<void> {
    while (this.items.length >= this.maxsize) await new Promise<void>((resolve) => this.putters.push(resolve));
    this.unfinished++;
    const getter = this.getters.shift();
    if (getter) getter(item); // a consumer is waiting: hand the item straight to it
    else this.items.push(item);
  }

  /** The next item; `undefined` once the queue is closed and empty (the seed's None sentinel). */
  async get(): Promise<T | undefined> {
    if (this.items.length > 0) {
      const item = this.items.shift()!;
      this.putters.shift()?.(); // room for one more: wake one waiting producer
      return item;
    }
    if (this.closed) return undefined;
    return new Promise((resolve) => this.getters.push(resolve));
  }

  taskDone(): void {
    if (--this.unfinished === 0) for (const resolve of this.joiners.splice(0)) resolve();
  }

  /** Waits until every item put has been marked done. */
  join(): Promise<void> {
    return this.unfinished === 0 ? Promise.resolve() : new Promise((resolve) => this.joiners.push(resolve));
  }

  /** No more items: waiting and later get() calls return undefined once the queue is empty. */
  close(): void {
    this.closed = true;
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }
}

const sleep = (seconds: number) => delay(seconds * 1000); // time.sleep, without blocking the event loop
const uniform = (a: number, b: number) => a + Math.random() * (b - a);

async function producer(queue: Queue<string>, producerId: number): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const item = `Item-${producerId}-${i}`;
    await queue.put(item);
    console.log(`Producer ${producerId} produced ${item}`);
    await sleep(uniform(0.1, 0.5));
  }
}

async function consumer(queue: Queue<string>, consumerId: number): Promise<void> {
  for (;;) {
    // The seed stops a consumer when get(timeout=2) finds nothing for 2 s (and its daemon threads die with the
    // program). Here the queue is closed once all is done, and get() then returns undefined: no guessing.
    const item = await queue.get();
    if (item === undefined) break;
    console.log(`Consumer ${consumerId} consumed ${item}`);
    await sleep(uniform(0.2, 0.8));
    queue.taskDone();
  }
}

const queue = new Queue<string>(10);
const producers = [0, 1].map((i) => producer(queue, i)); // Start producers
const consumers = [0, 1, 2].map((i) => consumer(queue, i)); // Start consumers
await Promise.all(producers); // Wait for producers to finish
await queue.join(); // Wait for queue to be empty
queue.close();
await Promise.all(consumers);
console.log("All items consumed");
