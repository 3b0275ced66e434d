import type * as nbformat from "@jupyterlab/nbformat";
import type { HighlighterCore } from "shiki/core";
import { joinSource } from "../../notebook/index.ts";
import type { RenderedNotebook, Section } from "../types.ts";
import { getHighlighter, highlight, loadLanguages } from "./highlight.ts";
import { escapeHtml, openTag } from "./html.ts";
import { createMarkdown, newEnv, type Markdown } from "./markdown.ts";
import { foldOutputs, renderOutput, type OutputContext } from "./outputs.ts";

/** Options of {@link renderNotebook}. */
export interface RenderOptions {
  /**
   * Whether the notebook is the project's own: then HTML, SVG and JavaScript outputs and raw HTML in
   * markdown are kept as written. `false` (a learner's submission) sanitises them.
   */
  trusted: boolean;
  /** Title when the notebook has no heading. @default "Notebook" */
  fallbackTitle?: string;
}

const markdowns = new WeakMap<HighlighterCore, { trusted: Markdown; untrusted: Markdown }>();

function markdownFor(highlighter: HighlighterCore, trusted: boolean): Markdown {
  let pair = markdowns.get(highlighter);
  if (!pair) {
    pair = { trusted: createMarkdown(highlighter, true), untrusted: createMarkdown(highlighter, false) };
    markdowns.set(highlighter, pair);
  }
  return trusted ? pair.trusted : pair.untrusted;
}

/** Markdown source to searchable words: markup characters and URLs dropped. */
function plainText(markdown: string): string {
  return markdown
    .replace(/<[^>]+>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[#*_`>|~]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The info strings of the fenced code blocks in a notebook's markdown (cells and `text/markdown` outputs). */
function fenceLanguages(nb: nbformat.INotebookContent): Set<string> {
  const found = new Set<string>();
  const scan = (markdown: unknown) => {
    const text = Array.isArray(markdown) ? markdown.join("") : typeof markdown === "string" ? markdown : "";
    for (const m of text.matchAll(/^[ \t]*(?:```|~~~)[ \t]*([\w+-]+)/gm)) found.add(m[1]!);
  };
  for (const cell of nb.cells) {
    if (cell.cell_type === "markdown") scan(cell.source);
    else if (cell.cell_type === "code")
      for (const output of (cell as nbformat.ICodeCell).outputs ?? [])
        scan((output as { data?: Record<string, unknown> }).data?.["text/markdown"]);
  }
  return found;
}

function notebookLanguage(nb: nbformat.INotebookContent): string {
  const info = nb.metadata.language_info?.name ?? nb.metadata.kernelspec?.language;
  return typeof info === "string" ? info : "typescript";
}

/**
 * The opening tag of a cell's wrapper, the page's stable hook for scripts that work on cells:
 * `<div class="cell code celltag_slow" id="cell-4" data-cell-index="3">`. `class` carries the cell
 * type (`markdown`, `code`, `raw`, or `other` for a type from a newer nbformat) and, as nbconvert
 * does, `celltag_<tag>` per cell tag (a tag holding whitespace is dropped, not split); code cells get
 * `id="cell-N"` (1-based over all cells, as the executor's messages count: "cell 4: TypeError ...");
 * `data-cell-index` is the 0-based index into the notebook's `cells`.
 */
function cellOpen(cell: nbformat.ICell, index: number): string {
  const type = ["markdown", "code", "raw"].includes(cell.cell_type) ? cell.cell_type : "other";
  const tags = (cell.metadata as { tags?: unknown } | undefined)?.tags;
  const tagClasses = Array.isArray(tags) ? tags.filter((t) => typeof t === "string").map((t) => `celltag_${t}`) : [];
  return openTag("div", {
    class: ["cell", type, ...tagClasses],
    id: type === "code" ? `cell-${index + 1}` : undefined,
    "data-cell-index": index,
  });
}

/** Render a notebook with everything it needs, for the site builder. */
export async function renderNotebookDetailed(
  nb: nbformat.INotebookContent,
  options: RenderOptions,
): Promise<RenderedNotebook> {
  const highlighter = await getHighlighter();
  await loadLanguages(highlighter, [notebookLanguage(nb), ...fenceLanguages(nb)]);
  const markdown = markdownFor(highlighter, options.trusted);
  const env = newEnv();
  const ctx: OutputContext = options.trusted
    ? { trusted: true, markdown, env }
    : { trusted: false, markdown, env, sanitize: (await import("./sanitize.ts")).sanitize };
  const language = notebookLanguage(nb);
  const displays = new Map<string, nbformat.IDisplayData[]>();
  const sections: Section[] = [{ id: "", heading: "", text: "" }];
  const addText = (t: string): void => {
    const section = sections.at(-1)!;
    if (t) section.text += (section.text ? " " : "") + t;
  };

  // Fold every cell first: an update_display_data may target a display of an earlier cell.
  const cells = nb.cells.map((cell) =>
    cell.cell_type === "code"
      ? { cell, outputs: foldOutputs((cell as nbformat.ICodeCell).outputs ?? [], displays) }
      : { cell, outputs: [] },
  );

  const parts: string[] = [];
  for (const [index, { cell, outputs }] of cells.entries()) {
    const source = joinSource(cell.source);
    if (cell.cell_type === "markdown") {
      env.attachments = (cell as nbformat.IMarkdownCell).attachments as typeof env.attachments;
      const before = env.headings.length;
      const html = markdown.render(source, env);
      env.attachments = undefined;
      // Search sections follow the headings: text before a cell's first heading joins the previous one.
      const lines = source.split("\n");
      let buffer: string[] = [];
      let headingIndex = before;
      for (const line of lines) {
        if (/^#{1,6}\s/.test(line) && env.headings[headingIndex]) {
          addText(plainText(buffer.join("\n")));
          buffer = [];
          const h = env.headings[headingIndex]!;
          sections.push({ id: h.id, heading: h.text, text: "" });
          headingIndex += 1;
        } else buffer.push(line);
      }
      addText(plainText(buffer.join("\n")));
      parts.push(`${cellOpen(cell, index)}${html}</div>`);
    } else if (cell.cell_type === "code") {
      const count = (cell as nbformat.ICodeCell).execution_count;
      // An integer or nothing: a malformed notebook's string count is not markup.
      const shown = typeof count === "number" && Number.isInteger(count) ? count : " ";
      const prompt = `<div class="prompt" aria-hidden="true">[${shown}]:</div>`;
      const input = `<div class="input">${prompt}${highlight(highlighter, source, language)}</div>`;
      const rendered = outputs.map((o) => renderOutput(o, ctx)).join("");
      addText(source.replace(/\s+/g, " "));
      parts.push(`${cellOpen(cell, index)}${input}${rendered ? `<div class="outputs">${rendered}</div>` : ""}</div>`);
    } else {
      // A raw cell (or a cell type from a newer nbformat) is shown as text, whatever its raw_mimetype says.
      parts.push(`${cellOpen(cell, index)}<pre>${escapeHtml(source)}</pre></div>`);
    }
  }
  const first = env.headings.find((h) => h.level === 1) ?? env.headings[0];
  return {
    html: `<article class="notebook">${parts.join("\n")}</article>`,
    title: first?.text ?? options.fallbackTitle ?? "Notebook",
    headings: env.headings,
    sections: sections.filter((s) => s.id || s.text),
    images: [...env.images],
  };
}

/**
 * Render a notebook's cells and outputs to an HTML fragment (`<article class="notebook">`), styled by
 * the site's stylesheet.
 *
 * @example
 * // a learner's submission on a feedback page: no script survives
 * const html = await renderNotebook(await readNotebook("submission.ipynb"), { trusted: false });
 */
export async function renderNotebook(nb: nbformat.INotebookContent, options: RenderOptions): Promise<string> {
  return (await renderNotebookDetailed(nb, options)).html;
}
