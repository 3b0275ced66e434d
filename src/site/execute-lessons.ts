import { stat, utimes } from "node:fs/promises";
import path from "node:path";
import { walkFiles } from "../fs-walk.ts";
import type { NotebookRun, ProgressEvent } from "../execute/index.ts";
import type { SourceNotebook } from "./discover.ts";

/** Where a lesson's executed copy lives: `<executedDir>/<name>.ipynb`. */
export function executedPath(executedDir: string, nb: SourceNotebook): string {
  return path.join(executedDir, `${nb.name}.ipynb`);
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** What a lesson can load from the helpers: code and data, not the README. */
const CODE = /\.(ts|mts|cts|js|mjs|cjs|json)$/;

/**
 * The newest modification time of the code files under `dirs` (recursively; `node_modules` and dot
 * folders skipped), or undefined when there is none. Lessons import the kernel helpers, so an
 * executed copy older than the newest helper may show outputs the helpers no longer produce.
 */
export async function newestMtime(dirs: string[]): Promise<number | undefined> {
  let newest: number | undefined;
  const skip = (e: { name: string }) => e.name.startsWith(".") || e.name === "node_modules";
  for (const dir of dirs) {
    for await (const { full, entry } of walkFiles(dir, skip)) {
      if (!CODE.test(entry.name)) continue;
      const m = await mtime(full);
      if (m !== undefined && (newest === undefined || m > newest)) newest = m;
    }
  }
  return newest;
}

/** Why a lesson must run again: its copy is missing, failed last time, or is older than its source or the helpers. */
export type StaleReason = "missing" | "failed before" | "source changed" | "helpers changed" | "forced";

/**
 * Whether a lesson's executed copy is out of date, and why; undefined when it is current.
 * `dependsOn` is the newest modification time of what every lesson depends on (the kernel helpers).
 */
export async function staleReason(
  nb: SourceNotebook,
  executedDir: string,
  dependsOn?: number,
): Promise<StaleReason | undefined> {
  const copy = await mtime(executedPath(executedDir, nb));
  const source = await mtime(nb.source);
  if (copy === undefined) return "missing";
  // executeLessons dates a failed run's copy to the epoch.
  if (copy === 0) return "failed before";
  if (source === undefined || copy < source) return "source changed";
  if (dependsOn !== undefined && copy < dependsOn) return "helpers changed";
  return undefined;
}

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
  const { runNotebooks } = await import("../execute/index.ts");
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
