// Probes of bounded-queue: scenarios on one event loop, returning what was observed.
interface Queue<T> {
  put(item: T): Promise<void>;
  get(): Promise<T | undefined>;
  readonly size: number;
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}
type Sub = { BoundedQueue: new <T>(capacity: number) => Queue<T> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Whether a promise has settled after the event loop had a chance to settle it. */
async function settled(p: Promise<unknown>, ms = 20): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await sleep(ms);
  return done;
}

export function capacities(sub: Sub) {
  const attempt = (n: number) => {
    try {
      new sub.BoundedQueue(n);
      return "ok";
    } catch (error) {
      return (error as Error).constructor?.name ?? "thrown";
    }
  };
  return { zero: attempt(0), negative: attempt(-3), one: attempt(1) };
}

export async function fifo(sub: Sub) {
  const q = new sub.BoundedQueue<number>(5);
  await q.put(1);
  await q.put(2);
  await q.put(3);
  const sizeAfterPuts = q.size;
  const got = [await q.get(), await q.get()];
  const sizeAfterGets = q.size;
  got.push(await q.get());
  return { got, sizeAfterPuts, sizeAfterGets };
}

export async function backpressure(sub: Sub) {
  const q = new sub.BoundedQueue<string>(2);
  await q.put("a");
  await q.put("b");
  const third = q.put("c");
  const fourth = q.put("d");
  const waitedWhileFull = !(await settled(third));
  const sizeWhileFull = q.size;
  const first = await q.get();
  const thirdAfterGet = await settled(third);
  const fourthAfterOneGet = await settled(fourth);
  const rest = [await q.get(), await q.get(), await q.get()];
  return { waitedWhileFull, sizeWhileFull, first, thirdAfterGet, fourthAfterOneGet, rest, sizeAtEnd: q.size };
}

export async function waitsWhileEmpty(sub: Sub) {
  const q = new sub.BoundedQueue<string>(3);
  const g1 = q.get();
  const g2 = q.get();
  const waitedWhileEmpty = !(await settled(g1));
  await q.put("x");
  await q.put("y");
  return { waitedWhileEmpty, first: await g1, second: await g2, sizeAtEnd: q.size };
}

export async function closing(sub: Sub) {
  const q = new sub.BoundedQueue<number>(4);
  await q.put(1);
  await q.put(2);
  q.close();
  let putAfterClose = "resolved";
  await q.put(3).catch(() => (putAfterClose = "rejected"));
  const drained = [await q.get(), await q.get(), await q.get(), await q.get()];
  const empty = new sub.BoundedQueue<number>(1);
  const waiting = empty.get();
  empty.close();
  const waitingGot = (await settled(waiting, 50)) ? await waiting : "still waiting";
  return { putAfterClose, drained, waitingGot: waitingGot === undefined ? "undefined" : waitingGot };
}

export async function iteration(sub: Sub) {
  const q = new sub.BoundedQueue<number>(2);
  const producer = (async () => {
    for (let i = 1; i <= 6; i++) await q.put(i);
    q.close();
  })();
  const seen: number[] = [];
  const loop = (async () => {
    for await (const item of q) seen.push(item);
    return "ended";
  })();
  const ended = (await settled(loop, 500)) ? await loop : "did not end";
  await producer;
  return { seen, ended };
}

/** Several producers and consumers at once; sizes sampled after every operation. */
export async function stress(
  sub: Sub,
  args: { producers: number; consumers: number; items: number; capacity: number },
) {
  const q = new sub.BoundedQueue<string>(args.capacity);
  let maxSize = 0;
  const sample = () => (maxSize = Math.max(maxSize, q.size));
  const producers = Array.from({ length: args.producers }, async (_, p) => {
    for (let i = 0; i < args.items; i++) {
      await q.put(`${p}:${i}`);
      sample();
      if (i % 7 === 0) await sleep(0);
    }
  });
  const received: string[][] = Array.from({ length: args.consumers }, () => []);
  const consumers = Array.from({ length: args.consumers }, async (_, c) => {
    for (;;) {
      const item = await q.get();
      sample();
      if (item === undefined) return;
      received[c]!.push(item);
      if (item.endsWith("3")) await sleep(1);
    }
  });
  await Promise.all(producers);
  q.close();
  await Promise.all(consumers);
  return { received, maxSize };
}
