// Probes of data-pipeline: run pipelines whose stages record what happens (calls in flight per
// stage, the order stages start, items pulled from the source versus items finished).
type Stage = { name?: string; concurrency: number; fn: (item: any) => unknown };
type Sub = {
  runPipeline(
    source: Iterable<unknown> | AsyncIterable<unknown>,
    stages: Stage[],
    options?: { buffer?: number },
  ): Promise<unknown[]>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stage that applies `op` after `delay(x)` ms and counts its calls in flight. */
function instrumented(
  name: string,
  concurrency: number,
  op: (x: number) => number,
  delay: (x: number) => number,
  log: string[],
  stats: Record<string, { active: number; max: number }>,
) {
  stats[name] = { active: 0, max: 0 };
  return {
    name,
    concurrency,
    fn: async (x: number) => {
      const s = stats[name]!;
      s.active += 1;
      s.max = Math.max(s.max, s.active);
      log.push(`${name}:${x}`);
      await sleep(delay(x));
      s.active -= 1;
      return op(x);
    },
  };
}

export async function ordered(sub: Sub) {
  const log: string[] = [];
  const stats = {};
  const items = Array.from({ length: 20 }, (_, i) => i + 1);
  const results = await sub.runPipeline(items, [
    instrumented(
      "double",
      4,
      (x) => x * 2,
      (x) => 21 - x,
      log,
      stats,
    ),
    instrumented(
      "inc",
      2,
      (x) => x + 1,
      (x) => (x % 3) * 3,
      log,
      stats,
    ),
  ]);
  return { results };
}

export async function concurrency(sub: Sub) {
  const log: string[] = [];
  const stats: Record<string, { active: number; max: number }> = {};
  const items = Array.from({ length: 24 }, (_, i) => i);
  await sub.runPipeline(
    items,
    [
      instrumented(
        "a",
        3,
        (x) => x,
        () => 15,
        log,
        stats,
      ),
      instrumented(
        "b",
        2,
        (x) => x,
        () => 15,
        log,
        stats,
      ),
    ],
    { buffer: 4 },
  );
  return { maxA: stats["a"]!.max, maxB: stats["b"]!.max, log };
}

export async function backpressure(sub: Sub, args: { buffer: number }) {
  let pulled = 0;
  let finished = 0;
  let maxGap = 0;
  function* source() {
    for (let i = 0; i < 60; i++) {
      pulled += 1;
      maxGap = Math.max(maxGap, pulled - finished);
      yield i;
    }
  }
  const stages = [
    { name: "fast", concurrency: 1, fn: (x: number) => x },
    {
      name: "slow",
      concurrency: 1,
      fn: async (x: number) => {
        await sleep(5);
        finished += 1;
        return x;
      },
    },
  ];
  const results = await sub.runPipeline(source(), stages, { buffer: args.buffer });
  return { maxGap, count: Array.isArray(results) ? results.length : -1 };
}

export async function failing(sub: Sub) {
  let pulled = 0;
  async function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled += 1;
      yield i;
    }
  }
  const stages = [
    {
      concurrency: 2,
      fn: async (x: number) => {
        await sleep(1);
        if (x === 5) throw new Error(`bad item ${x}`);
        return x;
      },
    },
  ];
  try {
    await sub.runPipeline(source(), stages, { buffer: 2 });
    await sleep(50);
    return { rejected: false, pulled };
  } catch (error) {
    await sleep(50);
    return { rejected: true, message: String((error as Error)?.message ?? error), pulled };
  }
}

export async function sources(sub: Sub) {
  async function* gen() {
    for (const w of ["a", "b", "c"]) {
      await sleep(2);
      yield w;
    }
  }
  const fromAsync = await sub.runPipeline(gen(), [{ concurrency: 2, fn: (s: string) => s.toUpperCase() }]);
  const fromArray = await sub.runPipeline(
    [1, 2, 3],
    [
      { concurrency: 1, fn: (x: number) => x * 10 },
      { concurrency: 3, fn: async (x: number) => x + 1 },
    ],
  );
  const empty = await sub.runPipeline([], [{ concurrency: 2, fn: (x: number) => x }]);
  return { fromAsync, fromArray, empty };
}
