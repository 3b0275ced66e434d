import path from "node:path";
import type { SiteOptions, SourceNotebook, StaleReason } from "../types.ts";
import { discoverNotebooks } from "./discover.ts";
import { assertReplaceable } from "./site-dir.ts";
import { newestMtime, staleReason } from "./staleness.ts";

/** What a build will do, decided before anything runs or renders: the folders, the notebooks, which lessons are stale. */
export interface SitePlan {
  root: string;
  notebooksDir: string;
  executedDir: string;
  outDir: string;
  siteTitle: string;
  trusted: boolean;
  /** The render cache's folder, or undefined for no cache. */
  cacheDir: string | undefined;
  /** Lessons then exercises, in file-name order. */
  notebooks: SourceNotebook[];
  /** Lessons whose executed copy is out of date, by source path, with why (whether or not they will run). */
  stale: Map<string, StaleReason>;
}

/**
 * The plan stage: resolve the options against the project root, refuse an output folder the site
 * may not replace, find the notebooks and decide which lessons are out of date.
 * @throws UsageError when `outDir` is a non-empty folder that `tsnb site` did not make.
 */
export async function planSite(options: SiteOptions): Promise<SitePlan> {
  const root = path.resolve(options.root ?? process.cwd());
  const notebooksDir = path.resolve(root, options.notebooksDir ?? "notebooks");
  const executedDir = path.resolve(root, options.executedDir ?? "build/executed");
  const outDir = path.resolve(root, options.outDir ?? "build/site");
  await assertReplaceable(outDir);
  const notebooks = await discoverNotebooks(root, notebooksDir);
  const dependsOn = await newestMtime(options.dependsOn ?? [path.join(root, "kernel-helpers")]);
  const stale = new Map<string, StaleReason>();
  for (const nb of notebooks) {
    if (nb.kind !== "lesson") continue;
    const reason = options.force ? "forced" : await staleReason(nb, executedDir, dependsOn);
    if (reason) stale.set(nb.source, reason);
  }
  return {
    root,
    notebooksDir,
    executedDir,
    outDir,
    siteTitle: options.title ?? "Lesson 18 · Concurrent Programming",
    trusted: options.trusted ?? true,
    cacheDir: options.cacheDir === false ? undefined : path.resolve(root, options.cacheDir ?? "build/cache/site"),
    notebooks,
    stale,
  };
}
