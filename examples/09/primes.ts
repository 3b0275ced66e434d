// The Python lesson's "CPU-Intensive Task with Multiprocessing" on Node: primes found sequentially, then by
// one worker thread per core, each searching its own range.
// Run: cd examples/09 && npx tsx primes.ts [max_num ...]   (Node 22.6+: node --experimental-strip-types primes.ts)
// Default: the seed's 10000, then 5000000, where the parallel version pays off.
import os from "node:os";
import { Worker } from "node:worker_threads";

/** Check if a number is prime. */
function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n === 2) return true;
  if (n % 2 === 0) return false;
  for (let i = 3; i <= Math.floor(Math.sqrt(n)); i += 2) if (n % i === 0) return false;
  return true;
}

/** Find all prime numbers in a range. */
function findPrimesInRange(start: number, end: number): number[] {
  const primes: number[] = [];
  for (let num = start; num < end; num++) if (isPrime(num)) primes.push(num);
  return primes;
}

/** Runs findPrimesInRange(start, end) on a new worker thread; both functions travel as source text. */
function inThread(start: number, end: number): Promise<number[]> {
  const w = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
${isPrime.toString()}
${findPrimesInRange.toString()}
parentPort.postMessage(findPrimesInRange(workerData.start, workerData.end));`,
    { eval: true, workerData: { start, end } },
  );
  return new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", reject);
  });
}

/** Find primes using one worker thread per core (the seed's multiprocessing.Pool().starmap). */
async function parallelPrimeFinder(maxNumber: number, numThreads = os.availableParallelism()): Promise<number[]> {
  // Divide work among threads.
  const chunkSize = Math.floor(maxNumber / numThreads);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < numThreads; i++) {
    const start = i * chunkSize;
    const end = i < numThreads - 1 ? (i + 1) * chunkSize : maxNumber;
    ranges.push([start, end]);
  }
  const results = await Promise.all(ranges.map(([start, end]) => inThread(start, end)));
  return results.flat().sort((a, b) => a - b);
}

/** Compare sequential vs parallel execution. */
async function comparePerformance(maxNum: number): Promise<void> {
  console.log(`max_num = ${maxNum}, ${os.availableParallelism()} threads`);
  console.log("Sequential execution:");
  let startTime = performance.now();
  const sequentialPrimes = findPrimesInRange(0, maxNum);
  const sequentialTime = (performance.now() - startTime) / 1000;
  console.log(`Found ${sequentialPrimes.length} primes in ${sequentialTime.toFixed(3)} seconds`);

  console.log("\nParallel execution:");
  startTime = performance.now();
  const parallelPrimes = await parallelPrimeFinder(maxNum);
  const parallelTime = (performance.now() - startTime) / 1000;
  console.log(`Found ${parallelPrimes.length} primes in ${parallelTime.toFixed(3)} seconds`);

  const same = sequentialPrimes.length === parallelPrimes.length && sequentialPrimes.every((p, i) => p === parallelPrimes[i]);
  console.log(`\nResults match: ${same}`);
  console.log(`Speedup: ${(sequentialTime / parallelTime).toFixed(2)}x\n`);
}

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 5_000_000];
for (const maxNum of sizes) await comparePerformance(maxNum);
