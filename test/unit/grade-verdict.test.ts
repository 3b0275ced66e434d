// The verdict on a process a time limit stopped: what it was doing at the kill decides, not which
// limit fired first (a memory bomb starved of CPU reaches its time limit before its memory limit).
import { describe, expect, it } from "vitest";
import { killVerdict, type KillReadings } from "../../src/grade/sandbox/verdict.ts";

const LIMITS = { rssMb: 1024, heapMb: 256, outputBytes: 8192 };
const quiet: KillReadings = {
  limitMs: 2500,
  elapsedMs: 2500,
  starvedMs: 0,
  cpuMs: 0,
  rssNow: 60,
  rssSecondAgo: 60,
  rssLow: 45,
  outputBytes: 0,
  measured: true,
};

describe("killVerdict", () => {
  it("memory near the resident limit is memory, whatever fired first", () => {
    const v = killVerdict({ ...quiet, rssNow: 900, rssSecondAgo: 880, cpuMs: 2400 }, LIMITS);
    expect(v.kind).toBe("memory");
    expect(v.message).toMatch(/running out of memory \(it held 900 MB of its 1024 MB memory limit\)/);
  });

  it("growth near the heap limit is memory (V8 would have stopped it next)", () => {
    expect(killVerdict({ ...quiet, rssNow: 260, rssSecondAgo: 250, cpuMs: 2400 }, LIMITS).kind).toBe("memory");
  });

  it("memory growing steeply is memory, well below either limit", () => {
    const v = killVerdict({ ...quiet, rssNow: 190, rssSecondAgo: 110, starvedMs: 1800, elapsedMs: 4300 }, LIMITS);
    expect(v.kind).toBe("memory");
    expect(v.message).toMatch(/80 MB more than a second before/);
    expect(v.message).toMatch(/machine was busy: it waited 1.8 s for a CPU/);
  });

  it("a flood that queued up in memory is a flood, and says where the memory went", () => {
    const v = killVerdict({ ...quiet, outputBytes: 300 * 2 ** 20, rssNow: 900, cpuMs: 2500 }, LIMITS);
    expect(v.kind).toBe("flood");
    expect(v.message).toMatch(/printed 300 MB of output .*, and held 900 MB of its 1024 MB memory limit/);
  });

  it("a process that started workers and then hung is not a memory bomb", () => {
    expect(killVerdict({ ...quiet, rssNow: 120, rssSecondAgo: 90 }, LIMITS).kind).toBe("idle");
  });

  it("an output flood, a busy loop and a wait each get their own words, after 'no answer within'", () => {
    const flood = killVerdict({ ...quiet, outputBytes: 40 * 2 ** 20, cpuMs: 2500 }, LIMITS);
    expect(flood).toMatchObject({ kind: "flood" });
    expect(flood.message).toMatch(/^no answer within 2.5 s: it printed 40 MB of output/);
    const busy = killVerdict({ ...quiet, cpuMs: 2400 }, LIMITS);
    expect(busy.message).toMatch(/^no answer within 2.5 s: it kept the CPU busy/);
    const idle = killVerdict({ ...quiet, cpuMs: 30 }, LIMITS);
    expect(idle.message).toMatch(/^no answer within 2.5 s: it sat waiting \(a hang, a deadlock/);
    // A few debugging lines before a hang are not a flood.
    expect(killVerdict({ ...quiet, outputBytes: 3000 }, LIMITS).kind).toBe("idle");
    expect(killVerdict({ ...quiet, outputBytes: 100_000 }, LIMITS).message).toMatch(/printed 98 KB of output/);
  });

  it("CPU time counts against the time the process had, not the wall time of a busy machine", () => {
    // 5 s of wall time, 3.5 s of it waiting for a CPU: 1.4 s of CPU in 1.5 s of its own is a loop.
    expect(killVerdict({ ...quiet, elapsedMs: 5000, starvedMs: 3500, cpuMs: 1400 }, LIMITS).kind).toBe("busy");
  });

  it("without /proc readings it names no cause it cannot see", () => {
    const v = killVerdict({ ...quiet, rssNow: 0, rssSecondAgo: 0, rssLow: 0, measured: false }, LIMITS);
    expect(v).toEqual({
      kind: "idle",
      message: "no answer within 2.5 s (an endless loop, a deadlock, or a promise that never settles?)",
    });
  });
});
