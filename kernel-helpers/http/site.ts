/**
 * The small crawlable site the test server serves under `/site/`: an index linking twelve pages that link
 * each other (a cycle), with relative and absolute links, a `#fragment` link, a 404, a slow page and an
 * external link a crawler must not follow. Deterministic, so graders can count what a crawler should find.
 */

/** How many pages `/site/page/N` has (1..SITE_PAGES). */
export const SITE_PAGES = 12;

function page(title: string, body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The HTML of `/site/` (the index). */
export function siteIndex(base: string): string {
  const links = Array.from({ length: SITE_PAGES }, (_, i) => `<li><a href="/site/page/${i + 1}">Page ${i + 1}</a></li>`);
  return page(
    "Site index",
    `<h1>Site index</h1>\n<p>A small site to crawl. Start here.</p>\n<ul>\n${links.join("\n")}\n</ul>\n<p><a href="${base}/site/">This index, absolute</a></p>`,
  );
}

/** The HTML of `/site/page/n`, or undefined when n is out of range. */
export function sitePage(n: number, base: string): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > SITE_PAGES) return undefined;
  const next = (n % SITE_PAGES) + 1; // the last page links back to the first: a cycle
  const prev = n === 1 ? SITE_PAGES : n - 1;
  const links = [
    `<a href="${next}">next (relative)</a>`,
    `<a href="${base}/site/page/${prev}">previous (absolute)</a>`,
    `<a href="../">index (relative, up)</a>`,
    `<a href="#section-2">section 2 (fragment)</a>`,
  ];
  if (n === 3) links.push(`<a href="/site/missing">a broken link (404)</a>`);
  if (n === 5) links.push(`<a href="/delay/0.3">a slow page</a>`);
  if (n === 7) links.push(`<a href="http://example.invalid/">an external site (do not follow)</a>`);
  return page(
    `Page ${n}`,
    `<h1>Page ${n}</h1>\n<p>This is page ${n} of ${SITE_PAGES}.</p>\n<p>${links.join(" | ")}</p>\n<h2 id="section-2">Section 2</h2>\n<p>More text on page ${n}.</p>`,
  );
}

/** The HTML of `/html/:title`. */
export function titledPage(title: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p>First paragraph of ${escapeHtml(title)}.</p>\n<p>Second paragraph.</p>\n<p>Third paragraph, with <a href="/site/">a link to the site</a>.</p>`,
  );
}
