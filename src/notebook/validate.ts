import type * as nbformat from "@jupyterlab/nbformat";
import { NotebookFormatError } from "../errors.ts";

const CELL_TYPES = new Set(["code", "markdown", "raw"]);
const OUTPUT_TYPES = new Set(["stream", "display_data", "execute_result", "error", "update_display_data"]);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function isMultiline(value: unknown): boolean {
  return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
}

/**
 * Check that parsed JSON is an nbformat 4 notebook, enough for every tool here to rely on it.
 * Unknown fields are left alone (they survive a round trip); only what the tools read is checked.
 * @throws NotebookFormatError naming `file` and the place.
 */
export function validateNotebook(file: string, data: unknown): nbformat.INotebookContent {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new NotebookFormatError(file, undefined, `expected a notebook object at the top level, got ${describe(data)}`);
  }
  const nb = data as Record<string, unknown>;
  const major = nb["nbformat"];
  if (major === undefined && Array.isArray(nb["worksheets"])) {
    throw new NotebookFormatError(file, "nbformat", "this is an nbformat 3 notebook (it has `worksheets`); convert it with `jupyter nbconvert --to notebook --nbformat 4`");
  }
  if (typeof major !== "number") {
    throw new NotebookFormatError(file, "nbformat", `missing or not a number (${describe(major)}); is this a Jupyter notebook?`);
  }
  if (major !== 4) {
    throw new NotebookFormatError(file, "nbformat", `nbformat ${major} is not supported; only nbformat 4 is. Convert it with \`jupyter nbconvert --to notebook --nbformat 4\``);
  }
  if (nb["metadata"] !== undefined && (typeof nb["metadata"] !== "object" || nb["metadata"] === null || Array.isArray(nb["metadata"]))) {
    throw new NotebookFormatError(file, "metadata", `expected an object, got ${describe(nb["metadata"])}`);
  }
  if (!("cells" in nb)) throw new NotebookFormatError(file, "cells", "missing: a notebook needs a `cells` array");
  const cells = nb["cells"];
  if (!Array.isArray(cells)) throw new NotebookFormatError(file, "cells", `expected an array, got ${describe(cells)}`);
  cells.forEach((cell: unknown, i) => {
    const where = `cells[${i}]`;
    if (cell === null || typeof cell !== "object" || Array.isArray(cell)) {
      throw new NotebookFormatError(file, where, `expected a cell object, got ${describe(cell)}`);
    }
    const c = cell as Record<string, unknown>;
    if (!CELL_TYPES.has(c["cell_type"] as string)) {
      throw new NotebookFormatError(file, `${where}.cell_type`, `expected "code", "markdown" or "raw", got ${describe(c["cell_type"])}`);
    }
    const kind = `${where} (${String(c["cell_type"])} cell)`;
    if (!("source" in c)) throw new NotebookFormatError(file, kind, "missing `source`");
    if (!isMultiline(c["source"])) {
      throw new NotebookFormatError(file, `${kind}.source`, `expected a string or a list of strings, got ${describe(c["source"])}`);
    }
    if (c["cell_type"] === "code" && c["outputs"] !== undefined) {
      if (!Array.isArray(c["outputs"])) throw new NotebookFormatError(file, `${kind}.outputs`, `expected an array, got ${describe(c["outputs"])}`);
      (c["outputs"] as unknown[]).forEach((out, j) => {
        const o = out as Record<string, unknown> | null;
        if (!o || typeof o !== "object" || !OUTPUT_TYPES.has(o["output_type"] as string)) {
          throw new NotebookFormatError(file, `${kind}.outputs[${j}]`, `not an nbformat output (output_type ${describe(o?.["output_type"])})`);
        }
      });
    }
  });
  nb["metadata"] ??= {};
  nb["nbformat_minor"] ??= 5;
  return nb as unknown as nbformat.INotebookContent;
}
