import { copyFile, mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatNotebook } from "../../notebook/index.ts";
import { newNonce } from "../render/csp.ts";
import { indexBody } from "../render/index-page.ts";
import { pageTools } from "../render/page-tools.ts";
import { page } from "../render/page.ts";
import { pageDocs, searchIndexScript, type SearchDoc } from "../render/search-index.ts";
import type { PageLink, SourceNotebook } from "../types.ts";
import { copyAssets } from "./assets.ts";
import type { SitePlan } from "./plan.ts";
import type { RenderedPage } from "./render-pages.ts";
import { makeStaging, swapIn } from "./site-dir.ts";

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

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

/** Write one notebook's page, its downloads and the images it refers to into the staging folder; its search documents. */
async function writePage(
  plan: SitePlan,
  staging: string,
  { nb, info, content, result }: RenderedPage,
  neighbours: { prev: PageLink; next: PageLink | undefined },
  firstDocId: number,
  nonce: string | undefined,
): Promise<SearchDoc[]> {
  const rootPrefix = "../".repeat(nb.href.split("/").length - 1);
  const executedDownload =
    nb.kind === "lesson" && info.renderedFrom !== nb.source ? nb.download.replace(/\.ipynb$/, ".outputs.ipynb") : undefined;
  const tools = pageTools(nb, {
    root: rootPrefix,
    executedDownload,
    failed: info.status === "failed",
    error: info.error,
    failedCell: info.run?.failedCell,
  });
  const html = page({
    siteTitle: plan.siteTitle,
    title: info.title,
    root: rootPrefix,
    body: result!.html,
    headings: result!.headings,
    ...neighbours,
    tools,
    nonce,
  });
  await writeFile(path.join(staging, nb.href), html);
  // An exercise is downloaded as rendered (the learner's view); a lesson as its source, plus the copy with outputs.
  if (nb.kind === "exercise") await writeFile(path.join(staging, nb.download), formatNotebook(content!));
  else await copyFile(nb.source, path.join(staging, nb.download));
  if (executedDownload) await copyFile(info.renderedFrom!, path.join(staging, executedDownload));
  await copyImages(nb, result!.images, plan.notebooksDir, staging);
  return pageDocs(firstDocId, nb.href, info.title, nb.kind, result!.sections);
}

/**
 * The write stage: every readable page, the index with the table of contents, the search index and
 * the assets, staged beside `outDir` and swapped in at the end, so `tsnb serve` never shows half a
 * site. A failure removes the staging folder and leaves the old site in place.
 */
export async function writeSite(plan: SitePlan, rendered: RenderedPage[]): Promise<void> {
  const staging = await makeStaging(plan.outDir);
  // Pages of untrusted notebooks carry a Content-Security-Policy; the site's own scripts this build's nonce.
  const nonce = plan.trusted ? undefined : newNonce();
  try {
    await mkdir(path.join(staging, "exercises"), { recursive: true });
    const shown = rendered.filter((p) => p.result);
    const link = (j: number): PageLink | undefined =>
      shown[j] ? { href: shown[j]!.nb.href, title: shown[j]!.info.title } : undefined;
    const docs: SearchDoc[] = [];
    for (const [i, entry] of shown.entries()) {
      const neighbours = { prev: link(i - 1) ?? { href: "index.html", title: "Contents" }, next: link(i + 1) };
      docs.push(...(await writePage(plan, staging, entry, neighbours, docs.length, nonce)));
    }
    const index = page({
      siteTitle: plan.siteTitle,
      title: plan.siteTitle,
      root: "",
      body: indexBody(
        plan.siteTitle,
        rendered.map((p) => p.info),
      ),
      next: link(0),
      nonce,
    });
    await writeFile(path.join(staging, "index.html"), index);
    await copyAssets(staging);
    await writeFile(path.join(staging, "assets", "search-index.js"), searchIndexScript(docs));
    await writeFile(path.join(staging, ".nojekyll"), "");
    await swapIn(staging, plan.outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
