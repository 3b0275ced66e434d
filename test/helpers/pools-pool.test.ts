import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AbortError,
  HelperError,
  Lock,
  ProcessPool,
  RemoteError,
  ThreadPool,
  Timeline,
  currentThread,
  currentProcess,
} from "../../kernel-helpers/index.ts";
import { liveChildren } from "../../kernel-helpers/process/children.ts";

type AnyPool = ThreadPool | ProcessPool;

const fixture = (name: string) => join(import.meta.dirname, "..", "fixtures", "helpers", name);

/** Open handles of the kinds a pool creates (worker ports, child processes), by kind. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = { MessagePort: 0, ProcessWrap: 0 };
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]!++;
  return counts;
}

const backends: [string, (size: number) => AnyPool][] = [
  ["ThreadPool", (size) => new ThreadPool({ size })],
  ["ProcessPool", (size) => new ProcessPool({ size })],
];

function busy(ms: number): number {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
}

describe.each(backends)("%s", (kind, make) => {
  it("submit runs a cell-style function with arguments; map keeps input order with any chunk size", async () => {
    const pool = make(2);
    try {
      const square = (x: number) => x * x;
      expect(await pool.submit(square, 7)).toBe(49);
      expect(await pool.submit(async (a: number, b: string) => `${b}${a}`, 1, "x")).toBe("x1");
      const items = Array.from({ length: 37 }, (_, i) => i);
      const want = items.map((i) => i * i);
      expect(await pool.map(square, items)).toEqual(want);
      expect(await pool.map(square, items, { chunkSize: 1 })).toEqual(want);
      expect(await pool.map(square, items, { chunkSize: 10 })).toEqual(want);
      expect(await pool.map(square, [])).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it("a one-argument call gets its own function and its argument as sent, whatever the argument (ThreadPool sends it bare)", async () => {
    const pool = make(2);
    try {
      const describe = (x: unknown) => (x === undefined ? "undefined" : JSON.stringify(x));
      const twice = (x: unknown) => [x, x];
      const args: unknown[] = [undefined, null, 0, "s", [1, [2]], { a: { b: [3] } }, [], {}];
      // Interleaved, several in flight at once on both threads: each task must run its own function.
      const results = await Promise.all(args.flatMap((x) => [pool.submit(describe, x), pool.submit(twice, x)]));
      expect(results).toEqual(args.flatMap((x) => [x === undefined ? "undefined" : JSON.stringify(x), [x, x]]));
      await expect(pool.submit((x: number) => { throw new RangeError(`bad ${x}`); }, 3)).rejects.toThrow("bad 3");
    } finally {
      await pool.close();
    }
  });

  it("runs tasks on all its workers at once (counted by distinct workers busy together)", async () => {
    const pool = make(2);
    try {
      // Each task spins 300 ms and reports who ran it: with two workers, two tasks run at the same time on
      // different workers; their spans overlap.
      const spans = await Promise.all(
        [1, 2, 3, 4].map(() =>
          pool.submit(() => {
            const start = Date.now();
            const endAt = start + 300;
            while (Date.now() < endAt) {
              // spin
            }
            return { start, end: Date.now(), who: `${currentThread().threadId}/${currentProcess().pid}` };
          }),
        ),
      );
      expect(new Set(spans.map((s) => s.who)).size).toBe(2);
      let overlaps = 0;
      for (const a of spans)
        for (const b of spans) if (a !== b && a.who !== b.who && a.start < b.end && b.start < a.end) overlaps++;
      expect(overlaps).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it("survives a throwing task, a process.exit() and a crash in a timer, and serves on", async () => {
    const pool = make(2);
    try {
      const thrown = await pool
        .submit(function failing() {
          throw new SyntaxError("bad task");
        })
        .catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(RemoteError);
      expect((thrown as RemoteError).message).toBe("bad task");
      expect((thrown as RemoteError).stack).toContain("at failing");
      await expect(pool.submit(() => process.exit(4))).rejects.toMatchObject({ code: "ERR_WORKER_DIED" });
      await expect(
        pool.submit(() => {
          setTimeout(() => {
            throw new Error("late crash");
          }, 1);
          return new Promise(() => undefined);
        }),
      ).rejects.toMatchObject({ code: "ERR_WORKER_DIED" });
      expect(await pool.map((x: number) => x + 1, [1, 2, 3, 4, 5, 6])).toEqual([2, 3, 4, 5, 6, 7]);
      const stats = pool.stats();
      expect(stats.failed).toBeGreaterThanOrEqual(3);
      expect(stats.size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it("cancels a running task and a queued one through their AbortSignals", async () => {
    const pool = make(1);
    try {
      const running = new AbortController();
      const queued = new AbortController();
      const a = pool.run(
        () => {
          for (;;) {
            /* busy until stopped */
          }
        },
        [],
        { signal: running.signal },
      );
      const b = pool.run((x: number) => x, [1], { signal: queued.signal });
      queued.abort();
      await expect(b).rejects.toBeInstanceOf(AbortError);
      setTimeout(() => running.abort(), 100);
      await expect(a).rejects.toBeInstanceOf(AbortError);
      expect(await pool.submit((x: number) => x * 3, 5)).toBe(15);
    } finally {
      await pool.close();
    }
  });

  it("map: the first failure rejects the map", async () => {
    const pool = make(2);
    try {
      await expect(
        pool.map(
          (x: number) => {
            if (x === 3) throw new RangeError("three");
            return x;
          },
          [1, 2, 3, 4],
          { chunkSize: 1 },
        ),
      ).rejects.toMatchObject({ message: "three" });
    } finally {
      await pool.close();
    }
  });

  it("close() waits for queued and running tasks, then nothing of the pool runs; later submits are refused", async () => {
    const before = handles();
    const pool = make(2);
    const results = [1, 2, 3, 4, 5].map((i) =>
      pool.submit(
        (ms: number, v: number) => {
          const end = Date.now() + ms;
          while (Date.now() < end);
          return v;
        },
        50,
        i,
      ),
    );
    await pool.close();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4, 5]);
    expect(pool.stats().workers).toBe(0);
    const late = pool.submit((x: number) => x, 1); // a promise that rejects, never a synchronous throw
    await expect(late).rejects.toMatchObject({ code: "ERR_POOL_CLOSED" });
    if (kind === "ProcessPool") expect(liveChildren()).toBe(0);
    // No open handle of the pool is left: no worker's MessagePort, no child process.
    // (At most as many as before: an earlier test's thread may still have been tearing down then.)
    const after = handles();
    expect(after.MessagePort).toBeLessThanOrEqual(before.MessagePort!);
    expect(after.ProcessWrap).toBeLessThanOrEqual(before.ProcessWrap!);
  });

  it("two overlapping close() calls both resolve once the tasks are done (the first was left pending)", async () => {
    const pool = make(1);
    const task = pool.submit((ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end);
      return "done";
    }, 300);
    await new Promise((r) => setTimeout(r, 50));
    const first = pool.close().then(() => "first");
    const second = pool.close().then(() => "second");
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("a close() never resolved"), 15_000);
    });
    try {
      expect(await Promise.race([Promise.all([first, second]), stuck])).toEqual(["first", "second"]);
    } finally {
      clearTimeout(timer);
    }
    expect(await task).toBe("done");
    expect(pool.stats().workers).toBe(0);
  });

  it("close({ force: true }) cancels what is queued and running", async () => {
    const pool = make(1);
    const a = pool.submit(() => {
      for (;;) {
        /* busy */
      }
    });
    const b = pool.submit((x: number) => x, 2);
    await new Promise((r) => setTimeout(r, 100));
    await pool.close({ force: true });
    await expect(a).rejects.toBeInstanceOf(AbortError);
    await expect(b).rejects.toBeInstanceOf(AbortError);
    expect(pool.stats().workers).toBe(0);
  });

  it("explains closures and records tasks on a timeline, one lane per worker", async () => {
    const pool = make(2);
    try {
      const offset = 1;
      await expect(pool.submit((x: number) => x + offset, 1)).rejects.toMatchObject({ code: "ERR_CLOSURE" });
      const timeline = new Timeline();
      await timeline.record(() =>
        pool.map(
          (ms: number) => {
            const end = Date.now() + ms;
            while (Date.now() < end);
            return ms;
          },
          [60, 60, 60, 60],
          { chunkSize: 1 },
        ),
      );
      const events = timeline.events();
      expect(events).toHaveLength(4);
      expect(new Set(events.map((e) => e.lane)).size).toBe(2);
      for (const e of events) expect(e.endMs - e.startMs).toBeGreaterThanOrEqual(55);
      expect(timeline.svg()).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg".*<\/svg>$/s);
    } finally {
      await pool.close();
    }
  });

  it("delivers a task's console output before its promise resolves", async () => {
    const pool = make(1);
    const captured: string[] = [];
    const original = process.stdout.write;
    // As tslab does: replace write; the task's lines must have come through it when the promise resolves.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let atResolve = "";
    try {
      await pool.submit((n: number) => {
        for (let i = 0; i < n; i++) console.log(`task line ${i} ${"y".repeat(500)}`);
        return n;
      }, 100);
      atResolve = captured.join("");
    } finally {
      process.stdout.write = original;
      await pool.close();
    }
    expect(atResolve.match(/^task line \d+/gm)).toHaveLength(100);
  });

  it("runs a TypeScript module export as a task", async () => {
    const pool = make(1);
    try {
      const crunch = { module: fixture("work.ts"), export: "crunch" };
      expect(await pool.submit(crunch, 100)).toBe(4950);
      expect(await pool.map(crunch, [10, 20])).toEqual([45, 190]);
    } finally {
      await pool.close();
    }
  });

  it("validates its options", () => {
    const Pool = kind === "ThreadPool" ? ThreadPool : ProcessPool;
    expect(() => new Pool({ size: 0 })).toThrow("Expected `size` to be an integer from 1 up, got `0` (number)");
    expect(() => new Pool({ size: 1.5 })).toThrow("Expected `size` to be an integer from 1 up, got `1.5` (number)");
  });

  it("rejects a bad chunkSize and a bad target with clear messages", async () => {
    const pool = make(1);
    try {
      await expect(pool.map((x: number) => x, [1], { chunkSize: 0 })).rejects.toThrow(
        "Expected `chunkSize` to be an integer from 1 up, got `0` (number)",
      );
      await expect(pool.submit(42 as never)).rejects.toThrow(
        "Expected `fn` to be a function or { module, export? }, got `42` (number)",
      );
      await expect(pool.submit(Math.sqrt as never, 4)).rejects.toBeInstanceOf(HelperError);
    } finally {
      await pool.close();
    }
  });
});

describe("ThreadPool only", () => {
  it("passes a Lock and a Timeline to tasks: no lost update under contention, spans recorded from the pool threads", async () => {
    const pool = new ThreadPool({ size: 2 });
    const lock = new Lock({ name: "pool-counter" });
    const memory = new SharedArrayBuffer(8);
    const timeline = new Timeline();
    try {
      await Promise.all(
        [0, 1, 2, 3].map(() =>
          pool.submit(
            (shared: { lock: Lock; memory: SharedArrayBuffer; timeline: Timeline }, times: number) => {
              const cells = new Int32Array(shared.memory);
              shared.timeline.span("increments", () => {
                for (let k = 0; k < times; k++) {
                  shared.lock.acquire();
                  const v = cells[0]!;
                  cells[0] = v + 1;
                  shared.lock.release();
                }
              });
            },
            { lock, memory, timeline },
            50_000,
          ),
        ),
      );
    } finally {
      await pool.close();
    }
    expect(new Int32Array(memory)[0]).toBe(200_000);
    const spans = timeline.events();
    expect(spans).toHaveLength(4);
    for (const e of spans) expect(e.lane).toMatch(/^ThreadPool-\d+-worker-[12]$/);
  });

  it("stats report piscina's counters", async () => {
    const pool = new ThreadPool({ size: 2 });
    try {
      await pool.map((x: number) => busy.length + x, [1, 2, 3], { chunkSize: 1 }).catch(() => undefined);
      await pool.map((x: number) => x, [1, 2, 3], { chunkSize: 1 });
      const s = pool.stats();
      expect(s.completed).toBeGreaterThanOrEqual(3);
      expect(s.workers).toBe(2);
      expect(s.running).toBe(0);
      expect(s.queued).toBe(0);
      expect(s.runTimeMs.mean).toBeGreaterThanOrEqual(0);
    } finally {
      await pool.close();
    }
  });
});
