import type * as nbformat from "@jupyterlab/nbformat";

/**
 * Serialise a notebook the way Jupyter writes it (nbformat's `writes`): keys sorted, 1-space indent,
 * multi-line strings split into lists of lines, a trailing newline. Diffs against notebooks saved by
 * JupyterLab stay small.
 */
export function formatNotebook(nb: nbformat.INotebookContent): string {
  return `${JSON.stringify(splitLines(structuredClone(nb)), sortedKeys, 1)}\n`;
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
    return sorted;
  }
  return value;
}

/** Python's `str.splitlines(True)` for the line endings nbformat meets. */
export function splitKeepEnds(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/** Join a multiline string field as stored (string or list of strings). */
export function joinSource(source: nbformat.MultilineString | undefined): string {
  if (source === undefined) return "";
  return Array.isArray(source) ? source.join("") : source;
}

const NON_TEXT_SPLIT = new Set(["application/javascript", "image/svg+xml"]);

function splitBundle(bundle: Record<string, unknown> | undefined): void {
  if (!bundle) return;
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" && (mime.startsWith("text/") || NON_TEXT_SPLIT.has(mime))) {
      bundle[mime] = splitKeepEnds(value);
    }
  }
}

function splitLines(nb: nbformat.INotebookContent): nbformat.INotebookContent {
  for (const cell of nb.cells) {
    if (typeof cell.source === "string") cell.source = splitKeepEnds(cell.source);
    if (cell.cell_type !== "code") continue;
    for (const output of (cell as nbformat.ICodeCell).outputs ?? []) {
      const o = output as Record<string, unknown>;
      if (typeof o["text"] === "string") o["text"] = splitKeepEnds(o["text"]);
      splitBundle(o["data"] as Record<string, unknown> | undefined);
    }
  }
  return nb;
}
