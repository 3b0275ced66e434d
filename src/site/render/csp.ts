import { randomBytes } from "node:crypto";

/**
 * A fresh nonce for one build's pages: the site's own `<script>` tags carry it, so on a page with the
 * policy below no other script runs, whatever got into the HTML. Random per build, so a notebook
 * written before the build cannot know it (Chromium also hides the `nonce` attribute from the DOM).
 */
export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

/**
 * The Content-Security-Policy of a page rendered from untrusted notebooks: the second wall behind the
 * sanitiser. Script only from tags carrying `nonce` (the site's own), nothing inline, no `eval`;
 * styles, images and fonts only from the site itself (images also from `data:` URLs, which is how
 * outputs are embedded); no fetch, frame, worker, plugin, form target or `<base>`. Nothing remote
 * loads, so a sanitised page cannot beacon to a server either. Inline `style` attributes stay
 * allowed: highlighting and KaTeX colour with them, and CSS runs no script.
 *
 * A page that needs more (a worker, a connection) adds its directive here, for every untrusted page.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
