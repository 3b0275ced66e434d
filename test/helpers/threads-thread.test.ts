import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  HelperError,
  Lock,
  RemoteError,
  Thread,
  TimeoutError,
  currentThread,
  runInThread,
  sleepSync,
} from "../../kernel-helpers/index.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "helpers");

function sum(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += i;
  return total;
}

describe("Thread", () => {
  it("runs a target with its arguments and resolves join() with its return value", async () => {
    const t = new Thread({ target: sum, args: [1000], name: "Summer" });
    expect(t.isAlive()).toBe(false);
    expect(t.threadId).toBeUndefined();
    t.start();
    expect(t.isAlive()).toBe(true);
    expect(t.threadId).toBeGreaterThan(0);
    expect(await t.join()).toBe(499500);
    expect(t.isAlive()).toBe(false);
  });

  it("awaits an async target and names threads Thread-N by default", async () => {
    const t = new Thread({
      target: async (ms: number) => new Promise((r) => setTimeout(() => r(ms * 2), ms)),
      args: [10],
    });
    expect(t.name).toMatch(/^Thread-\d+$/);
    expect(await t.start().join()).toBe(20);
  });

  it("gives the target currentThread(), sleepSync() and require()", async () => {
    const info = await new Thread({
      target: () => {
        sleepSync(5);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a target requires what it needs
        const os = require("node:os") as typeof import("node:os");
        return { ...currentThread(), cores: os.availableParallelism() };
      },
      name: "Worker-A",
    })
      .start()
      .join();
    expect(info.name).toBe("Worker-A");
    expect(info.isMain).toBe(false);
    expect(info.threadId).toBeGreaterThan(0);
    expect(info.cores).toBeGreaterThan(0);
    expect(currentThread()).toEqual({ name: "MainThread", threadId: 0, isMain: true });
  });

  it("runs threads truly in parallel: every thread sees all the others running at once", async () => {
    // Each thread announces itself in shared memory, then waits (up to 10 s) until all have: with the threads
    // run one after another (a GIL, or no threads at all) nobody would ever see all four.
    const buffer = new SharedArrayBuffer(4);
    const n = 4;
    const seen = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        new Thread({
          target: (buf: SharedArrayBuffer, total: number) => {
            const cell = new Int32Array(buf);
            Atomics.add(cell, 0, 1);
            const deadline = Date.now() + 10_000;
            while (Atomics.load(cell, 0) < total && Date.now() < deadline)
              Atomics.wait(cell, 0, Atomics.load(cell, 0), 5);
            Atomics.notify(cell, 0);
            return Atomics.load(cell, 0);
          },
          args: [buffer, n],
          name: `racer-${i}`,
        })
          .start()
          .join(),
      ),
    );
    expect(seen).toEqual([n, n, n, n]);
  });

  it("passes a Lock so it is the same lock in every thread: no lost update under contention", async () => {
    const lock = new Lock({ name: "counter" });
    const memory = new SharedArrayBuffer(8);
    const threads = 4;
    const each = 20_000;
    await Promise.all(
      Array.from({ length: threads }, (_, i) =>
        new Thread({
          target: (shared: { lock: Lock; memory: SharedArrayBuffer }, parties: number, times: number) => {
            const cells = new Int32Array(shared.memory);
            // start barrier: all threads increment together, so the lock is really contended
            Atomics.add(cells, 1, 1);
            while (Atomics.load(cells, 1) < parties) Atomics.wait(cells, 1, Atomics.load(cells, 1), 2);
            Atomics.notify(cells, 1);
            for (let k = 0; k < times; k++) {
              shared.lock.acquire();
              const v = cells[0]!;
              cells[0] = v + 1; // a read-modify-write that loses updates without the lock
              shared.lock.release();
            }
          },
          args: [{ lock, memory }, threads, each],
          name: `incrementer-${i}`,
        })
          .start()
          .join(),
      ),
    );
    expect(new Int32Array(memory)[0]).toBe(threads * each);
  });

  it("rejects join() with the target's error: message, class, code and the remote stack", async () => {
    const error = await runInThread(function failing(n: number) {
      if (n > 0) {
        const e = new RangeError(`n too big: ${n}`) as RangeError & { code: string };
        e.code = "E_TOO_BIG";
        throw e;
      }
    }, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    const remote = error as RemoteError;
    expect(remote.message).toBe("n too big: 3");
    expect(remote.remoteName).toBe("RangeError");
    expect(remote.code).toBe("E_TOO_BIG");
    expect(remote.stack).toContain("at failing");
    expect(remote.stack).toMatch(/--- thrown in thread 'Thread-\d+'$/);
    expect(remote.stack).not.toContain("thread-runtime.cjs");
  });

  it("keeps each thread's error with its own thread when many fail at the same moment", async () => {
    const n = 6;
    const gate = new SharedArrayBuffer(4);
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        new Thread({
          target: (buf: SharedArrayBuffer, parties: number, me: number) => {
            const cell = new Int32Array(buf);
            Atomics.add(cell, 0, 1);
            const deadline = Date.now() + 10_000;
            while (Atomics.load(cell, 0) < parties && Date.now() < deadline)
              Atomics.wait(cell, 0, Atomics.load(cell, 0), 2);
            Atomics.notify(cell, 0);
            throw new Error(`failure of thread ${me}`);
          },
          args: [gate, n, i],
          name: `failing-${i}`,
        })
          .start()
          .join(),
      ),
    );
    outcomes.forEach((o, i) => {
      expect(o.status).toBe("rejected");
      const e = (o as PromiseRejectedResult).reason as RemoteError;
      expect(e.message).toBe(`failure of thread ${i}`);
      expect(e.where).toBe(`thread 'failing-${i}'`);
    });
  });

  it("explains a closure: the outer variable is named, with what to do", async () => {
    const limit = 10;
    const error = await runInThread(function usesOuter(x: number) {
      return x + limit;
    }, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelperError);
    expect((error as HelperError).code).toBe("ERR_CLOSURE");
    expect((error as Error).message).toContain("target `usesOuter` uses `limit` from outside its body");
    expect((error as Error).message).toContain("pass it as an argument");
    expect((error as Error).cause).toBeInstanceOf(RemoteError);
  });

  it("reports a thread that exits before returning, and values that cannot be copied", async () => {
    await expect(runInThread(() => process.exit(3))).rejects.toMatchObject({
      code: "ERR_THREAD_EXIT",
      message: expect.stringContaining("exited with code 3"),
    });
    await expect(runInThread(() => () => 1)).rejects.toMatchObject({ code: "ERR_NOT_CLONEABLE" });
    expect(() => new Thread({ target: (f: unknown) => f, args: [() => 1] }).start()).toThrow(/argument 0 \(a function/);
  });

  it("reports an exception thrown after the target returned (in a timer) as the thread's error", async () => {
    const error = await runInThread(async () => {
      setTimeout(() => {
        throw new TypeError("from a timer");
      }, 1);
      await new Promise(() => undefined); // never settles: only the timer's exception ends the thread
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).message).toBe("from a timer");
    expect((error as RemoteError).remoteName).toBe("TypeError");
  });

  it("times out a join without stopping the thread, then terminates it", async () => {
    const t = new Thread({ target: () => new Promise(() => setInterval(() => undefined, 1000)) }).start();
    const error = await t.join({ timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe("ERR_JOIN_TIMEOUT");
    expect(t.isAlive()).toBe(true);
    await t.terminate();
    expect(t.isAlive()).toBe(false);
    await expect(t.join()).rejects.toBeInstanceOf(AbortError);
  });

  it("stops a busy thread when its signal aborts", async () => {
    const controller = new AbortController();
    const t = new Thread({
      target: () => {
        for (;;) {
          // busy: only terminating the worker stops this
        }
      },
      signal: controller.signal,
    }).start();
    setTimeout(() => controller.abort(), 50);
    await expect(t.join()).rejects.toMatchObject({ code: "ABORT_ERR" });
    expect(t.isAlive()).toBe(false);
  });

  it("refuses a second start and a join before start", async () => {
    const t = new Thread({ target: () => 1 });
    await expect(t.join()).rejects.toMatchObject({ code: "ERR_THREAD_NOT_STARTED" });
    t.start();
    expect(() => t.start()).toThrow(expect.objectContaining({ code: "ERR_THREAD_STARTED" }));
    await t.join();
  });

  it("runs module targets: a TypeScript export, a default export, a CommonJS module", async () => {
    expect(
      await new Thread({ target: { module: join(fixtures, "work.ts"), export: "crunch" }, args: [100] }).start().join(),
    ).toBe(4950);
    expect(await new Thread({ target: { module: join(fixtures, "work.ts") }, args: ["you"] }).start().join()).toBe(
      "hello you",
    );
    expect(await new Thread({ target: { module: join(fixtures, "work.cjs") }, args: [5] }).start().join()).toBe(15);
    await expect(
      new Thread({ target: { module: join(fixtures, "work.ts"), export: "notAFunction" } }).start().join(),
    ).rejects.toThrow(/has no function export 'notAFunction' \(its exports: .*crunch/);
  });

  it("prints the error of a thread nobody joined yet (never silent), as Python prints 'Exception in thread'", async () => {
    const captured: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let t: Thread;
    try {
      t = new Thread({
        target: () => {
          throw new Error("nobody listens");
        },
        name: "lonely",
      }).start();
      while (t.isAlive()) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.stderr.write = original;
    }
    expect(captured.join("")).toMatch(/^Exception in thread 'lonely' \(not joined yet\):\nError: nobody listens\n/);
    await expect(t.join()).rejects.toThrow("nobody listens");
  });

  it("delivers everything the thread printed before join() resolves", async () => {
    const captured: string[] = [];
    const original = process.stdout.write;
    // As tslab does: replace write, and see that the thread's lines arrive through it before join resolves.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let atJoin: string;
    try {
      await runInThread((n: number) => {
        for (let i = 0; i < n; i++) console.log(`line ${i} ${"x".repeat(1000)}`);
      }, 200);
      atJoin = captured.join("");
    } finally {
      process.stdout.write = original;
    }
    expect(atJoin.match(/^line \d+/gm)).toHaveLength(200);
    expect(atJoin).toContain("line 199 ");
  });
});
