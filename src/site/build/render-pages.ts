import { readFile, stat } from "node:fs/promises";
import type * as nbformat from "@jupyterlab/nbformat";
import type { NotebookRun } from "../../execute/index.ts";
import { NotebookFormatError } from "../../errors.ts";
import { parseNotebook } from "../../notebook/index.ts";
import type { PageStatus, RenderedNotebook, SitePage, SourceNotebook } from "../types.ts";
import { learnerView } from "./learner-view.ts";
import type { SitePlan } from "./plan.ts";
import type { RenderCache } from "./render-cache.ts";
import { executedPath } from "./staleness.ts";

/** One notebook's page after the render stage: its HTML fragment, or none when it could not be read. */
export interface RenderedPage {
  nb: SourceNotebook;
  info: SitePage;
  /** The notebook as rendered (an exercise as the learner gets it). */
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

/**
 * What a notebook's page is rendered from and how it came about. Not run now: a copy made from this
 * very source is still shown when only the helpers (or a --force) made it out of date; after a source
 * change its cells no longer match, so the source is.
 */
async function pageInfo(plan: SitePlan, nb: SourceNotebook, run: NotebookRun | undefined): Promise<SitePage> {
  const copy = executedPath(plan.executedDir, nb);
  const reason = plan.stale.get(nb.source);
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
  return info;
}

/** Read and render one notebook (or take its page from the cache); a notebook that cannot be read or rendered becomes an `invalid` page. */
async function renderOne(
  nb: SourceNotebook,
  info: SitePage,
  trusted: boolean,
  cache: RenderCache | undefined,
): Promise<RenderedPage> {
  try {
    const file = info.renderedFrom!;
    // Bytes, not text: the notebook model rejects what is not UTF-8 (as Jupyter does) rather than
    // replacing it silently.
    const raw = await readFile(file).catch((error: NodeJS.ErrnoException) => {
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
      const { renderNotebookDetailed } = await import("../render/render-notebook.ts");
      result = await renderNotebookDetailed(content, { trusted, fallbackTitle: nb.name });
      if (key) await cache!.set(key, result);
    }
    return { nb, info: { ...info, title: result.title, headings: result.headings }, content, result, cached };
  } catch (error) {
    return { nb, info: { ...info, status: "invalid", error: (error as Error).message } };
  }
}

/**
 * The render stage: every notebook's page, from its executed copy or its source, through the render
 * cache. All are rendered before any is written: a page's prev/next links need its neighbours' titles.
 */
export async function renderPages(
  plan: SitePlan,
  runs: Map<string, NotebookRun>,
  cache: RenderCache | undefined,
): Promise<RenderedPage[]> {
  const pages: RenderedPage[] = [];
  for (const nb of plan.notebooks) {
    const info = await pageInfo(plan, nb, runs.get(nb.source));
    pages.push(await renderOne(nb, info, plan.trusted, cache));
  }
  return pages;
}
