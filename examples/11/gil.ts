// The Python lesson's GIL demonstration ("Understanding the GIL") on Node: four CPU-bound tasks on one
// event loop, on four worker threads, and on four child processes; then four I/O-bound waits.
// Run: cd examples/11 && npx tsx gil.ts [squares]   (Node 22.6+: node --experimental-strip-types gil.ts)
//
// Python's threads take turns under the GIL; Node has no GIL, but each thread has one event loop, and four
// `async` tasks that compute take turns on it exactly as four Python threads do. Worker threads and child
// processes run in parallel, up to the number of cores.
import { fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** The seed's cpu_bound_thread, with the size as a parameter (10**6 squares take about 1 ms on V8). */
function cpuBoundTask(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += i ** 2;
  return total;
}

/** Runs `fn(arg)` on a new worker thread (its source travels as text) and resolves with its result. */
function inThread(fn: (n: number) => number, arg: number): Promise<number> {
  const w = new Worker(`const { parentPort, workerData } = require("node:worker_threads");
parentPort.postMessage((${fn.toString()})(workerData));`, { eval: true, workerData: arg });
  return new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", reject);
  });
}

/** Runs cpuBoundTask(arg) in a child process (this file, forked with "child" and the size) and resolves with its result. */
function inProcess(arg: number): Promise<number> {
  const p = fork(fileURLToPath(import.meta.url), ["child", String(arg)]);
  return new Promise((resolve, reject) => {
    p.once("message", (m) => resolve(m as number));
    p.once("error", reject);
    p.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`child exited with code ${code}`))));
  });
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

if (process.argv[2] === "child") {
  process.send!(cpuBoundTask(Number(process.argv[3])));
  process.disconnect(); // the IPC channel closed: this process can exit
} else {
  const n = Number(process.argv[2] ?? 2e8);
  console.log(`4 tasks of ${n.toLocaleString("en-US")} squares; ${os.availableParallelism()} cores`);

  let start = performance.now();
  const onLoop = await Promise.all([0, 1, 2, 3].map(async () => cpuBoundTask(n)));
  console.log(`Event loop (4 async tasks) CPU-bound: ${seconds(start)}s`); // Python: "Threading CPU-bound"

  start = performance.now();
  const threads = await Promise.all([0, 1, 2, 3].map(() => inThread(cpuBoundTask, n)));
  console.log(`Worker threads CPU-bound: ${seconds(start)}s`);

  start = performance.now();
  const processes = await Promise.all([0, 1, 2, 3].map(() => inProcess(n)));
  console.log(`Multiprocessing CPU-bound: ${seconds(start)}s`);
  console.log(`Results match: ${[...threads, ...processes].every((r) => r === onLoop[0])}`);

  // io_bound_thread: time.sleep(1) four times at once. Waiting never holds the event loop.
  start = performance.now();
  const waits = await Promise.all([0, 1, 2, 3].map(() => new Promise<string>((resolve) => setTimeout(() => resolve("Done"), 1000))));
  console.log(`Four io_bound tasks on the event loop: ${JSON.stringify(waits)} in ${seconds(start)}s`);
}
