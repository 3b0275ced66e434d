import { stat } from "node:fs/promises";
import path from "node:path";
import { walkFiles } from "../../fs-walk.ts";
import type { SourceNotebook, StaleReason } from "../types.ts";

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
