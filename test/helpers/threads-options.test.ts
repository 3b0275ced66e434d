import { describe, expect, it } from "vitest";
import { HelperError, Thread, ThreadPool, runInThread, sleep, sleepSync } from "../../kernel-helpers/index.ts";

// Every message a learner can get from a Thread's options, checked word for word.
describe("Thread options", () => {
  it("rejects bad targets with what was expected and what came", () => {
    expect(() => new Thread(undefined as never)).toThrow(
      "Expected `options` to be an object with a `target`, got `undefined` (undefined)",
    );
    expect(() => new Thread({ target: "f" as never })).toThrow(
      'Expected `target` to be a function or { module, export? }, got `"f"` (string)',
    );
    expect(() => new Thread({ target: Math.max })).toThrow(
      "`target` is a built-in or bound function (`max`), whose source cannot travel to a worker: wrap it, e.g. (x) => Math.sqrt(x)",
    );
    expect(() => new Thread({ target: (() => 1).bind(null) })).toThrow(HelperError);
    class Worker {}
    expect(() => new Thread({ target: Worker as never })).toThrow(
      "`target` is a class (`Worker`): pass a function that creates and uses it",
    );
    expect(() => new Thread({ target: { module: "./no/such/file.ts" } })).toThrow(
      /`target.module` '.\/no\/such\/file.ts' does not exist \(looked for \/.*no\/such\/file.ts\)/,
    );
  });

  it("rejects bad args, name, signal and timeouts", async () => {
    expect(() => new Thread({ target: () => 1, args: 1 as never })).toThrow(
      "Expected `args` to be an array, got `1` (number)",
    );
    expect(() => new Thread({ target: () => 1, name: 3 as never })).toThrow(
      "Expected `name` to be a string, got `3` (number)",
    );
    expect(() => new Thread({ target: () => 1, signal: {} as never })).toThrow(
      "Expected `signal` to be an AbortSignal, got `[object Object]` (object)",
    );
    const t = new Thread({ target: () => 1 }).start();
    expect(() => t.join({ timeout: -5 })).toThrow(
      "Expected `timeout` to be a number of milliseconds from 0 up, got `-5` (number)",
    );
    await t.join();
    expect(() => new Thread({ target: () => 1, signal: AbortSignal.abort() }).start()).toThrow(
      expect.objectContaining({ code: "ABORT_ERR" }),
    );
  });

  it("accepts method shorthand and async methods as targets", async () => {
    const obj = {
      double(x: number) {
        return 2 * x;
      },
      async triple(x: number) {
        return 3 * x;
      },
    };
    expect(await runInThread(obj.double, 4)).toBe(8);
    expect(await runInThread(obj.triple, 4)).toBe(12);
  });

  it("sleep and sleepSync validate and wait", async () => {
    await expect(sleep(-1)).rejects.toThrow(
      "Expected `ms` to be a number of milliseconds from 0 up, got `-1` (number)",
    );
    await expect(sleep(1000, { signal: AbortSignal.timeout(10) })).rejects.toMatchObject({ code: "ABORT_ERR" });
    const t0 = performance.now();
    sleepSync(20);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
  });
});

describe("targets compiled with esbuild's keepNames (tsx, vitest)", () => {
  it("run with named inner functions (esbuild wraps them in __name)", async () => {
    const source =
      'function outer(n) { function inner(x) { return x + 1; } __name(inner, "inner"); return inner(n) + inner.name.length; }';
    const outer = new Function(`return ${source}`)() as (n: number) => number;
    expect(await runInThread(outer, 1)).toBe(2 + 5);
  });
});

describe("targets as tslab compiles them (names from other cells read from `exports`)", () => {
  it("provides imported helpers and explains other cells' variables, also in a pool thread reused between tasks", async () => {
    // What tslab emits for `currentThread().name` and `limit + 1` when both were defined in earlier cells.
    const usesHelper = new Function(
      "return function usesHelper() { return (0, exports.currentThread)().name; }",
    )() as () => string;
    const usesVariable = new Function("return function usesVariable() { return exports.limit + 1; }")() as () => number;
    const pool = new ThreadPool({ size: 1 });
    try {
      expect(await pool.submit(usesHelper)).toMatch(/^ThreadPool-\d+-worker-1$/);
      await expect(pool.submit(usesVariable)).rejects.toMatchObject({
        code: "ERR_CLOSURE",
        message: expect.stringContaining("target `usesVariable` uses `limit` from other cells"),
      });
    } finally {
      await pool.close();
    }
    await expect(runInThread(usesVariable)).rejects.toMatchObject({
      code: "ERR_CLOSURE",
      message: expect.stringContaining("uses `limit` from other cells"),
    });
  });
});
