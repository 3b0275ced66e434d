import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { AbortError, ClosedError, QueueEmptyError, QueueFullError } from "../../kernel-helpers/errors";
import { Queue } from "../../kernel-helpers/queues/queue";

describe("Queue (one event loop)", () => {
  it("3 producers and 3 consumers: every item once, per-producer order kept, never more than maxsize queued", async () => {
    const q = new Queue<[number, number]>({ maxsize: 5 });
    let maxSeen = 0;
    const producers = [0, 1, 2].map(async (p) => {
      for (let i = 0; i < 2000; i++) {
        await q.put([p, i]);
        maxSeen = Math.max(maxSeen, q.size);
        // Why yield sometimes: interleave producers with consumers at many different points.
        if (i % 7 === 0) await delay(0);
      }
    });
    const received: [number, number][][] = [[], [], []];
    const consumers = [0, 1, 2].map(async (c) => {
      for await (const item of q) {
        received[c]!.push(item);
        q.taskDone();
        if (item[1] % 5 === 0) await delay(0);
      }
    });
    await Promise.all(producers);
    await q.join();
    q.close();
    await Promise.all(consumers);
    expect(maxSeen).toBe(5); // backpressure held, and the bound was actually reached
    const all = received.flat();
    expect(all).toHaveLength(6000);
    expect(new Set(all.map(([p, i]) => p * 10000 + i)).size).toBe(6000);
    for (const list of received) {
      for (const p of [0, 1, 2]) {
        const mine = list.filter(([pp]) => pp === p).map(([, i]) => i);
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      }
    }
  });

  it("put waits while full and resumes in arrival order when space frees (FIFO for waiting putters and getters)", async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await q.put("a");
    const order: string[] = [];
    const p1 = q.put("b").then(() => order.push("put b"));
    const p2 = q.put("c").then(() => order.push("put c"));
    await delay(10);
    expect(order).toEqual([]);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(await q.get()).toBe("c");
    await Promise.all([p1, p2]);
    expect(order).toEqual(["put b", "put c"]);
    const g1 = q.get();
    const g2 = q.get();
    q.putNowait("x");
    q.putNowait("y");
    expect([await g1, await g2]).toEqual(["x", "y"]);
  });

  it("close(): pending and later puts reject, get drains then resolves undefined, iteration ends", async () => {
    const q = new Queue<number>({ maxsize: 2 });
    await q.put(1);
    await q.put(2);
    const blocked = q.put(3);
    q.close();
    await expect(blocked).rejects.toThrow(ClosedError);
    await expect(q.put(4)).rejects.toThrow(expect.objectContaining({ code: "ERR_QUEUE_CLOSED" }));
    expect(await q.get()).toBe(1);
    const rest: number[] = [];
    for await (const x of q) rest.push(x);
    expect(rest).toEqual([2]);
    expect(await q.get()).toBeUndefined();
    const waiting = new Queue<number>();
    const getter = waiting.get();
    waiting.close();
    expect(await getter).toBeUndefined();
  });

  it("timeouts reject with QueueEmptyError / QueueFullError; an aborted get loses no item", async () => {
    const q = new Queue<number>({ maxsize: 1 });
    await expect(q.get({ timeout: 20 })).rejects.toThrow(QueueEmptyError);
    q.putNowait(1);
    await expect(q.put(2, { timeout: 20 })).rejects.toThrow(QueueFullError);
    expect(() => q.putNowait(2)).toThrow("queue is full (1 of 1)");
    expect(q.getNowait()).toBe(1);
    expect(() => q.getNowait()).toThrow(QueueEmptyError);
    const controller = new AbortController();
    const abandoned = q.get({ signal: controller.signal });
    controller.abort();
    await expect(abandoned).rejects.toThrow(AbortError);
    await q.put(42); // must not go to the getter that left
    expect(await q.get()).toBe(42);
  });

  it("taskDone/join count work; errors are coded; maxsize is validated; undefined is refused", async () => {
    const q = new Queue<number>();
    expect(() => q.taskDone()).toThrow(expect.objectContaining({ code: "ERR_TASK_DONE_TOO_OFTEN" }));
    await q.put(1);
    await q.put(2);
    let joined = false;
    const join = q.join().then(() => (joined = true));
    await q.get();
    q.taskDone();
    await delay(5);
    expect(joined).toBe(false);
    await q.get();
    q.taskDone();
    await join;
    expect(joined).toBe(true);
    expect(() => new Queue({ maxsize: -1 })).toThrow("Expected `maxsize` to be an integer from 0 up, or Infinity, got `-1` (number)");
    expect(new Queue({ maxsize: 0 }).maxsize).toBe(Infinity);
    await expect(q.put(undefined as never)).rejects.toThrow(/undefined is the end-of-queue sentinel/);
  });
});
