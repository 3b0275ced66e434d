import type * as nbformat from "@jupyterlab/nbformat";

/** A new, empty nbformat 4.5 notebook with tslab's kernelspec and language metadata. */
export function newNotebook(cells: nbformat.ICell[] = [], metadata: Partial<nbformat.INotebookMetadata> = {}): nbformat.INotebookContent {
  return {
    cells,
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0.4", codemirror_mode: { mode: "typescript", name: "javascript", typescript: true } },
      ...metadata,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

let counter = 0;
function cellId(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}`.slice(-8).padStart(8, "0");
}

/** A code cell with no outputs. */
export function codeCell(source: string, metadata: Partial<nbformat.ICodeCellMetadata> = {}, id = cellId()): nbformat.ICodeCell {
  return { cell_type: "code", execution_count: null, id, metadata, outputs: [], source };
}

/** A markdown cell. */
export function markdownCell(source: string, id = cellId()): nbformat.IMarkdownCell {
  return { cell_type: "markdown", id, metadata: {}, source };
}
