// Grading suite of parallel-primes (run by `tsnb grade`): "[points] what is checked".
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

/** The primes in [start, end), computed here in the trusted process (a sieve). */
function primesIn(start: number, end: number): number[] {
  if (end <= 2) return [];
  const composite = new Uint8Array(end);
  const out: number[] = [];
  for (let n = 2; n < end; n++) {
    if (composite[n]) continue;
    if (n >= start) out.push(n);
    for (let m = n * n; m < end; m += n) composite[m] = 1;
  }
  return out;
}

function digest(list: number[]) {
  let sum = 0;
  list.forEach((n, i) => (sum = (sum + n * ((i % 1000) + 1)) % 1_000_000_007));
  return { count: list.length, sum, ascending: true };
}

async function check(cases: Array<[number, number, number]>) {
  const got = await probe<unknown[]>("primes", { cases }, { timeoutMs: 20_000 });
  cases.forEach(([s, e, w], i) => expect(got[i], `findPrimes(${s}, ${e}, ${w})`).toEqual(primesIn(s, e)));
}

test("[1] small ranges: exactly the primes p with start <= p < end, ascending", async () => {
  await check([
    [0, 30, 2],
    [2, 3, 1],
    [10, 11, 1],
    [14, 17, 2],
    [20, 10, 2],
  ]);
});

test("[1] numbers below 2 are not prime (a range from a negative start)", async () => {
  await check([
    [-10, 10, 2],
    [0, 2, 1],
  ]);
});

test("[1] ranges that do not split evenly over the workers lose no prime at the chunk edges", async () => {
  await check([
    [0, 1000, 7],
    [89, 102, 4],
    [1, 2000, 3],
  ]);
});

test("[1] one worker, and more workers than numbers, both work", async () => {
  await check([
    [0, 100, 1],
    [0, 5, 8],
  ]);
});

test("[2] a large range over 4 workers gives exactly the primes in it", async () => {
  const seen = await probe<Record<string, unknown>>(
    "large",
    { start: 1_000_000, end: 1_400_000, workers: 4 },
    { timeoutMs: 30_000 },
  );
  const want = primesIn(1_000_000, 1_400_000);
  expect(seen["ascending"], "the primes should be in ascending order (joined in range order, not finish order)").toBe(
    true,
  );
  expect(
    { count: seen["count"], sum: seen["sum"], ascending: seen["ascending"] },
    `first ones: ${JSON.stringify(seen["head"])}`,
  ).toEqual(digest(want));
});

test("[2] the work runs on exactly `workers` threads at once (3 asked: 3 run, never more)", async () => {
  const seen = await probe<{ created: number; maxAlive: number }>(
    "large",
    { start: 2, end: 1_000_000, workers: 3 },
    { timeoutMs: 30_000 },
  );
  expect(seen.maxAlive, "worker threads alive at the same time during findPrimes(2, 1e6, 3)").toBe(3);
});

test("[2] the main thread stays free while the workers compute (its event loop is mostly idle)", async () => {
  const seen = await probe<{ elu: number; created: number }>(
    "large",
    { start: 2_000_000, end: 3_500_000, workers: 2 },
    { timeoutMs: 30_000 },
  );
  expect(seen.created, "no worker thread was started: the primes were computed on the main thread").toBeGreaterThan(0);
  expect(
    seen.elu,
    "the main thread was busy most of the time: compute in the workers, not on the main thread",
  ).toBeLessThan(0.5);
});
