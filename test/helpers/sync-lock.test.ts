import { describe, expect, it } from "vitest";
import { AbortError, HelperError, LockTimeoutError } from "../../kernel-helpers/errors";
import { Barrier } from "../../kernel-helpers/sync/barrier";
import { Lock } from "../../kernel-helpers/sync/mutex";
import { RLock } from "../../kernel-helpers/sync/rlock";
import { runWorkers, startWorkers } from "./sync-support";

const WORKERS = 4;
const RUN_MS = 300;

// The body every contending worker runs: wait at the start line, then read-modify-write a plain slot of shared
// memory inside `lock.withLock` for RUN_MS, counting its own increments. Time-bound rather than count-bound,
// so the workers overlap even when a loaded machine starts or schedules them late. The control passes null:
// the same loop with a lock replaced by a no-op, which must lose updates, or the test could not catch a
// broken lock.
const incrementBody = `
  const [given, barrier, buffer, ms] = args;
  const lock = given ?? { withLock: (fn) => fn() };
  const cell = new Int32Array(buffer);
  barrier.wait();
  const end = Date.now() + ms;
  let mine = 0;
  while (Date.now() < end) for (let i = 0; i < 1000; i++, mine++) lock.withLock(() => { cell[0] = cell[0] + 1; });
  return mine;`;

describe("Lock under contention", () => {
  it("loses no update: 4 workers read-modify-write for 300 ms each behind a start barrier", async () => {
    const lock = new Lock({ name: "counter" });
    const buffer = new SharedArrayBuffer(4);
    const counts = await runWorkers<number>(WORKERS, incrementBody, [lock, new Barrier(WORKERS), buffer, RUN_MS]);
    expect(new Int32Array(buffer)[0]).toBe(counts.reduce((a, b) => a + b, 0));
    expect(Math.min(...counts)).toBeGreaterThan(1000); // every worker took part
    expect(lock.locked()).toBe(false);
  });

  it("control: the same run with a no-op lock loses updates (so the test above can fail)", async () => {
    // Why longer retries: on a loaded machine the workers may share one core for a whole short run, and then
    // nothing races; a lost update in any attempt shows the race is real (and the locked test could fail).
    let lost = 0;
    for (const ms of [RUN_MS, 1000, 3000]) {
      const buffer = new SharedArrayBuffer(4);
      const counts = await runWorkers<number>(WORKERS, incrementBody, [null, new Barrier(WORKERS), buffer, ms]);
      lost = counts.reduce((a, b) => a + b, 0) - new Int32Array(buffer)[0]!;
      if (lost > 0) break;
    }
    expect(lost).toBeGreaterThan(0);
  });

  it("excludes the main thread's withLockAsync from the workers' critical sections", async () => {
    const lock = new Lock();
    const buffer = new SharedArrayBuffer(4);
    const cell = new Int32Array(buffer);
    const barrier = new Barrier(3);
    const workers = startWorkers(2, incrementBody, [lock, barrier, buffer, RUN_MS]);
    await barrier.waitAsync();
    for (let i = 0; i < 2000; i++) {
      // Why an await inside the critical section: a worker could slip in during it if exclusion failed.
      await lock.withLockAsync(async () => {
        const seen = cell[0]!;
        await Promise.resolve();
        cell[0] = seen + 1;
      });
    }
    const counts = (await workers.outcomes).map((o) => (o.ok ? (o.value as number) : NaN));
    expect(cell[0]).toBe(counts[0]! + counts[1]! + 2000);
  });
});

describe("Lock timeouts, errors and aborts", () => {
  it("acquireAsync times out with a LockTimeoutError naming the lock and the holder thread", async () => {
    const lock = new Lock({ name: "accounts" });
    const hold = startWorkers(1, `h.setCurrentThreadName("worker-A"); const [lock, release] = args; lock.acquire(); release.wait(); lock.release(); return 1;`, [lock, new (await import("../../kernel-helpers/sync/event")).Event()]);
    while (!lock.locked()) await new Promise((r) => setTimeout(r, 5));
    const error = await lock.acquireAsync({ timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).code).toBe("ERR_LOCK_TIMEOUT");
    expect((error as LockTimeoutError).lock).toBe("accounts");
    expect((error as LockTimeoutError).heldBy).toMatch(/^thread \d+ \('worker-A'\)$/);
    expect((error as Error).message).toMatch(/the main thread waited 100 ms for lock 'accounts', held by thread \d+ \('worker-A'\)/);
    await hold.terminate();
  });

  it("a worker's blocking acquire times out too, naming the other worker (the deadlock demo)", async () => {
    const a = new Lock({ name: "A" });
    const b = new Lock({ name: "B" });
    const barrier = new Barrier(2);
    // Each worker takes one lock, meets the other at the barrier, then wants the other's lock: a deadlock
    // that the timeout turns into an error naming who held what.
    const body = `
      const [first, second, barrier] = args;
      h.setCurrentThreadName(index === 0 ? "alice" : "bob");
      first.acquire();
      barrier.wait();
      try { second.acquire({ timeout: 300 }); second.release(); return "no deadlock"; }
      catch (e) { return { code: e.code, message: e.message }; }
      finally { barrier.wait(); first.release(); }`;
    const results = await runWorkers<{ code: string; message: string }>(2, body, (i: number) => (i === 0 ? [a, b, barrier] : [b, a, barrier]));
    expect(results[0]!.code).toBe("ERR_LOCK_TIMEOUT");
    expect(results[0]!.message).toMatch(/thread \d+ \('alice'\) waited 300 ms for lock 'B', held by thread \d+ \('bob'\)/);
    expect(results[1]!.message).toMatch(/thread \d+ \('bob'\) waited 300 ms for lock 'A', held by thread \d+ \('alice'\)/);
  });

  it("refuses to block the main thread, and says what to use instead", () => {
    const lock = new Lock({ name: "m" });
    lock.acquire();
    expect(() => lock.acquire()).toThrow(/lock 'm'.acquire\(\) blocks its thread, and this is the main thread.*await lock.acquireAsync\(\)/);
    expect(() => lock.acquire({ timeout: 0 })).toThrow(LockTimeoutError);
    lock.release();
    expect(lock.acquire({ timeout: 0 })).toBe(true);
    lock.release();
  });

  it("release of a free lock throws ERR_LOCK_NOT_HELD; bad timeouts are TypeErrors", async () => {
    const lock = new Lock({ name: "free" });
    expect(() => lock.release()).toThrow(expect.objectContaining({ code: "ERR_LOCK_NOT_HELD" }));
    expect(() => lock.acquire({ timeout: -1 })).toThrow("Expected `timeout` to be a number of milliseconds from 0 up, got `-1` (number)");
    await expect(lock.acquireAsync({ timeout: Number.NaN })).rejects.toThrow(TypeError);
  });

  it("an aborted acquireAsync passes its wake-up on: a worker queued behind it still gets the lock", async () => {
    const lock = new Lock({ name: "baton" });
    const { Event } = await import("../../kernel-helpers/sync/event");
    const release = new Event();
    const holder = startWorkers(1, `const [lock, release] = args; lock.acquire(); release.wait(); lock.release(); return 1;`, [lock, release]);
    while (!lock.locked()) await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const mainWait = lock.acquireAsync({ signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50)); // the main thread's waitAsync is now first in the waiter list
    const waiter = startWorkers(1, `const [lock] = args; lock.acquire({ timeout: 10000 }); lock.release(); return "got it";`, [lock]);
    await new Promise((r) => setTimeout(r, 300)); // the worker is asleep behind it
    controller.abort();
    expect(await mainWait).toBeInstanceOf(AbortError);
    release.set();
    // Without the hand-off, notify(1) would wake only the abandoned main-thread waiter and the worker would
    // sleep until its 10 s timeout.
    const started = performance.now();
    const [outcome] = await waiter.outcomes;
    expect(outcome).toEqual({ ok: true, value: "got it" });
    expect(performance.now() - started).toBeLessThan(5000);
    await holder.outcomes;
  });
});

describe("RLock", () => {
  it("is re-entrant for its holder and exclusive across workers", async () => {
    const rlock = new RLock({ name: "tree" });
    const buffer = new SharedArrayBuffer(4);
    const body = `
      const [rlock, barrier, buffer] = args;
      const cell = new Int32Array(buffer);
      barrier.wait();
      for (let i = 0; i < 20000; i++) rlock.withLock(() => rlock.withLock(() => { cell[0] = cell[0] + 1; }));
      return null;`;
    await runWorkers(3, body, [rlock, new Barrier(3), buffer]);
    expect(new Int32Array(buffer)[0]).toBe(60000);
    expect(rlock.locked()).toBe(false);
  });

  it("counts levels and refuses a release by a thread that does not hold it", async () => {
    const rlock = new RLock({ name: "levels" });
    await rlock.acquireAsync();
    await rlock.acquireAsync();
    rlock.release();
    expect(rlock.locked()).toBe(true);
    const [result] = await runWorkers<string>(1, `try { args[0].release(); return "released"; } catch (e) { return e.code; }`, [rlock]);
    expect(result).toBe("ERR_LOCK_NOT_HELD");
    rlock.release();
    expect(rlock.locked()).toBe(false);
    expect(() => rlock.release()).toThrow(HelperError);
  });
});
