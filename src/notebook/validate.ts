import type * as nbformat from "@jupyterlab/nbformat";
import { problemsError } from "./io.ts";
import { loadNotebook } from "./model.ts";

/**
 * Check that parsed JSON is a notebook nbformat reads, and return it as nbformat 4.5 (upgraded,
 * ids repaired, as {@link parseNotebook} reads text). The value is re-read from its JSON, so numbers
 * Python would read as floats are not told apart here; read files with `readNotebook`.
 * @throws NotebookFormatError naming `file` and the place.
 */
export function validateNotebook(file: string, data: unknown): nbformat.INotebookContent {
  const { notebook, problems } = loadNotebook(JSON.stringify(data) ?? "undefined");
  if (problems.length || !notebook) throw problemsError(file, problems);
  return notebook;
}
