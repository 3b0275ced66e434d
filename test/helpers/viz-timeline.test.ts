import { describe, expect, it } from "vitest";
import { LagMeter, Thread, ThreadPool, Timeline, measureLag, sleep, timeit } from "../../kernel-helpers/index.ts";

function spin(ms: number): void {
  // performance.now(), not Date.now(): a whole-millisecond clock can end a 2 ms spin after 1.001 ms.
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

describe("Timeline", () => {
  it("records spans and marks from the main thread, in ms since creation, in order", async () => {
    const timeline = new Timeline({ title: "main only" });
    timeline.span("sync work", () => spin(20));
    await timeline.span("async work", () => sleep(20));
    timeline.mark("done");
    expect(() =>
      timeline.span("fails", () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    const events = timeline.events();
    expect(events.map((e) => [e.lane, e.label, e.mark, e.failed])).toEqual([
      ["MainThread", "sync work", false, false],
      ["MainThread", "async work", false, false],
      ["MainThread", "done", true, false],
      ["MainThread", "fails", false, true],
    ]);
    expect(events[0]!.endMs - events[0]!.startMs).toBeGreaterThanOrEqual(19);
    expect(events[1]!.startMs).toBeGreaterThanOrEqual(events[0]!.endMs);
  });

  it("records from inside threads when passed as an argument: one lane per thread, on the same clock", async () => {
    const timeline = new Timeline();
    const before = timeline.span("before", () => spin(5));
    expect(before).toBeUndefined();
    await Promise.all(
      ["A", "B"].map((name) =>
        new Thread({
          target: (tl: Timeline) => {
            tl.span("compute", () => {
              const end = Date.now() + 40;
              while (Date.now() < end);
            });
            tl.mark("finished");
          },
          args: [timeline],
          name: `worker-${name}`,
          timeline: new Timeline(), // the thread's own run is recorded elsewhere: only the spans above land here
        })
          .start()
          .join(),
      ),
    );
    const events = timeline.events();
    const lanes = new Set(events.map((e) => e.lane));
    expect(lanes).toEqual(new Set(["MainThread", "worker-A", "worker-B"]));
    const computes = events.filter((e) => e.label === "compute");
    expect(computes).toHaveLength(2);
    for (const c of computes) {
      expect(c.endMs - c.startMs).toBeGreaterThanOrEqual(39);
      expect(c.startMs).toBeGreaterThanOrEqual(events[0]!.endMs);
    }
  });

  it("record() captures every thread and pool task started inside it, and nothing after", async () => {
    const timeline = new Timeline();
    const pool = new ThreadPool({ size: 2 });
    try {
      await timeline.record(async () => {
        await new Thread({ target: () => 1, name: "solo" }).start().join();
        await pool.map((x: number) => x, [1, 2, 3, 4], { chunkSize: 2 });
      });
      await pool.submit((x: number) => x, 5); // outside record(): not recorded
    } finally {
      await pool.close();
    }
    const events = timeline.events();
    expect(events).toHaveLength(3);
    expect(events.find((e) => e.lane === "solo")).toBeDefined();
    expect(events.filter((e) => /^ThreadPool-\d+-worker-\d$/.test(e.lane)).map((e) => e.label)).toEqual([
      "anonymous ×2",
      "anonymous ×2",
    ]);
  });

  it("draws standalone SVG: a lane label per lane, a bar per span with a tooltip, escaped text", () => {
    const timeline = new Timeline({ title: "a <b> & c" });
    timeline.addSpan(
      "lane <1>",
      "task & co",
      performance.timeOrigin + performance.now(),
      performance.timeOrigin + performance.now() + 50,
    );
    timeline.addSpan(
      "lane 2",
      "other",
      performance.timeOrigin + performance.now() + 10,
      performance.timeOrigin + performance.now() + 30,
      true,
    );
    const svg = timeline.svg({ width: 500 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="500"/);
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg).toContain(">lane &lt;1&gt;</text>");
    expect(svg.match(/<rect [^>]*rx="3"/g)).toHaveLength(2);
    expect(svg).toMatch(/<title>lane 2: other, [\d.]+-[\d.]+ ms \([\d.]+ ms\), failed<\/title>/);
    expect(svg).not.toMatch(/<script/i);
    expect(new Timeline().svg()).toContain("nothing recorded");
  });

  it("drops and counts events beyond its capacity", () => {
    const timeline = new Timeline({ capacity: 3 });
    for (let i = 0; i < 5; i++) timeline.mark(`m${i}`);
    expect(timeline.events().map((e) => e.label)).toEqual(["m0", "m1", "m2"]);
    expect(timeline.dropped).toBe(2);
    timeline.clear();
    expect(timeline.events()).toEqual([]);
    expect(() => new Timeline({ capacity: 0 })).toThrow(
      "Expected `capacity` to be an integer from 1 up, got `0` (number)",
    );
  });

  it("display() outside Jupyter prints a one-line summary", () => {
    const timeline = new Timeline({ title: "T" });
    timeline.mark("x");
    const captured: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((c: string) => (captured.push(String(c)), true)) as typeof process.stdout.write;
    try {
      timeline.display();
    } finally {
      process.stdout.write = original;
    }
    expect(captured.join("")).toBe("[T: 1 events in 1 lanes; timeline.svg() gives the SVG]\n");
  });
});

describe("LagMeter", () => {
  it("sees a blocked event loop as lag of about the block's length, and an idle loop as small lag", async () => {
    const idle = await measureLag(() => sleep(100));
    const blocked = await measureLag(() => spin(150));
    expect(blocked.maxMs).toBeGreaterThanOrEqual(130);
    expect(blocked.maxMs).toBeGreaterThan(idle.maxMs);
    expect(blocked.samples.length).toBeGreaterThan(0);
    expect(blocked.toString()).toMatch(
      /^event-loop lag over \d+ ms: max [\d.]+ ms, p99 [\d.]+ ms, mean [\d.]+ ms \(\d+ samples\)$/,
    );
    expect(blocked.svg()).toMatch(/^<svg .*<\/svg>$/s);
    expect(blocked.svg()).toContain("Event-loop lag");
  });

  it("counts a block still in progress when stopped", () => {
    const meter = new LagMeter({ intervalMs: 5 }).start();
    spin(60);
    const report = meter.stop();
    expect(report.maxMs).toBeGreaterThanOrEqual(50);
    expect(() => new LagMeter({ intervalMs: 0 })).toThrow(
      "Expected `intervalMs` to be an integer from 1 up, got `0` (number)",
    );
  });
});

describe("timeit", () => {
  it("times sync and async functions and prints like IPython", async () => {
    const r = await timeit(() => spin(2), { repeat: 3, number: 5 });
    expect(r.repeat).toBe(3);
    expect(r.number).toBe(5);
    expect(r.bestMs).toBeGreaterThanOrEqual(1.9);
    expect(r.toString()).toMatch(
      /^[\d.]+ ms ± [\d.]+ (ns|µs|ms) per loop \(mean ± std. dev. of 3 runs, 5 loops each\)$/,
    );
    const a = await timeit(() => sleep(1), { repeat: 2, number: 3 });
    expect(a.meanMs).toBeGreaterThanOrEqual(0.9);
  });

  it("chooses the number of loops so a run takes at least 0.2 s", async () => {
    const r = await timeit(() => spin(30), { repeat: 1 });
    // 1, 2, 5, 10 ... : 10 calls of 30 ms always reach 0.2 s, 1 never does; a loaded machine may stop at 2 or 5.
    expect([2, 5, 10]).toContain(r.number);
    await expect(timeit(() => 1, { repeat: 0 })).rejects.toThrow(
      "Expected `repeat` to be an integer from 1 up, got `0` (number)",
    );
  });
});
