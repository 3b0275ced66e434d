// The Python lesson's 01/thread.py on Node: five worker threads, each sleeping 2 s.
// Run: cd examples/01 && npx tsx thread.ts        (Node 22.6+: node --experimental-strip-types thread.ts)
import { Worker } from "node:worker_threads";

/** Thread worker function. It runs in a worker thread: its source text travels there, not the function. */
function worker(number: number): void {
  console.log(`Worker ${number} is running`);
  // time.sleep(2): Atomics.wait blocks the calling thread only; in a worker that blocks nobody else.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  console.log(`Worker ${number} has finished`);
}

/**
 * Thread(target=worker, args=(i,)).start(): a new thread, with its own event loop and V8 isolate, in this
 * process. Its code is source text (eval: true); its argument is copied into it as workerData.
 * The returned promise is t.join(): it settles when the thread exits. The listeners are attached now,
 * at the start: an "exit" event that fires before anyone listens is lost.
 */
function startThread(target: (arg: number) => void, arg: number): Promise<void> {
  const t = new Worker(`(${target.toString()})(require("node:worker_threads").workerData);`, { eval: true, workerData: arg });
  return new Promise((resolve, reject) => {
    t.once("error", reject); // the target threw: join() rejects with its error
    t.once("exit", () => resolve());
  });
}

const threads: Promise<void>[] = [];
for (let i = 0; i < 5; i++) threads.push(startThread(worker, i));
for (const t of threads) await t;
