import { describe, expect, it } from "vitest";
import { AbortError, mapLimit } from "../../kernel-helpers/index.ts";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("mapLimit", () => {
  it("keeps input order and never more than `limit` in flight, and exactly `limit` while enough are left", async () => {
    let inFlight = 0;
    let max = 0;
    const seenWhileMany: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await mapLimit(items, 4, async (item, index) => {
      inFlight++;
      max = Math.max(max, inFlight);
      if (index < 16) seenWhileMany.push(inFlight);
      await tick(5 + ((item * 7) % 11));
      inFlight--;
      return item * 10;
    });
    expect(results).toEqual(items.map((i) => i * 10));
    expect(max).toBe(4);
    // From the 4th start on, each new start replaces one that finished: 4 in flight at each start.
    expect(seenWhileMany.slice(3).every((n) => n === 4)).toBe(true);
  });

  it("works with synchronous functions and empty input", async () => {
    expect(await mapLimit([1, 2, 3], 2, (x) => x + 1)).toEqual([2, 3, 4]);
    expect(await mapLimit([], 2, (x: number) => x)).toEqual([]);
    expect(await mapLimit(new Set(["a", "b"]), 1, (x) => x.toUpperCase())).toEqual(["A", "B"]);
  });

  it("rejects on the first failure and starts no further item; in-flight calls see their signal abort", async () => {
    const started: number[] = [];
    let sawAbort = false;
    const error = await mapLimit([0, 1, 2, 3, 4, 5, 6, 7], 2, async (item, _i, signal) => {
      started.push(item);
      if (item === 1) throw new Error("item 1 failed");
      await tick(30);
      sawAbort ||= signal.aborted;
      return item;
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("item 1 failed");
    await tick(60);
    expect(started).toEqual([0, 1]);
    expect(sawAbort).toBe(true);
  });

  it("stops on abort with AbortError", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapLimit(
      [1, 2, 3, 4, 5, 6],
      2,
      async (x) => {
        started.push(x);
        await tick(40);
        return x;
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(run).rejects.toBeInstanceOf(AbortError);
    await tick(60);
    expect(started.length).toBeLessThanOrEqual(4);
  });

  it("validates its arguments", async () => {
    await expect(mapLimit([1], 0, (x) => x)).rejects.toThrow(
      "Expected `limit` to be an integer from 1 up, got `0` (number)",
    );
    await expect(mapLimit([1], 1.5, (x) => x)).rejects.toThrow(
      "Expected `limit` to be an integer from 1 up, got `1.5` (number)",
    );
    await expect(mapLimit(5 as never, 1, (x) => x)).rejects.toThrow(
      "Expected `items` to be an array or iterable, got `5` (number)",
    );
    await expect(mapLimit([1], 1, "f" as never)).rejects.toThrow('Expected `fn` to be a function, got `"f"` (string)');
  });
});
