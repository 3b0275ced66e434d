// Grading suite of data-pipeline (run by `tsnb grade`): "[points] what is checked".
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

test("[2] each item goes through the stages in order; results come in source order", async () => {
  const { results } = await probe<{ results: number[] }>("ordered");
  // Stage 1 is slowest for the first items: finishing order is not source order.
  expect(results, "runPipeline(1..20, [x * 2, x + 1])").toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 2 + 1));
});

test("[2] each stage runs at most `concurrency` calls at once, and that many when it has work", async () => {
  const seen = await probe<{ maxA: number; maxB: number }>("concurrency");
  expect(seen.maxA, "calls in flight at stage a (concurrency 3)").toBe(3);
  expect(seen.maxB, "calls in flight at stage b (concurrency 2)").toBe(2);
});

test("[2] the stages work at the same time (streaming, not one stage after the other)", async () => {
  const { log } = await probe<{ log: string[] }>("concurrency");
  const firstB = log.findIndex((e) => e.startsWith("b:"));
  const lastA = log.map((e) => e.startsWith("a:")).lastIndexOf(true);
  expect(
    firstB >= 0 && firstB < lastA,
    "stage b should start on the first items while stage a still works on later ones",
  ).toBe(true);
});

test("[2] backpressure: a slow last stage makes the source wait (bounded buffers)", async () => {
  const seen = await probe<{ maxGap: number; count: number }>("backpressure", { buffer: 2 });
  expect(seen.count).toBe(60);
  // 2 stages of concurrency 1, buffers of 2: a few items in the pipeline, never the whole source.
  expect(seen.maxGap, "items read from the source but not yet through the slow stage (buffer 2)").toBeLessThanOrEqual(
    10,
  );
});

test("[1] an error in a stage rejects runPipeline with that error and stops reading the source", async () => {
  const seen = await probe<{ rejected: boolean; message?: string; pulled: number }>("failing");
  expect(seen.rejected, "runPipeline should reject when a stage throws").toBe(true);
  expect(seen.message).toMatch(/bad item 5/);
  expect(seen.pulled, "items read from a 1000-item source after the error (it should stop)").toBeLessThan(100);
});

test("[1] async and sync iterables both work as sources; an empty source gives []", async () => {
  const seen = await probe<{ fromAsync: string[]; fromArray: number[]; empty: unknown[] }>("sources");
  expect(seen.fromAsync).toEqual(["A", "B", "C"]);
  expect(seen.fromArray).toEqual([11, 21, 31]);
  expect(seen.empty).toEqual([]);
});
