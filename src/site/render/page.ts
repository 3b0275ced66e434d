import type { Heading, PageLink } from "../types.ts";
import { escapeHtml } from "./html.ts";

/** Everything one page of the site shows around a rendered notebook. */
export interface PageParts {
  siteTitle: string;
  title: string;
  /** The path from this page to the site root: "" or "../". */
  root: string;
  body: string;
  headings?: Heading[];
  prev?: PageLink | undefined;
  next?: PageLink | undefined;
  /** HTML shown above the notebook (download link, JupyterLab hint, failure banner). */
  tools?: string;
}

function outline(headings: Heading[]): string {
  const items = headings.filter((h) => h.level === 2 || h.level === 3);
  if (!items.length) return "";
  const lis = items
    .map((h) => `<li class="level-${h.level}"><a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a></li>`)
    .join("");
  return `<details class="outline" open><summary>On this page</summary><ul>${lis}</ul></details>`;
}

function pager(root: string, prev?: PageLink, next?: PageLink): string {
  if (!prev && !next) return "";
  const link = (l: PageLink, cls: string, label: string) =>
    `<a class="${cls}" rel="${cls}" href="${escapeHtml(root + l.href)}"><small>${label}</small>${escapeHtml(l.title)}</a>`;
  return `<nav class="pager" aria-label="Previous and next">${prev ? link(prev, "prev", "← Previous") : ""}${next ? link(next, "next", "Next →") : ""}</nav>`;
}

/**
 * A whole HTML page. Every URL in it is relative (`root` + path), so the site works from `file://`,
 * from `tsnb serve` and from any sub-path of a web server.
 */
export function page(parts: PageParts): string {
  const { root } = parts;
  const r = escapeHtml(root);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(parts.title === parts.siteTitle ? parts.title : `${parts.title} · ${parts.siteTitle}`)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${r}assets/katex/katex.min.css">
<link rel="stylesheet" href="${r}assets/site.css">
</head>
<body data-root="${r}">
<header class="topbar">
<a class="home" href="${r}index.html">${escapeHtml(parts.siteTitle)}</a>
<div class="search" role="search"><input type="search" id="search" placeholder="Search the lesson ( / )" aria-label="Search the lesson" autocomplete="off"><ol id="search-results" hidden></ol></div>
</header>
<div class="layout">
${outline(parts.headings ?? [])}
<main>
${parts.tools ?? ""}
${parts.body}
${pager(root, parts.prev, parts.next)}
</main>
</div>
<script src="${r}assets/minisearch.js"></script>
<script src="${r}assets/search-index.js"></script>
<script src="${r}assets/site.js"></script>
<script src="${r}assets/live/loader.js"></script>
</body>
</html>
`;
}
