import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../../kernel-helpers/errors";
import { Barrier } from "../../kernel-helpers/sync/barrier";
import { Event } from "../../kernel-helpers/sync/event";
import { Semaphore } from "../../kernel-helpers/sync/semaphore";
import { runWorkers, startWorkers } from "./sync-support";

describe("Semaphore under contention", () => {
  // Each worker repeatedly takes a permit, counts itself in (inside[0]), records the highest count seen,
  // spins a little so holders overlap, and counts itself out.
  const body = `
    const [sem, barrier, buffer, rounds] = args;
    const stats = new Int32Array(buffer); // [inside, maxInside, entries]
    barrier.wait();
    for (let r = 0; r < rounds; r++) {
      sem.withPermit(() => {
        const now = Atomics.add(stats, 0, 1) + 1;
        let max; while ((max = Atomics.load(stats, 1)) < now && Atomics.compareExchange(stats, 1, max, now) !== max) {}
        for (let s = 0; s < 200; s++) Atomics.load(stats, 2);
        Atomics.add(stats, 2, 1);
        Atomics.sub(stats, 0, 1);
      });
    }
    return null;`;

  it("never lets more than `value` threads in (5 workers, 2 permits)", async () => {
    const sem = new Semaphore(2, { name: "slots" });
    const buffer = new SharedArrayBuffer(12);
    await runWorkers(5, body, [sem, new Barrier(5), buffer, 20_000]);
    const stats = new Int32Array(buffer);
    expect(stats[2]).toBe(100_000);
    expect(stats[1]).toBeLessThanOrEqual(2);
    expect(sem.value).toBe(2);
  });

  it("control: with more permits than the bound, the same run sees more than 2 inside", async () => {
    // Retried longer when a run happened not to overlap (a loaded machine may give the workers one core).
    let maxInside = 0;
    for (const rounds of [5_000, 20_000, 80_000]) {
      const buffer = new SharedArrayBuffer(12);
      await runWorkers(5, body, [new Semaphore(5), new Barrier(5), buffer, rounds]);
      maxInside = new Int32Array(buffer)[1]!;
      if (maxInside > 2) break;
    }
    expect(maxInside).toBeGreaterThan(2);
  });

  it("over-release throws ERR_SEMAPHORE_OVER_RELEASE (BoundedSemaphore), unless max allows it", () => {
    const sem = new Semaphore(1, { name: "db" });
    expect(() => sem.release()).toThrow(expect.objectContaining({ code: "ERR_SEMAPHORE_OVER_RELEASE" }));
    expect(() => sem.release()).toThrow("semaphore 'db' released too many times: 1 + 1 permits would exceed its maximum of 1");
    const signal = new Semaphore(0, { max: Infinity });
    signal.release(3);
    expect(signal.value).toBe(3);
    expect(() => new Semaphore(-1)).toThrow("Expected `value` to be an integer from 0 up, got `-1` (number)");
    expect(() => new Semaphore(2, { max: 1 })).toThrow(TypeError);
  });

  it("acquire times out with a TimeoutError, in a worker and on the main thread; abort works", async () => {
    const sem = new Semaphore(0, { name: "empty", max: 1 });
    const [code] = await runWorkers<string>(1, `try { args[0].acquire({ timeout: 50 }); return "acquired"; } catch (e) { return e.code; }`, [sem]);
    expect(code).toBe("ERR_SEMAPHORE_TIMEOUT");
    await expect(sem.acquireAsync({ timeout: 30 })).rejects.toThrow(TimeoutError);
    const controller = new AbortController();
    const pending = sem.acquireAsync({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow(AbortError);
    expect(() => sem.acquire()).toThrow(/main thread/);
  });

  it("a release from a worker wakes a main-thread waiter", async () => {
    const sem = new Semaphore(0, { max: 1 });
    const waiting = sem.acquireAsync({ timeout: 10_000 });
    await runWorkers(1, `args[0].release(); return null;`, [sem]);
    await expect(waiting).resolves.toBe(true);
  });
});

describe("Event", () => {
  it("set() wakes every waiting worker; wait() returns true", async () => {
    const go = new Event({ name: "go" });
    const ready = new Semaphore(0, { max: 8 });
    const group = startWorkers(4, `const [go, ready] = args; ready.release(); return go.wait({ timeout: 10000 });`, [go, ready]);
    for (let i = 0; i < 4; i++) await ready.acquireAsync();
    expect(go.isSet()).toBe(false);
    go.set();
    const outcomes = await group.outcomes;
    expect(outcomes).toEqual(Array(4).fill({ ok: true, value: true }));
  });

  it("wait returns false on timeout; clear lowers the flag; waitAsync sees a worker's set", async () => {
    const e = new Event();
    const [timedOut] = await runWorkers<boolean>(1, `return args[0].wait({ timeout: 40 });`, [e]);
    expect(timedOut).toBe(false);
    expect(await e.waitAsync({ timeout: 20 })).toBe(false);
    const waiting = e.waitAsync({ timeout: 10_000 });
    await runWorkers(1, `args[0].set(); return null;`, [e]);
    expect(await waiting).toBe(true);
    e.clear();
    expect(e.isSet()).toBe(false);
    const controller = new AbortController();
    const aborted = e.waitAsync({ signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow(AbortError);
    expect(() => e.wait()).toThrow(/event '.*'.wait\(\) blocks its thread/);
    expect(e.wait({ timeout: 0 })).toBe(false);
  });

  it("a shutdown event stops a pool of looping workers (the lesson's shutdown_event)", async () => {
    const stop = new Event();
    const counter = new Int32Array(new SharedArrayBuffer(12)); // one slot per worker
    const group = startWorkers(3, `const [stop, buf] = args; const c = new Int32Array(buf); let n = 0; while (!stop.isSet()) { Atomics.add(c, index, 1); n++; stop.wait({ timeout: 1 }); } return n;`, [stop, counter.buffer]);
    while (![0, 1, 2].every((i) => Atomics.load(counter, i) > 0)) await new Promise((r) => setTimeout(r, 5));
    stop.set();
    const outcomes = await group.outcomes;
    expect(outcomes.every((o) => o.ok && (o.value as number) > 0)).toBe(true);
  });
});
