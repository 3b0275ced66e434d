// Probes of safe-counter: run in the sandbox next to the submission; they only observe and return
// what they saw. The suite (trusted, another process) decides what is right.
import { contend } from "../_probe-lib/workers";

interface Counter {
  readonly buffer: unknown;
  increment(by?: number): void;
  readonly value: number;
}
type Sub = { SafeCounter: new (buffer?: SharedArrayBuffer) => Counter };

export function basics(sub: Sub) {
  const c = new sub.SafeCounter();
  const start = c.value;
  c.increment();
  const afterOne = c.value;
  c.increment(5);
  return { start, afterOne, afterSix: c.value };
}

export function sameBuffer(sub: Sub) {
  const c = new sub.SafeCounter();
  const isShared = c.buffer instanceof SharedArrayBuffer;
  c.increment(3);
  const twin = isShared ? new sub.SafeCounter(c.buffer as SharedArrayBuffer) : undefined;
  twin?.increment(4);
  return { isShared, viaOriginal: c.value, viaTwin: twin?.value };
}

/**
 * `workers` workers increment the same counter by `by` (undefined: increment()) for `ms` ms each,
 * all at once, counting their own calls. Running for a time rather than a count makes the loops
 * overlap for sure on 2 shared cores (a fixed 200,000 finished before the next worker woke up in
 * some runs and lost nothing).
 */
export async function contention(
  sub: Sub,
  args: { workers: number; ms?: number; count?: number; by?: number },
  ctx: { workdir: string },
) {
  const c = new sub.SafeCounter();
  const body = `
    const c = new sub.SafeCounter(data.buffer);
    const step = () => (data.by === undefined ? c.increment() : c.increment(data.by));
    if (data.count !== undefined) {
      for (let i = 0; i < data.count; i++) step();
      return data.count;
    }
    // Run for data.ms, and beyond it (up to 6 s) until the workers together saw 20 blocks of 1000
    // calls run truly at the same time as another worker's, or no other worker is left to run
    // beside. A block counts when another worker finished a block of its own meanwhile and this one
    // was not paused (a paused block lasts a time slice, ms; one that ran straight through,
    // microseconds). Workers that merely take turns on one core (a loaded machine) lose no update
    // even with a racy counter, so turns do not count. 20 such blocks in all are ample evidence: a
    // racy counter lost at least 6,600 updates in each of 32 runs beside two CPU burners at a load
    // of 12-15 (the earlier rule, 20 blocks for every worker, took 2-3x as long to stop there).
    const progress = new Int32Array(data.progress); // one slot per worker, how many still run, blocks seen together
    const running = progress.length - 2;
    const together = progress.length - 1;
    Atomics.add(progress, running, 1);
    const others = () => {
      let sum = 0;
      for (let j = 0; j < running; j++) if (j !== index) sum += Atomics.load(progress, j);
      return sum;
    };
    const end = Date.now() + data.ms;
    const hardEnd = Date.now() + 6000;
    let calls = 0;
    while (
      (Date.now() < end || (Atomics.load(progress, together) < 20 && Atomics.load(progress, running) > 1)) &&
      Date.now() < hardEnd
    ) {
      const seen = others();
      const started = performance.now();
      for (let i = 0; i < 1000; i++) step();
      const took = performance.now() - started;
      calls += 1000;
      Atomics.add(progress, index, 1);
      if (took < 2 && others() !== seen) Atomics.add(progress, together, 1);
    }
    Atomics.sub(progress, running, 1);
    return calls;`;
  const calls = (await contend({
    body,
    data: {
      buffer: c.buffer,
      ms: args.ms,
      count: args.count,
      by: args.by,
      progress: new SharedArrayBuffer(4 * (args.workers + 2)),
    },
    workers: args.workers,
    workdir: ctx.workdir,
  })) as number[];
  const total = calls.reduce((a, b) => a + b, 0);
  return { value: c.value, expected: total * (args.by ?? 1) };
}
