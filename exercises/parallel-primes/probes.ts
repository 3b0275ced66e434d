// Probes of parallel-primes. Loaded before the submission, so the Worker class it sees is the
// counting one below: the suite learns how many threads ran and how many at once.
import { performance } from "node:perf_hooks";
import workerThreads from "node:worker_threads";

let created = 0;
let alive = 0;
let maxAlive = 0;
const Original = workerThreads.Worker;
class CountedWorker extends Original {
  constructor(...args: ConstructorParameters<typeof Original>) {
    super(...args);
    created += 1;
    alive += 1;
    maxAlive = Math.max(maxAlive, alive);
    this.once("exit", () => (alive -= 1));
  }
}
(workerThreads as { Worker: typeof Original }).Worker = CountedWorker;

type Sub = { findPrimes(start: number, end: number, workers: number): Promise<number[]> };

/** A digest of a list of numbers: how many, a checksum, and the first ones (to show in a failure). */
function digest(list: unknown) {
  if (!Array.isArray(list)) return { type: typeof list, count: -1, sum: 0, ascending: false, head: [] as unknown[] };
  let sum = 0;
  let ascending = true;
  list.forEach((n, i) => {
    sum = (sum + Number(n) * ((i % 1000) + 1)) % 1_000_000_007;
    if (i > 0 && !(Number(list[i - 1]) < Number(n))) ascending = false;
  });
  return { type: "array", count: list.length, sum, ascending, head: list.slice(0, 12) };
}

export async function primes(sub: Sub, args: { cases: Array<[number, number, number]> }) {
  const out = [];
  for (const [s, e, w] of args.cases) out.push(await sub.findPrimes(s, e, w));
  return out.map((list) => (Array.isArray(list) && list.length <= 5000 ? list : digest(list)));
}

export async function large(sub: Sub, args: { start: number; end: number; workers: number }) {
  created = 0;
  maxAlive = 0;
  // Event-loop utilisation of this (main) thread while findPrimes runs: near 1 when the main
  // thread does the work itself, low when it only waits for workers.
  const before = performance.eventLoopUtilization();
  const list = await sub.findPrimes(args.start, args.end, args.workers);
  const elu = performance.eventLoopUtilization(before).utilization;
  return { ...digest(list), created, maxAlive, elu };
}
