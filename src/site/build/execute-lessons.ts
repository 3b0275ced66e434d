import { mkdir, utimes } from "node:fs/promises";
import type { NotebookRun, ProgressEvent } from "../../execute/index.ts";
import type { SiteOptions, SourceNotebook } from "../types.ts";
import type { SitePlan } from "./plan.ts";
import { executedPath } from "./staleness.ts";

/** Options for {@link executeLessons}. */
export interface ExecuteLessonsOptions {
  jobs?: number | undefined;
  timeoutSec?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/**
 * Execute the given lessons into `executedDir` through the embedded executor, `jobs` at a time.
 * Never rejects for one notebook: each run says how it went. A failed run's partial copy is kept (it
 * shows the error on the page) but dated to the epoch, so the next build sees it as stale and runs it
 * again instead of serving the failure as if it were up to date.
 */
export async function executeLessons(
  lessons: SourceNotebook[],
  executedDir: string,
  options: ExecuteLessonsOptions,
): Promise<Map<string, NotebookRun>> {
  const runs = new Map<string, NotebookRun>();
  if (!lessons.length) return runs;
  // Loaded only when something must run: rendering with --no-execute never loads the kernel code.
  const { runNotebooks } = await import("../../execute/index.ts");
  const results = await runNotebooks(
    lessons.map((nb) => ({ input: nb.source, output: executedPath(executedDir, nb) })),
    { jobs: options.jobs, timeoutSec: options.timeoutSec, signal: options.signal, onProgress: options.onProgress },
  );
  for (const [i, run] of results.entries()) {
    const nb = lessons[i]!;
    runs.set(nb.source, run);
    if (!run.ok) await utimes(run.output, new Date(0), new Date(0)).catch(() => undefined);
  }
  return runs;
}

/**
 * The execute stage: run the plan's out-of-date lessons (after telling `onPlan` which and why), or
 * nothing when `execute: false` or every copy is current. Runs keyed by source path.
 */
export async function executeStale(plan: SitePlan, options: SiteOptions): Promise<Map<string, NotebookRun>> {
  if (options.execute === false || !plan.stale.size) return new Map();
  const lessons = plan.notebooks.filter((nb) => plan.stale.has(nb.source));
  options.onPlan?.(lessons.map((notebook) => ({ notebook, reason: plan.stale.get(notebook.source)! })));
  await mkdir(plan.executedDir, { recursive: true });
  return executeLessons(lessons, plan.executedDir, {
    jobs: options.jobs ?? 1,
    timeoutSec: options.timeoutSec,
    signal: options.signal,
    onProgress: options.onExecuteProgress,
  });
}
