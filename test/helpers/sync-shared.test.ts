import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { Barrier } from "../../kernel-helpers/sync/barrier";
import { Condition } from "../../kernel-helpers/sync/condition";
import { AtomicCounter } from "../../kernel-helpers/sync/counter";
import { Event } from "../../kernel-helpers/sync/event";
import { isHandle } from "../../kernel-helpers/sync/handle";
import { Lock } from "../../kernel-helpers/sync/mutex";
import { RLock } from "../../kernel-helpers/sync/rlock";
import { Semaphore } from "../../kernel-helpers/sync/semaphore";
import { SharedArray, SharedValue } from "../../kernel-helpers/sync/shared-value";
import { fromWire, toWire } from "../../kernel-helpers/sync/transfer";
import { Pipe } from "../../kernel-helpers/queues/pipe";
import { SharedQueue } from "../../kernel-helpers/queues/shared-queue";
import { runWorkers } from "./sync-support";

describe("AtomicCounter", () => {
  // Time-bound loops (300 ms each, counting their own increments), so the workers overlap on a loaded machine.
  const loop = (step: string, ms = 300) => `const [c, b] = args; b.wait(); const end = Date.now() + ${ms}; let n = 0;
    while (Date.now() < end) for (let i = 0; i < 1000; i++, n++) ${step}; return n;`;

  it("loses no increment: 4 workers incrementing for 300 ms behind a start barrier", async () => {
    const counter = new AtomicCounter(0, { name: "hits" });
    const counts = await runWorkers<number>(4, loop("c.increment()"), [counter, new Barrier(4)]);
    expect(counter.value).toBe(counts.reduce((a, b) => a + b, 0));
  });

  it("control: `c.value = c.value + 1` on the same counter loses updates", async () => {
    // Retried longer when a short run happened not to overlap (a loaded machine may give the workers one core).
    let lost = 0;
    for (const ms of [300, 1000, 3000]) {
      const counter = new AtomicCounter();
      const counts = await runWorkers<number>(4, loop("c.value = c.value + 1", ms), [counter, new Barrier(4)]);
      lost = counts.reduce((a, b) => a + b, 0) - counter.value;
      if (lost > 0) break;
    }
    expect(lost).toBeGreaterThan(0);
  });

  it("increment/decrement return the new value, add the old one; compareAndSet; validation", () => {
    const c = new AtomicCounter(5);
    expect(c.increment()).toBe(6);
    expect(c.decrement(2)).toBe(4);
    expect(c.add(10)).toBe(4);
    expect(c.value).toBe(14);
    expect(c.compareAndSet(14, 0)).toBe(true);
    expect(c.compareAndSet(14, 1)).toBe(false);
    expect(`${c}`).toBe("0");
    expect(() => new AtomicCounter(1.5)).toThrow("Expected `initial` to be an integer, got `1.5` (number)");
  });
});

describe("SharedValue and SharedArray (multiprocessing.Value / Array)", () => {
  it("Value('i') += 1 under its lock loses nothing across 4 workers", async () => {
    const total = new SharedValue("i", 0);
    await runWorkers(4, `const [v, b] = args; b.wait(); for (let i = 0; i < 50000; i++) v.lock.withLock(() => { v.value += 1; }); return null;`, [total, new Barrier(4)]);
    expect(total.value).toBe(200_000);
  });

  it("Array('i', range(10)): workers square disjoint elements in place; the main thread sees them", async () => {
    const data = new SharedArray("i", Array.from({ length: 10 }, (_, i) => i));
    await runWorkers(2, `const [a] = args; for (let i = index; i < a.length; i += 2) a.array[i] = a.array[i] * a.array[i]; return a.type;`, [data]);
    expect(data.toArray()).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
  });

  it("supports Python type codes and names, bigint types, and says what is wrong", () => {
    expect(new SharedValue("d", 1.5).value).toBe(1.5);
    expect(new SharedValue("float32", 0.5).type).toBe("float32");
    expect(new SharedValue("q", 2n ** 40n).value).toBe(2n ** 40n);
    expect(new SharedArray("B", 3).array).toBeInstanceOf(Uint8Array);
    expect(() => new SharedValue("x" as never, 0)).toThrow(/Expected `type` to be one of "int8", "b", .*got `"x"` \(string\)/);
    expect(() => new SharedValue("i", 1n)).toThrow("Expected `value` to be a number, got `1` (bigint)");
    expect(() => new SharedArray("q", [1])).toThrow("Expected `lengthOrValues[0]` to be a bigint, got `1` (number)");
    expect(() => new SharedArray("i", -1)).toThrow(TypeError);
    expect(new SharedValue("i", 3).getLock()).toBeInstanceOf(Lock);
  });
});

describe("toWire / fromWire", () => {
  it("turns every primitive, deep in arrays, objects, Maps and Sets, into a handle and back through a real port", () => {
    const lock = new Lock({ name: "L" });
    const value = {
      list: [lock, new RLock(), new Semaphore(2), new Event(), new Condition(), new Barrier(2), new AtomicCounter(7)],
      nested: { map: new Map([["v", new SharedValue("d", 2.5)]]), set: new Set([new SharedArray("i", [1, 2])]) },
      same: lock,
      plain: { n: 1, s: "x", d: new Date(0) },
      queue: new SharedQueue({ capacity: 2 }),
    };
    const transfer: never[] = [];
    const wire = toWire(value, transfer) as typeof value;
    expect(isHandle(wire.list[0])).toBe(true);
    expect(wire.plain).toBe(value.plain); // untouched subtrees are not copied
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(wire, transfer);
    const back = fromWire(receiveMessageOnPort(port2)!.message) as typeof value;
    port1.close();
    expect(back.list.map((x) => x.constructor.name)).toEqual(["Lock", "RLock", "Semaphore", "Event", "Condition", "Barrier", "AtomicCounter"]);
    expect(back.same).toBe(back.list[0]); // one handle, one rebuilt object
    expect((back.list[0] as Lock).tryAcquire()).toBe(true);
    expect(lock.locked()).toBe(true); // the same memory: taken through the copy, seen through the original
    expect((back.list[0] as Lock).name).toBe("L");
    expect((back.list[6] as AtomicCounter).value).toBe(7);
    expect((back.nested.map.get("v") as SharedValue).value).toBe(2.5);
    expect([...back.nested.set][0]!.toArray()).toEqual([1, 2]);
    expect(back.queue).toBeInstanceOf(SharedQueue);
    expect(back.plain.d).toEqual(new Date(0));
  });

  it("moves a Connection's port into the transfer list and marks the original as moved", () => {
    const [a, b] = Pipe();
    expect(() => toWire(a)).toThrow(/needs a transfer list/);
    const transfer: unknown[] = [];
    toWire([a], transfer as never[]);
    expect(transfer).toHaveLength(1);
    expect(() => a.send(1)).toThrow(expect.objectContaining({ code: "ERR_PIPE_MOVED" }));
    b.close();
  });

  it("rejects handles of unknown kinds and wrong kinds with clear messages", () => {
    expect(() => fromWire({ __kernelHelpers: "Nope", buffer: new SharedArrayBuffer(4) })).toThrow("fromWire: unknown shared primitive kind 'Nope'");
    expect(() => Lock.from(new Event().handle)).toThrow("Expected a Lock handle (from `lock.handle`), got a Event handle");
  });
});
