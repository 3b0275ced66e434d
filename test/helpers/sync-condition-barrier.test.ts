import { describe, expect, it } from "vitest";
import { BrokenBarrierError, HelperError } from "../../kernel-helpers/errors";
import { Barrier } from "../../kernel-helpers/sync/barrier";
import { Condition } from "../../kernel-helpers/sync/condition";
import { RLock } from "../../kernel-helpers/sync/rlock";
import { runWorkers, startWorkers } from "./sync-support";

describe("Condition", () => {
  // This test caught a token-count Condition where a thread arriving after notifyAll() took a wake-up meant
  // for an earlier waiter, which then slept forever (all four threads asleep with the buffer empty).
  it("bounded buffer: 2 producers and 2 consumers move 40,000 items with no loss, no duplicate, no deadlock", async () => {
    const cond = new Condition(undefined, { name: "buffer" });
    const CAP = 4;
    // shared: [count, head, tail, ...slots]; seen: one cell per item, set by the consumer that took it
    const shared = new SharedArrayBuffer(4 * (3 + CAP));
    const seen = new SharedArrayBuffer(40_000);
    const body = `
      const [cond, shared, seen, barrier, CAP] = args;
      const s = new Int32Array(shared); const taken = new Uint8Array(seen);
      barrier.wait();
      if (index < 2) {
        for (let i = 0; i < 20000; i++) {
          const item = index * 20000 + i;
          cond.withLock(() => {
            cond.waitFor(() => s[0] < CAP);
            s[3 + s[2]] = item; s[2] = (s[2] + 1) % CAP; s[0]++;
            cond.notifyAll();
          });
        }
        return 0;
      }
      let got = 0;
      for (let i = 0; i < 20000; i++) {
        cond.withLock(() => {
          cond.waitFor(() => s[0] > 0);
          const item = s[3 + s[1]]; s[1] = (s[1] + 1) % CAP; s[0]--;
          taken[item]++; got++;
          cond.notifyAll();
        });
      }
      return got;`;
    const results = await runWorkers<number>(4, body, [cond, shared, seen, new Barrier(4), CAP]);
    expect(results).toEqual([0, 0, 20000, 20000]);
    const taken = new Uint8Array(seen);
    expect(taken.every((t) => t === 1)).toBe(true);
  });

  it("notify() wakes exactly one waiter and notifyAll() the rest", async () => {
    const cond = new Condition();
    const woken = new Int32Array(new SharedArrayBuffer(8)); // [woken, waiting]
    const group = startWorkers(
      3,
      `const [cond, buf] = args; const w = new Int32Array(buf);
       cond.withLock(() => { Atomics.add(w, 1, 1); const ok = cond.wait({ timeout: 20000 }); Atomics.add(w, 0, 1); if (!ok) throw new Error("timed out"); });
       return null;`,
      [cond, woken.buffer],
    );
    while (Atomics.load(woken, 1) < 3) await new Promise((r) => setTimeout(r, 5));
    await cond.withLockAsync(() => cond.notify());
    while (Atomics.load(woken, 0) < 1) await new Promise((r) => setTimeout(r, 5));
    // Give a wrongly woken second waiter ample time to show up: count, not wall time, is asserted.
    await new Promise((r) => setTimeout(r, 150));
    expect(Atomics.load(woken, 0)).toBe(1);
    await cond.withLockAsync(() => cond.notifyAll());
    await group.outcomes;
    expect(Atomics.load(woken, 0)).toBe(3);
  });

  it("wait times out returning false with the lock re-acquired; a later notify is not spent on the leaver", async () => {
    const cond = new Condition();
    const [result] = await runWorkers<[boolean, boolean]>(1, `const [c] = args; return c.withLock(() => { const r = c.wait({ timeout: 30 }); return [r, c.lock.isOwned()]; });`, [cond]);
    expect(result).toEqual([false, true]);
    // The timed-out waiter withdrew from the list: a later notify is not spent on it.
    expect(cond.waiting).toBe(0);
  });

  it("needs its lock held, works over an RLock held twice, and waitForAsync runs on the main thread", async () => {
    const cond = new Condition(new RLock());
    expect(() => cond.notify()).toThrow(HelperError);
    expect(() => cond.wait({ timeout: 0 })).toThrow(/condition '.*'.wait\(\) blocks its thread, and this is the main thread/);
    expect(() => new Condition({} as never)).toThrow("Expected `lock` to be a Lock or an RLock, got object");
    await cond.acquireAsync();
    await cond.acquireAsync();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const setter = startWorkers(1, `const [c, buf] = args; const f = new Int32Array(buf); c.withLock(() => { f[0] = 1; c.notifyAll(); }); return null;`, [cond, flag.buffer]);
    expect(await cond.waitForAsync(() => flag[0] === 1, { timeout: 10_000 })).toBe(true);
    cond.release();
    expect(cond.lock.isOwned()).toBe(true); // still held once: the RLock's level was restored
    cond.release();
    await setter.outcomes;
  });
});

describe("Barrier", () => {
  it("4 workers x 2,000 rounds: nobody leaves a round before all have arrived", async () => {
    const barrier = new Barrier(4, { name: "rounds" });
    const arrivals = new Int32Array(new SharedArrayBuffer(4));
    const body = `
      const [barrier, buf] = args; const a = new Int32Array(buf);
      const indices = new Set();
      for (let round = 1; round <= 2000; round++) {
        Atomics.add(a, 0, 1);
        indices.add(barrier.wait());
        if (Atomics.load(a, 0) < round * 4) throw new Error("left round " + round + " early: " + Atomics.load(a, 0));
        barrier.wait(); // keep rounds apart: nobody re-enters before everyone checked
      }
      return [...indices].sort();`;
    const results = await runWorkers<number[]>(4, body, [barrier, arrivals.buffer]);
    expect(Atomics.load(arrivals, 0)).toBe(8000);
    // Arrival indices 0..3 all occur across the run.
    expect(new Set(results.flat())).toEqual(new Set([0, 1, 2, 3]));
  });

  it("a timeout breaks the barrier for every waiter (BrokenBarrierError), then reset() makes it usable", async () => {
    const barrier = new Barrier(3, { name: "start" });
    // Worker 0 starts its 100 ms wait only once worker 1 is inside wait(), however slowly the workers start.
    const body = `const [b] = args;
      if (index === 0) while (b.nWaiting < 1) h.setCurrentThreadName("w0");
      try { b.wait({ timeout: index === 0 ? 100 : 20000 }); return "passed"; } catch (e) { return e.code + ": " + e.message; }`;
    const results = await runWorkers<string>(2, body, [barrier]);
    expect(results[0]).toBe("ERR_BROKEN_BARRIER: barrier 'start' is broken: a wait timed out after 100 ms");
    expect(results[1]).toMatch(/^ERR_BROKEN_BARRIER: barrier 'start' is broken: another party/);
    expect(barrier.broken).toBe(true);
    await expect(barrier.waitAsync()).rejects.toThrow(BrokenBarrierError);
    barrier.reset();
    expect(barrier.broken).toBe(false);
    const again = startWorkers(2, `return args[0].wait({ timeout: 20000 });`, [barrier]);
    const mine = await barrier.waitAsync({ timeout: 20_000 });
    const theirs = (await again.outcomes).map((o) => (o.ok ? o.value : o.error.message));
    expect([mine, ...theirs].sort()).toEqual([0, 1, 2]);
  });

  it("abort() and an aborted waitAsync break it; reset() refuses while threads are inside", async () => {
    const barrier = new Barrier(2);
    const controller = new AbortController();
    const waiting = barrier.waitAsync({ signal: controller.signal });
    expect(barrier.nWaiting).toBe(1);
    expect(() => barrier.reset()).toThrow(expect.objectContaining({ code: "ERR_BARRIER_BUSY" }));
    controller.abort();
    await expect(waiting).rejects.toThrow("a wait was aborted");
    barrier.reset();
    const group = startWorkers(1, `try { args[0].wait(); return "passed"; } catch (e) { return e.name; }`, [barrier]);
    while (barrier.nWaiting < 1) await new Promise((r) => setTimeout(r, 5));
    barrier.abort();
    expect((await group.outcomes)[0]).toEqual({ ok: true, value: "BrokenBarrierError" });
    expect(() => new Barrier(0)).toThrow("Expected `parties` to be an integer from 1 up, got `0` (number)");
  });
});
