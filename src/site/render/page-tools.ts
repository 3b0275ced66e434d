import path from "node:path";
import type { SourceNotebook } from "../types.ts";
import { escapeHtml, openTag, pathUrl } from "./html.ts";

/** What the bar above a notebook needs to know about its page. */
export interface ToolsInfo {
  /** The path from the page to the site root: "" or "../". */
  root: string;
  /** Relative to the site root: the executed copy, offered beside the source (lessons only). */
  executedDownload?: string | undefined;
  failed: boolean;
  /** First line of the execution error, for the banner. */
  error?: string | undefined;
  /** 0-based index into the notebook's cells of the cell that stopped the run. */
  failedCell?: number | undefined;
}

/**
 * The bar above a notebook: a download link for the `.ipynb` (and, for a lesson, its copy with
 * outputs), the command that opens it in JupyterLab, for an exercise the command that checks it, and
 * a banner when the lesson failed to execute.
 */
export function pageTools(nb: SourceNotebook, info: ToolsInfo): string {
  const link = (href: string, label: string) =>
    `${openTag("a", { class: "download", href: info.root + pathUrl(href), download: true })}${escapeHtml(label)}</a>`;
  const downloads = [link(nb.download, `Download ${path.basename(nb.download)}`)];
  if (info.executedDownload) downloads.push(link(info.executedDownload, "with outputs"));
  const command = `npx tsnb kernel install --user && jupyter lab ${nb.relative}`;
  const hint = `<span class="open-hint">Open in JupyterLab: <code>${escapeHtml(command)}</code></span>`;
  const note =
    nb.kind === "exercise"
      ? `<span class="check-hint">The exercise as you get it: solve it in the notebook, then check it with <code>${escapeHtml(`npx tsnb grade ${nb.relative}`)}</code></span>`
      : "";
  const where = info.failedCell !== undefined ? ` (${openTag("a", { href: `#cell-${info.failedCell + 1}` })}go to the cell</a>)` : "";
  const message = info.error ? `: <code>${escapeHtml(info.error.split("\n")[0]!)}</code>` : ".";
  const banner = info.failed
    ? `<div class="banner failed" role="status">This lesson failed to execute when the site was built; it is shown with the outputs it got${message}${where}</div>`
    : "";
  return `<div class="page-tools"><span class="downloads">${downloads.join(" · ")}</span>${hint}${note}</div>${banner}`;
}
