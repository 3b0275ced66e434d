import type * as nbformat from "@jupyterlab/nbformat";
import { joinSource } from "../../notebook/index.ts";
import katex from "katex";
import { ansiToHtml } from "./ansi.ts";
import { embedData, escapeHtml, openTag } from "./html.ts";
import type { Markdown, MarkdownEnv } from "./markdown.ts";

/**
 * What rendering an output needs from the page being rendered. An untrusted page carries the
 * sanitiser (loaded only for such pages: sanitize-html and its parsers cost about 0.14 s of CPU to load).
 */
export type OutputContext = { markdown: Markdown; env: MarkdownEnv } & (
  | { trusted: true }
  | { trusted: false; sanitize: (html: string) => string }
);

/**
 * The richest representation first, as JupyterLab picks it. JavaScript runs only from trusted
 * notebooks; an untrusted bundle falls through to its next representation. Widget views and state
 * (`application/vnd.jupyter.widget-*+json`) are not in the list: a static page has no widget manager,
 * so their JSON never reaches the page and the bundle's text/plain is shown.
 */
const ORDER = [
  "application/javascript",
  "text/html",
  "text/markdown",
  "text/latex",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/json",
  "text/plain",
] as const;

const text = (value: unknown): string =>
  Array.isArray(value) ? value.join("") : typeof value === "string" ? value : JSON.stringify(value, null, 2);

/** A width or height from output metadata: a positive number, or a string holding one (JupyterLab reads both); anything else is dropped. */
function dimension(value: unknown): number | undefined {
  const n =
    typeof value === "number" ? value : typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * An image output as an `<img>`: the data embedded by {@link embedData} (base64 checked, so image data
 * cannot close the attribute), width and height as numbers only, and the file name nbconvert's
 * ExtractOutputPreprocessor records (`metadata.filenames`) in the alt text, escaped. Data that is not
 * what it claims gives a note instead of an image.
 */
function image(mime: string, value: unknown, metadata: nbformat.OutputMetadata | undefined): string {
  const src = embedData(mime, value);
  if (!src) return `<p class="output-note">An ${escapeHtml(mime)} output whose data is not valid base64 was left out.</p>`;
  const own = (metadata?.[mime] ?? {}) as { width?: unknown; height?: unknown };
  const filename = (metadata?.["filenames"] as Record<string, unknown> | undefined)?.[mime];
  const alt = typeof filename === "string" ? `output image ${filename.split(/[\\/]/).pop()}` : "output image";
  return openTag("img", { src, alt, width: dimension(own.width), height: dimension(own.height) });
}

function renderMime(
  mime: string,
  value: unknown,
  metadata: nbformat.OutputMetadata | undefined,
  ctx: OutputContext,
): string {
  const body = text(value);
  switch (mime) {
    case "application/javascript":
      return `<script>${body.replace(/<\/(script)/gi, "<\\/$1")}</script>`;
    case "text/html":
      return `<div class="html">${ctx.trusted ? body : ctx.sanitize(body)}</div>`;
    case "text/markdown":
      return `<div class="markdown">${ctx.markdown.render(body, ctx.env)}</div>`;
    case "text/latex": {
      const tex = body.trim().replace(/^\$\$?([\s\S]*?)\$?\$$/, "$1");
      return `<div class="latex">${katex.renderToString(tex, { displayMode: true, throwOnError: false })}</div>`;
    }
    case "image/svg+xml":
      return `<div class="svg">${ctx.trusted ? body : ctx.sanitize(body)}</div>`;
    case "application/json":
      return `<pre class="json">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
    case "text/plain":
      return `<pre>${ansiToHtml(body)}</pre>`;
    default:
      return image(mime, value, metadata);
  }
}

/** The HTML of one mime bundle (`execute_result` / `display_data`). */
export function renderBundle(
  data: nbformat.IMimeBundle,
  metadata: nbformat.OutputMetadata | undefined,
  ctx: OutputContext,
): string {
  for (const mime of ORDER) {
    if (!(mime in data)) continue;
    if (mime === "application/javascript" && !ctx.trusted) continue;
    return renderMime(mime, data[mime], metadata, ctx);
  }
  const other = Object.keys(data).find((m) => m.startsWith("image/") && !m.includes("svg"));
  if (other) return renderMime(other, data[other], metadata, ctx);
  return "";
}

/**
 * Fold what Jupyter keeps in a live session but a stored notebook may still carry: consecutive
 * stream outputs of one name are merged (a kernel flushes stdout in pieces), and an
 * `update_display_data` replaces the data of the earlier display with its `display_id` (so the
 * page shows the final state) and disappears.
 */
export function foldOutputs(
  outputs: nbformat.IOutput[],
  displays: Map<string, nbformat.IDisplayData[]>,
): nbformat.IOutput[] {
  const folded: nbformat.IOutput[] = [];
  for (const output of outputs) {
    const id = (output["transient"] as { display_id?: unknown } | undefined)?.display_id;
    if (output.output_type === "update_display_data") {
      for (const target of typeof id === "string" ? (displays.get(id) ?? []) : []) {
        target.data = (output as nbformat.IDisplayUpdate).data;
        target.metadata = (output as nbformat.IDisplayUpdate).metadata;
      }
      continue;
    }
    const last = folded.at(-1);
    if (
      output.output_type === "stream" &&
      last?.output_type === "stream" &&
      (last as nbformat.IStream).name === (output as nbformat.IStream).name
    ) {
      folded[folded.length - 1] = {
        ...last,
        text: text((last as nbformat.IStream).text) + text((output as nbformat.IStream).text),
      } as nbformat.IStream;
      continue;
    }
    const copy = { ...output } as nbformat.IOutput;
    if (output.output_type === "display_data" && typeof id === "string") {
      displays.set(id, [...(displays.get(id) ?? []), copy as nbformat.IDisplayData]);
    }
    folded.push(copy);
  }
  return folded;
}

/** The HTML of one output (after folding). */
export function renderOutput(output: nbformat.IOutput, ctx: OutputContext): string {
  switch (output.output_type) {
    case "stream": {
      const stream = output as nbformat.IStream;
      const name = stream.name === "stderr" ? "stderr" : "stdout";
      return `<div class="output stream ${name}"><pre>${ansiToHtml(joinSource(stream.text))}</pre></div>`;
    }
    case "error": {
      const error = output as nbformat.IError;
      const trace = error.traceback?.length ? error.traceback.join("\n") : `${error.ename}: ${error.evalue}`;
      return `<div class="output error" role="alert"><pre>${ansiToHtml(trace)}</pre></div>`;
    }
    case "execute_result":
    case "display_data": {
      const bundle = output as nbformat.IExecuteResult | nbformat.IDisplayData;
      const html = renderBundle(bundle.data ?? {}, bundle.metadata, ctx);
      return html
        ? `<div class="output ${output.output_type === "execute_result" ? "result" : "display"}">${html}</div>`
        : "";
    }
    default:
      return "";
  }
}
