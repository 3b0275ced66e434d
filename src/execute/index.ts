/** The notebook executor behind `tsnb run`: notebooks in, executed notebooks out. */
import os from "node:os";
import pLimit from "p-limit";
import path from "node:path";
import { startKernel } from "../kernel/index.ts";
import type { KernelSession } from "../kernel/session.ts";
import { runNotebook } from "./run-notebook.ts";
import type { NotebookJob, NotebookRun, RunOptions } from "./types.ts";

export type { RunOptions, NotebookJob, NotebookRun, ProgressEvent, CellStatus } from "./types.ts";
export { runNotebook } from "./run-notebook.ts";

function validateJobs(jobs: unknown): number {
  if (jobs === undefined) return 1;
  if (typeof jobs !== "number" || !Number.isInteger(jobs) || jobs < 1)
    throw new TypeError(`Expected \`jobs\` to be an integer from 1 up, got \`${String(jobs)}\` (${typeof jobs})`);
  return jobs;
}

function validateSeconds(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !(value > 0))
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds above 0, got \`${String(value)}\` (${typeof value})`,
    );
}

/**
 * Execute notebooks, `jobs` at a time, one kernel each (working directory: the notebook's folder).
 * Resolves with one NotebookRun per job, in input order; one notebook's failure never rejects it.
 * With `jobs` above 1 and more cores than jobs, the kernel of the next notebook starts while the
 * others run (tslab takes about a second to start), so a slot never waits for a cold kernel.
 * @throws TypeError for invalid options (before anything runs).
 * @example
 * const [run] = await runNotebooks([{ input: "a.ipynb", output: "build/a.ipynb" }], { timeoutSec: 30 });
 * if (!run.ok) console.error(run.error?.message);
 */
export async function runNotebooks(jobs: NotebookJob[], options: RunOptions = {}): Promise<NotebookRun[]> {
  const parallel = validateJobs(options.jobs);
  validateSeconds("timeoutSec", options.timeoutSec);
  validateSeconds("startTimeoutSec", options.startTimeoutSec);
  const live = new Set<KernelSession>();
  const shutdowns: Promise<void>[] = [];
  // Ctrl-C or a caller's abort: shut every kernel down now; the cell in flight then ends as `died`
  // and its run reports RunAbortedError (the signal is checked after each cell).
  const onAbort = () => {
    for (const k of live) shutdowns.push(k.shutdown());
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const start = (job: NotebookJob): Promise<KernelSession> => {
    const pending = startKernel({
      cwd: path.dirname(path.resolve(job.input)),
      startTimeoutSec: options.startTimeoutSec,
      server: options.server,
      signal: options.signal,
    }).then((k) => {
      live.add(k);
      // A kernel that finished starting after the abort was signalled: nobody will run it.
      if (options.signal?.aborted) shutdowns.push(k.shutdown());
      return k;
    });
    pending.catch(() => undefined);
    return pending;
  };
  const prestarted = new Map<number, Promise<KernelSession>>();
  const results: NotebookRun[] = new Array(jobs.length);
  const limit = pLimit(parallel);
  const spare = parallel > 1 && os.availableParallelism() > parallel;
  /** The notebook that starts next: p-limit starts queued calls in the order they were queued. */
  const following = () => (limit.pendingCount > 0 ? jobs.length - limit.pendingCount : undefined);
  const runOne = async (job: NotebookJob, i: number) => {
    // Warm spare: with several slots and a core to spare, once this kernel is up, start the
    // following notebook's kernel, so its start overlaps the cells running here. Not before, and not
    // without a free core: a kernel start keeps about 1.3 cores busy (V8's helper threads), so on 2
    // cores with 2 slots a third starting kernel only slows the others (measured: 8 notebooks 7.3 s
    // with a spare, 6.4 s without).
    const kernel = async () => {
      const mine = prestarted.get(i) ?? start(job);
      prestarted.delete(i);
      const session = await mine;
      const n = following();
      if (spare && n !== undefined && !prestarted.has(n) && !options.signal?.aborted)
        prestarted.set(n, start(jobs[n]!));
      return session;
    };
    let session: KernelSession | undefined;
    results[i] = await runNotebook(job, async () => (session = await kernel()), options);
    if (session) {
      const k = session;
      shutdowns.push(k.shutdown().finally(() => live.delete(k)));
    }
  };
  try {
    await Promise.all(jobs.map((job, i) => limit(() => runOne(job, i))));
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    for (const pending of prestarted.values())
      shutdowns.push(
        pending.then(
          (k) => k.shutdown(),
          () => undefined,
        ),
      );
    await Promise.allSettled(shutdowns);
  }
  return results;
}
