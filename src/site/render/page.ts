import type { Heading, PageLink } from "../types.ts";
import { contentSecurityPolicy } from "./csp.ts";
import { escapeHtml, openTag, pathUrl } from "./html.ts";

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
  /**
   * Set for a site built from untrusted notebooks: the page carries {@link contentSecurityPolicy}
   * and the site's own scripts this nonce, so no other script runs. One nonce per build ({@link newNonce}).
   */
  nonce?: string | undefined;
}

/**
 * The site's own scripts, loaded at the end of every page in this order (relative to the site root).
 * A script added here is loaded by every page and, on untrusted pages, carries the nonce.
 */
const SCRIPTS = ["assets/minisearch.js", "assets/search-index.js", "assets/site.js"];

function outline(headings: Heading[]): string {
  const items = headings.filter((h) => h.level === 2 || h.level === 3);
  if (!items.length) return "";
  const lis = items
    .map((h) => `<li class="level-${h.level}">${openTag("a", { href: `#${h.id}` })}${escapeHtml(h.text)}</a></li>`)
    .join("");
  return `<details class="outline" open><summary>On this page</summary><ul>${lis}</ul></details>`;
}

function pager(root: string, prev?: PageLink, next?: PageLink): string {
  if (!prev && !next) return "";
  const link = (l: PageLink, cls: string, label: string) =>
    `${openTag("a", { class: cls, rel: cls, href: root + pathUrl(l.href) })}<small>${label}</small>${escapeHtml(l.title)}</a>`;
  return `<nav class="pager" aria-label="Previous and next">${prev ? link(prev, "prev", "← Previous") : ""}${next ? link(next, "next", "Next →") : ""}</nav>`;
}

/**
 * A whole HTML page. Every URL in it is relative (`root` + path), so the site works from `file://`,
 * from `tsnb serve` and from any sub-path of a web server.
 */
export function page(parts: PageParts): string {
  const { root, nonce } = parts;
  const r = escapeHtml(root);
  // First in <head>: the policy covers only what the parser meets after it.
  const csp = nonce ? `\n${openTag("meta", { "http-equiv": "Content-Security-Policy", content: contentSecurityPolicy(nonce) })}` : "";
  const scripts = SCRIPTS.map((src) => `${openTag("script", { src: root + src, nonce })}</script>`).join("\n");
  // Live cells (src/live/): on trusted pages only; an untrusted page's policy allows no worker and no eval.
  const live = nonce ? "" : `\n${openTag("script", { src: `${root}assets/live/loader.js` })}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">${csp}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(parts.title === parts.siteTitle ? parts.title : `${parts.title} · ${parts.siteTitle}`)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${r}assets/katex/katex.min.css">
<link rel="stylesheet" href="${r}assets/site.css">
</head>
${openTag("body", { "data-root": root })}
<header class="topbar">
${openTag("a", { class: "home", href: `${root}index.html` })}${escapeHtml(parts.siteTitle)}</a>
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
${scripts}${live}
</body>
</html>
`;
}
