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
    // Run for data.ms, and beyond it (up to 3 s) until this worker did 200 blocks of 1000 calls
    // while another worker was inside its loop too: on a loaded machine the workers may get the
    // cores one after another at first, and a race needs them to run at the same time.
    const active = new Int32Array(data.active);
    Atomics.add(active, 0, 1);
    const end = Date.now() + data.ms;
    const hardEnd = Date.now() + 3000;
    let calls = 0;
    let overlapped = 0;
    while ((Date.now() < end || overlapped < 200) && Date.now() < hardEnd) {
      for (let i = 0; i < 1000; i++) step();
      calls += 1000;
      if (Atomics.load(active, 0) >= 2) overlapped += 1;
    }
    Atomics.sub(active, 0, 1);
    return calls;`;
  const calls = (await contend({
    body,
    data: { buffer: c.buffer, ms: args.ms, count: args.count, by: args.by, active: new SharedArrayBuffer(4) },
    workers: args.workers,
    workdir: ctx.workdir,
  })) as number[];
  const total = calls.reduce((a, b) => a + b, 0);
  return { value: c.value, expected: total * (args.by ?? 1) };
}
