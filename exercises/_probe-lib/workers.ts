/**
 * Runs inside the grading sandbox, next to the submission (compiled to probe-lib/workers.js): start
 * worker threads that load the submission themselves and wait at a start barrier, so their work
 * overlaps. Without the barrier a worker's 20-25 ms start is longer than a short loop, workers run
 * one after another and a race never shows.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";

/** What a contending worker's body receives: the submission's exports and the per-worker data. */
export interface WorkerJob {
  /** Worker source: a function body run with `(sub, data, index)` after the barrier opens; may return a promise. */
  body: string;
  /** Passed to every worker (structured clone; SharedArrayBuffers are shared). */
  data: unknown;
  workers: number;
  /** The sandbox folder (the probe's ctx.workdir): workers require `submission.js` from there. */
  workdir: string;
}

const PRELUDE = `
const { workerData, parentPort } = require("node:worker_threads");
const sub = require(workerData.submission);
const gate = new Int32Array(workerData.gate);
const body = new Function("sub", "data", "index", workerData.body);
Atomics.add(gate, 0, 1);
Atomics.notify(gate, 0);
// Wait for the main thread to open the gate: every worker starts its loop at the same moment.
while (Atomics.load(gate, 1) === 0) Atomics.wait(gate, 1, 0);
Promise.resolve(body(sub, workerData.data, workerData.index)).then(
  (value) => parentPort.postMessage({ ok: true, value }),
  (error) => parentPort.postMessage({ ok: false, error: String(error && error.stack || error) }),
);
`;

/** Start `workers` workers behind a barrier, open it when all are ready, resolve with their results in order. */
export async function contend(job: WorkerJob): Promise<unknown[]> {
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const submission = path.join(job.workdir, "submission.js");
  const results = Array.from({ length: job.workers }, (_, index) => {
    const worker = new Worker(PRELUDE, {
      eval: true,
      workerData: { gate: gate.buffer, submission, body: job.body, data: job.data, index },
    });
    return new Promise<unknown>((resolve, reject) => {
      worker.once("message", (m: { ok: boolean; value?: unknown; error?: string }) => {
        void worker.terminate();
        if (m.ok) resolve(m.value);
        else reject(new Error(`in a worker thread: ${m.error}`));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`a worker thread exited (code ${code}) before finishing`)));
    });
  });
  results.forEach((p) => p.catch(() => {}));
  while (Atomics.load(gate, 0) < job.workers) await new Promise((r) => setTimeout(r, 2));
  Atomics.store(gate, 1, 1);
  Atomics.notify(gate, 1);
  return Promise.all(results);
}
