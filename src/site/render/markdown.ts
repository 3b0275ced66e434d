import katex from "katex";
import MarkdownIt from "markdown-it";
import texmath from "markdown-it-texmath";
import type { HighlighterCore } from "shiki/core";
import type { Heading } from "../types.ts";
import { highlight } from "./highlight.ts";
import { attributes, embedData, openTag } from "./html.ts";

/** Per-page state threaded through markdown-it's `env`. */
// A type alias, not an interface: markdown-it's `env` is an index signature, which only aliases satisfy.
export type MarkdownEnv = {
  /** Headings in order (ids unique on the page). */
  headings: Heading[];
  /** Ids already used on the page. */
  ids: Set<string>;
  /** Relative image paths the page refers to (the site builder copies them beside the page). */
  images: Set<string>;
  /** The current cell's attachments (`![x](attachment:name.png)`). */
  attachments?: Record<string, Record<string, unknown>> | undefined;
};

/** A fresh `env` for one page. */
export function newEnv(): MarkdownEnv {
  return { headings: [], ids: new Set(), images: new Set() };
}

/** A GitHub-like slug, unique on the page. */
export function slug(text: string, ids: Set<string>): string {
  const base =
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s+/g, "-") || "section";
  let id = base;
  for (let n = 1; ids.has(id); n += 1) id = `${base}-${n}`;
  ids.add(id);
  return id;
}

/** Percent-decoded text, or the text as written when it is not valid percent-encoding. */
function safeDecode(text: string, decode: (text: string) => string = decodeURIComponent): string {
  try {
    return decode(text);
  } catch {
    return text;
  }
}

const isRelative = (url: string): boolean => !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(url);

/**
 * A markdown-it configured as Jupyter renders notebook markdown: CommonMark + GFM tables and
 * strikethrough, bare URLs linked, `$…$`, `$$…$$`, `\(…\)`, `\[…\]` and `\begin{…}` math typeset by
 * KaTeX at build time, fenced code highlighted by shiki, headings given ids and anchors, links to
 * other notebooks (`02-x.ipynb`) pointed at their pages, and `attachment:` images inlined.
 *
 * `trusted: false` turns raw HTML off (it is shown as text, never parsed): with markdown-it's own
 * link validation (no `javascript:`, `vbscript:`, `file:` or non-image `data:` URLs) nothing a
 * learner writes in markdown can run in a reader's browser.
 */
export function createMarkdown(highlighter: HighlighterCore, trusted: boolean) {
  const md = new MarkdownIt({
    html: trusted,
    linkify: true,
    typographer: false,
    highlight: (code, lang) => highlight(highlighter, code.replace(/\n$/, ""), lang),
  });
  // Every attribute markdown-it writes (links, images, heading ids, code classes) goes through the
  // site's one attribute builder: escaped, no handlers, only safe URLs.
  md.renderer.renderAttrs = (token) => attributes(Object.fromEntries(token.attrs ?? []));
  md.use(texmath, {
    engine: katex,
    delimiters: ["dollars", "brackets", "beg_end"],
    katexOptions: { throwOnError: false, output: "htmlAndMathml" },
  });

  md.renderer.rules["heading_open"] = (tokens, idx, options, pageEnv, self) => {
    const env = pageEnv as unknown as MarkdownEnv;
    const token = tokens[idx]!;
    const inline = tokens[idx + 1];
    const text =
      inline?.children?.map((t) => (t.type === "text" || t.type === "code_inline" ? t.content : "")).join("") ??
      inline?.content ??
      "";
    const id = slug(text, env.ids);
    env.headings.push({ level: Number(token.tag.slice(1)), text, id });
    token.attrSet("id", id);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules["heading_close"] = (tokens, idx, options, _env, self) => {
    const open = tokens[idx - 2];
    const id = open?.attrGet("id");
    // attrGet is typed string | number
    const anchor =
      id !== undefined && id !== null
        ? `${openTag("a", { class: "anchor", href: `#${String(id)}`, "aria-label": "Link to this section" })}¶</a>`
        : "";
    return anchor + self.renderToken(tokens, idx, options);
  };

  const defaultLink =
    md.renderer.rules["link_open"] ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules["link_open"] = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = String(token.attrGet("href") ?? "");
    if (isRelative(href)) token.attrSet("href", href.replace(/\.ipynb(?=$|[?#])/, ".html"));
    else if (/^https?:/i.test(href)) token.attrSet("rel", "noopener noreferrer");
    return defaultLink(tokens, idx, options, env, self);
  };

  const defaultImage = md.renderer.rules["image"]!;
  md.renderer.rules["image"] = (tokens, idx, options, pageEnv, self) => {
    const env = pageEnv as unknown as MarkdownEnv;
    const token = tokens[idx]!;
    const src = String(token.attrGet("src") ?? "");
    const name = /^attachment:(.+)$/.exec(src)?.[1];
    if (name !== undefined) {
      const bundle = env.attachments?.[safeDecode(name)];
      const mime = bundle && Object.keys(bundle).find((m) => m.startsWith("image/"));
      // Attachment data is embedded only when it is what it claims (embedData); otherwise the image has no src.
      const src = mime ? embedData(mime, bundle[mime]) : undefined;
      if (src) token.attrSet("src", src);
      else token.attrs = (token.attrs ?? []).filter(([attr]) => attr !== "src");
    } else if (isRelative(src) && src !== "") {
      env.images.add(safeDecode(src.split(/[?#]/)[0]!, decodeURI));
    }
    token.attrSet("loading", "lazy");
    return defaultImage(tokens, idx, options, pageEnv, self);
  };
  return md;
}

/** A configured markdown-it instance. */
export type Markdown = ReturnType<typeof createMarkdown>;
