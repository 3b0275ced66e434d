// Grading suite of safe-counter. Run by `tsnb grade` only (it needs the sandbox the grader prepares).
// Each test is named "[points] what is checked"; the submission runs in sandbox processes, never here.
// Every probe builds its own counters (and workers) afresh, so the tests share one sandbox process
// per submission (SHARED): a process that dies or hangs is replaced for the next test.
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

const WORKERS = 4;
// Each worker increments for at least this long, all starting at once behind a barrier, and on
// until the workers have run truly side by side (the probe counts it: see probes.ts), so a racy
// counter cannot pass by luck, however loaded the machine. Measured beside two CPU burners: a racy
// counter lost over 5,000 updates in each of 30 runs at 30 ms (as at 100 ms), and a correct
// one lost none.
const MS = 30;
const SHARED = { shared: true } as const;

test("[1] a new counter starts at 0; increment() adds 1 and increment(n) adds n", async () => {
  const seen = await probe<{ start: number; afterOne: number; afterSix: number }>("basics", {}, SHARED);
  expect(seen.start, "a new SafeCounter() should read 0").toBe(0);
  expect(seen.afterOne, "after increment() the value should be 1").toBe(1);
  expect(seen.afterSix, "after increment() and increment(5) the value should be 6").toBe(6);
});

test("[2] the count lives in a SharedArrayBuffer: new SafeCounter(c.buffer) is the same counter", async () => {
  const seen = await probe<{ isShared: boolean; viaOriginal: number; viaTwin?: number }>("sameBuffer", {}, SHARED);
  expect(seen.isShared, "counter.buffer should be a SharedArrayBuffer (the memory workers share)").toBe(true);
  expect(seen.viaTwin, "a counter built on c.buffer should see c's increments and its own (3 + 4)").toBe(7);
  expect(seen.viaOriginal, "c should see the increments made through the twin counter (3 + 4)").toBe(7);
});

test("[2] a counter rebuilt from the buffer in a worker thread updates the same count", async () => {
  const seen = await probe<{ value: number }>("contention", { workers: 1, count: 1000 }, SHARED);
  expect(seen.value, "1 worker x 1000 increments on new SafeCounter(buffer): the main thread should read 1000").toBe(
    1000,
  );
});

test("[3] no update is lost when 4 workers call increment() at the same time", async () => {
  const seen = await probe<{ value: number; expected: number }>(
    "contention",
    { workers: WORKERS, ms: MS },
    { timeoutMs: 20_000, ...SHARED },
  );
  const lost = seen.expected - seen.value;
  expect(
    lost,
    `${lost} of ${seen.expected} increments were lost: a read-then-write is not atomic (hint: Atomics.add)`,
  ).toBe(0);
});

test("[2] no update is lost when 4 workers call increment(3) at the same time", async () => {
  const seen = await probe<{ value: number; expected: number }>(
    "contention",
    { workers: WORKERS, ms: MS, by: 3 },
    { timeoutMs: 20_000, ...SHARED },
  );
  expect(seen.value, "increment(3) from 4 workers at once: every update should count, by 3").toBe(seen.expected);
});
