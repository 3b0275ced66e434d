import path from "node:path";
import { pathToFileURL } from "node:url";
import type { SiteOptions, SiteSummary } from "../types.ts";
import { executeStale } from "./execute-lessons.ts";
import { planSite } from "./plan.ts";
import { RenderCache } from "./render-cache.ts";
import { renderPages } from "./render-pages.ts";
import { writeSite } from "./write-site.ts";

/**
 * Build the static site in four stages: plan (which notebooks, which lessons are out of date),
 * execute (the out-of-date lessons, unless `execute: false`), render (every lesson from its executed
 * copy and every exercise as the learner gets it: no outputs, never a solution; through the render
 * cache) and write (the pages, the index with the table of contents, the search index and the assets,
 * staged and swapped in). A notebook that fails to execute or to parse never stops the build: its
 * page shows the failure (or it is listed as invalid) and `failed` counts it.
 * @throws UsageError when `outDir` is a non-empty folder that `tsnb site` did not make.
 * @example
 * const summary = await buildSite({ root: ".", execute: false });
 * console.log(summary.url); // file:///…/build/site/index.html
 */
export async function buildSite(options: SiteOptions = {}): Promise<SiteSummary> {
  const started = performance.now();
  const plan = await planSite(options);
  const runs = await executeStale(plan, options);
  const cache = plan.cacheDir === undefined ? undefined : new RenderCache(plan.cacheDir);
  const rendered = await renderPages(plan, runs, cache);
  await writeSite(plan, rendered);
  await cache?.prune();

  const index = path.join(plan.outDir, "index.html");
  const pages = rendered.map((p) => p.info);
  return {
    outDir: plan.outDir,
    index,
    url: pathToFileURL(index).href,
    pages,
    failed: pages.filter((p) => p.status === "failed" || p.status === "invalid").length,
    cacheHits: rendered.filter((p) => p.cached).length,
    elapsedMs: performance.now() - started,
  };
}
