// expect-fail: [2] the work runs on exactly `workers` threads at once (3 asked: 3 run, never more)
// One thread more than asked (an off-by-one in the chunk count): too much concurrency.
import { Worker } from "node:worker_threads";

/**
 * Every prime p with start <= p < end, ascending, computed on `workers` worker threads: the range
 * is cut into `workers` contiguous chunks, one per worker, and the chunks are joined in range order.
 */
function findPrimes(start: number, end: number, workers: number): Promise<number[]> {
  // A worker gets its code as text: a function from this cell would not travel (no closures).
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { from, to } = workerData;
    const found = [];
    for (let n = Math.max(from, 2); n < to; n++) {
      let prime = n === 2 || n % 2 === 1;
      for (let d = 3; prime && d * d <= n; d += 2) if (n % d === 0) prime = false;
      if (prime) found.push(n);
    }
    parentPort.postMessage(found);`;
  const from = Math.max(start, 2);
  if (end <= from) return Promise.resolve([]);
  const count = Math.min(workers + 1, end - from);
  const size = Math.ceil((end - from) / count);
  const chunks: Array<Promise<number[]>> = [];
  for (let i = 0; i < count; i++) {
    const lo = from + i * size;
    const hi = Math.min(end, lo + size);
    if (lo >= hi) break;
    chunks.push(
      new Promise((resolve, reject) => {
        const worker = new Worker(source, { eval: true, workerData: { from: lo, to: hi } });
        worker.once("message", resolve);
        worker.once("error", reject);
      }),
    );
  }
  // Promise.all keeps the chunks in range order, whichever worker finishes first.
  return Promise.all(chunks).then((parts) => parts.flat());
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
