import { copyFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as nbformat from "@jupyterlab/nbformat";
import type { NotebookRun, ProgressEvent } from "../execute/index.ts";
import { NotebookFormatError } from "../errors.ts";
import { formatNotebook, parseNotebook } from "../notebook/index.ts";
import { copyAssets } from "./assets.ts";
import { discoverNotebooks, type SourceNotebook } from "./discover.ts";
import { executedPath, executeLessons, newestMtime, staleReason, type StaleReason } from "./execute-lessons.ts";
import { indexBody } from "./index-page.ts";
import { learnerView } from "./learner-view.ts";
import type { Heading } from "./markdown.ts";
import { pageTools } from "./page-tools.ts";
import { page, type PageLink } from "./page.ts";
import { RenderCache } from "./render-cache.ts";
import type { RenderedNotebook } from "./render-notebook.ts";
import { pageDocs, searchIndexScript, type SearchDoc } from "./search-index.ts";
import { assertReplaceable, makeStaging, swapIn } from "./site-dir.ts";

/** Options of {@link buildSite}. */
export interface SiteOptions {
  /** The project root. @default process.cwd() */
  root?: string;
  /** Lesson notebooks; exercises are in its `exercises/` folder. @default "<root>/notebooks" */
  notebooksDir?: string;
  /** Executed lesson copies. @default "<root>/build/executed" */
  executedDir?: string;
  /** The site. @default "<root>/build/site" */
  outDir?: string;
  /** Execute lessons whose executed copy is out of date. `false` renders what is stored. @default true */
  execute?: boolean;
  /** Execute every lesson, current or not. @default false */
  force?: boolean;
  /**
   * Folders every lesson depends on: a copy older than any file in them is out of date.
   * @default ["<root>/kernel-helpers"]
   */
  dependsOn?: string[];
  /**
   * Notebooks executed in parallel. @default 1: lessons measure speed-ups and start costs, and a
   * second kernel competing for the cores would put wrong figures on the pages.
   */
  jobs?: number;
  /** Per-cell timeout in seconds for execution. @default the executor's (120) */
  timeoutSec?: number;
  /** The site's title. @default "Lesson 18 · Concurrent Programming" */
  title?: string;
  /**
   * Whether the notebooks are the project's own: their HTML, SVG and JavaScript outputs are kept.
   * `false` sanitises them (a site built from learners' notebooks). @default true
   */
  trusted?: boolean;
  /**
   * Where rendered pages are kept between builds (`false`: no cache, every page rendered).
   * @default "<root>/build/cache/site"
   */
  cacheDir?: string | false;
  signal?: AbortSignal;
  /** Which lessons will execute and why, before any runs. */
  onPlan?: (stale: { notebook: SourceNotebook; reason: StaleReason }[]) => void;
  /** Executor progress (per notebook and cell). */
  onExecuteProgress?: (event: ProgressEvent) => void;
}

/**
 * How one page came about. `executed`: run now; `cached`: from an up-to-date executed copy; `stored`:
 * rendered as stored (an exercise, or a lesson not executed); `failed`: execution failed, rendered
 * with the outputs it got; `invalid`: not a readable notebook, no page.
 */
export type PageStatus = "executed" | "cached" | "stored" | "failed" | "invalid";

/** One notebook's page in the built site. */
export interface SitePage {
  kind: "lesson" | "exercise";
  /** Absolute path of the source notebook. */
  source: string;
  /** The source relative to the project root. */
  relative: string;
  /** The page relative to the site root. */
  href: string;
  title: string;
  headings: Heading[];
  status: PageStatus;
  /** Why the lesson was out of date (whether or not it was then executed). */
  stale?: StaleReason;
  /** The file the page was rendered from (the executed copy or the source). */
  renderedFrom?: string;
  error?: string;
  run?: NotebookRun;
}

/** What {@link buildSite} did. */
export interface SiteSummary {
  outDir: string;
  /** Absolute path of index.html, and its file:// URL. */
  index: string;
  url: string;
  pages: SitePage[];
  /** Pages that failed to execute or could not be read. */
  failed: number;
  /** Pages taken from the render cache instead of rendered. */
  cacheHits: number;
  elapsedMs: number;
}

interface Planned {
  nb: SourceNotebook;
  info: SitePage;
  content?: nbformat.INotebookContent;
  result?: RenderedNotebook;
  /** Whether the page came from the render cache. */
  cached?: boolean;
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Read and render one notebook (or take its page from the cache); a notebook that cannot be read or rendered becomes an `invalid` page. */
async function renderOne(
  nb: SourceNotebook,
  info: SitePage,
  trusted: boolean,
  cache: RenderCache | undefined,
): Promise<Planned> {
  try {
    const file = info.renderedFrom!;
    const raw = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new NotebookFormatError(
        file,
        undefined,
        error.code === "ENOENT" ? "no such file" : `cannot read (${error.message})`,
        { cause: error },
      );
    });
    const stored = parseNotebook(file, raw);
    const content = nb.kind === "exercise" ? learnerView(stored) : stored;
    const key = await cache?.key(raw, { trusted, kind: nb.kind });
    let result = key ? await cache!.get(key) : undefined;
    const cached = result !== undefined;
    if (!result) {
      // Loaded on the first miss only: a build served wholly from the cache never loads shiki or KaTeX.
      const { renderNotebookDetailed } = await import("./render-notebook.ts");
      result = await renderNotebookDetailed(content, { trusted, fallbackTitle: nb.name });
      if (key) await cache!.set(key, result);
    }
    return { nb, info: { ...info, title: result.title, headings: result.headings }, content, result, cached };
  } catch (error) {
    return { nb, info: { ...info, status: "invalid", error: (error as Error).message } };
  }
}

/** Copy the relative images a page refers to, only from inside the notebooks folder to the same place in the site. */
async function copyImages(nb: SourceNotebook, images: string[], notebooksDir: string, staging: string): Promise<void> {
  for (const image of images) {
    const from = path.resolve(path.dirname(nb.source), image);
    const to = path.resolve(path.dirname(path.join(staging, nb.href)), image);
    if (!from.startsWith(notebooksDir + path.sep) || !to.startsWith(staging + path.sep) || !(await exists(from)))
      continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
  }
}

/**
 * Build the static site: execute out-of-date lessons (unless `execute: false`), render every lesson
 * from its executed copy and every exercise as the learner gets it (no outputs, never a solution),
 * write one page per notebook, the index with the table of contents, the search index and the
 * assets. The site is staged beside `outDir` and swapped in at the end, so `tsnb serve` never shows
 * half a site. A notebook that fails to execute or to parse never stops the build: its page shows
 * the failure (or it is listed as invalid) and `failed` counts it.
 * @throws UsageError when `outDir` is a non-empty folder that `tsnb site` did not make.
 * @example
 * const summary = await buildSite({ root: ".", execute: false });
 * console.log(summary.url); // file:///…/build/site/index.html
 */
export async function buildSite(options: SiteOptions = {}): Promise<SiteSummary> {
  const started = performance.now();
  const root = path.resolve(options.root ?? process.cwd());
  const notebooksDir = path.resolve(root, options.notebooksDir ?? "notebooks");
  const executedDir = path.resolve(root, options.executedDir ?? "build/executed");
  const outDir = path.resolve(root, options.outDir ?? "build/site");
  const siteTitle = options.title ?? "Lesson 18 · Concurrent Programming";
  const trusted = options.trusted ?? true;
  await assertReplaceable(outDir);

  const notebooks = await discoverNotebooks(root, notebooksDir);
  const lessons = notebooks.filter((nb) => nb.kind === "lesson");
  const dependsOn = await newestMtime(options.dependsOn ?? [path.join(root, "kernel-helpers")]);
  const reasons = new Map<string, StaleReason>();
  for (const nb of lessons) {
    const reason = options.force ? "forced" : await staleReason(nb, executedDir, dependsOn);
    if (reason) reasons.set(nb.source, reason);
  }
  let runs = new Map<string, NotebookRun>();
  if (options.execute !== false && reasons.size) {
    const stale = lessons.filter((nb) => reasons.has(nb.source));
    options.onPlan?.(stale.map((notebook) => ({ notebook, reason: reasons.get(notebook.source)! })));
    await mkdir(executedDir, { recursive: true });
    runs = await executeLessons(stale, executedDir, {
      jobs: options.jobs ?? 1,
      timeoutSec: options.timeoutSec,
      signal: options.signal,
      onProgress: options.onExecuteProgress,
    });
  }

  const cache =
    options.cacheDir === false
      ? undefined
      : new RenderCache(path.resolve(root, options.cacheDir ?? "build/cache/site"));
  // Every notebook is read and rendered first: the neighbours' titles are needed for prev/next links.
  const planned: Planned[] = [];
  for (const nb of notebooks) {
    const run = runs.get(nb.source);
    const copy = executedPath(executedDir, nb);
    const reason = reasons.get(nb.source);
    // Not run now: a copy made from this very source is still shown when only the helpers (or a
    // --force) made it out of date; after a source change its cells no longer match, so the source is.
    const usable = run !== undefined || reason === undefined || reason === "helpers changed" || reason === "forced";
    const fromCopy = nb.kind === "lesson" && usable && (await exists(copy));
    const status: PageStatus = run && !run.ok ? "failed" : !fromCopy ? "stored" : run ? "executed" : "cached";
    const info: SitePage = {
      kind: nb.kind,
      source: nb.source,
      relative: nb.relative,
      href: nb.href,
      title: nb.name,
      headings: [],
      status,
      renderedFrom: fromCopy ? copy : nb.source,
    };
    if (reason) info.stale = reason;
    if (run) info.run = run;
    if (run && !run.ok) info.error = run.error?.message ?? "execution failed";
    planned.push(await renderOne(nb, info, trusted, cache));
  }

  const staging = await makeStaging(outDir);
  try {
    await mkdir(path.join(staging, "exercises"), { recursive: true });
    const shown = planned.filter((p) => p.result);
    const docs: SearchDoc[] = [];
    const link = (j: number): PageLink | undefined =>
      shown[j] ? { href: shown[j]!.nb.href, title: shown[j]!.info.title } : undefined;
    for (const [i, { nb, info, content, result }] of shown.entries()) {
      const rootPrefix = "../".repeat(nb.href.split("/").length - 1);
      const executedDownload =
        nb.kind === "lesson" && info.renderedFrom !== nb.source
          ? nb.download.replace(/\.ipynb$/, ".outputs.ipynb")
          : undefined;
      const tools = pageTools(nb, {
        root: rootPrefix,
        executedDownload,
        failed: info.status === "failed",
        error: info.error,
        failedCell: info.run?.failedCell,
      });
      const prev = link(i - 1) ?? { href: "index.html", title: "Contents" };
      const html = page({
        siteTitle,
        title: info.title,
        root: rootPrefix,
        body: result!.html,
        headings: result!.headings,
        prev,
        next: link(i + 1),
        tools,
      });
      await writeFile(path.join(staging, nb.href), html);
      // An exercise is downloaded as rendered (the learner's view); a lesson as its source, plus the copy with outputs.
      if (nb.kind === "exercise") await writeFile(path.join(staging, nb.download), formatNotebook(content!));
      else await copyFile(nb.source, path.join(staging, nb.download));
      if (executedDownload) await copyFile(info.renderedFrom!, path.join(staging, executedDownload));
      await copyImages(nb, result!.images, notebooksDir, staging);
      docs.push(...pageDocs(docs.length, nb.href, info.title, nb.kind, result!.sections));
    }

    const pages = planned.map((p) => p.info);
    const first = link(0);
    await writeFile(
      path.join(staging, "index.html"),
      page({ siteTitle, title: siteTitle, root: "", body: indexBody(siteTitle, pages), next: first }),
    );
    await copyAssets(staging);
    await writeFile(path.join(staging, "assets", "search-index.js"), searchIndexScript(docs));
    await writeFile(path.join(staging, ".nojekyll"), "");
    await swapIn(staging, outDir);
    await cache?.prune();

    const index = path.join(outDir, "index.html");
    const failed = pages.filter((p) => p.status === "failed" || p.status === "invalid").length;
    const cacheHits = planned.filter((p) => p.cached).length;
    return {
      outDir,
      index,
      url: pathToFileURL(index).href,
      pages,
      failed,
      cacheHits,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
