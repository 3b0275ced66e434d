import { readFile } from "node:fs/promises";
import type * as nbformat from "@jupyterlab/nbformat";
import { NotebookFormatError } from "../errors.ts";
import { formatNotebook } from "./format.ts";
import { loadNotebook } from "./model.ts";
import { formatPath, type NotebookProblem } from "./problems.ts";
import { writeFileAtomic } from "../write-atomic.ts";

export { writeFileAtomic };

/** A NotebookFormatError listing every problem, each as `file:line:column: path: message`. */
export function problemsError(file: string, problems: NotebookProblem[], cause?: unknown): NotebookFormatError {
  const listed = problems.map((p) => ({ where: formatPath(p.path), message: p.message, line: p.line, column: p.column }));
  const first = listed[0]!;
  const where = first.line === undefined ? first.where || undefined : `line ${first.line}, column ${first.column}${first.where ? `: ${first.where}` : ""}`;
  return new NotebookFormatError(file, where, first.message, { problems: listed, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Parse notebook text (or UTF-8 bytes) as `nbformat.read(f, as_version=4)` does: validated against
 * nbformat's schema for its version, nbformat 3 and 4.0-4.4 upgraded to 4.5 in memory, missing or
 * repeated cell ids repaired; `file` names it in errors.
 * @throws NotebookFormatError (code `ERR_NOTEBOOK_INVALID`) listing every problem with its place.
 */
export function parseNotebook(file: string, raw: string | Uint8Array): nbformat.INotebookContent {
  const { notebook, problems } = loadNotebook(raw);
  if (problems.length || !notebook) throw problemsError(file, problems);
  return notebook;
}

/**
 * Read and validate a notebook (see {@link parseNotebook}).
 * @throws NotebookFormatError (code `ERR_NOTEBOOK_INVALID`) naming the file and the place.
 */
export async function readNotebook(file: string): Promise<nbformat.INotebookContent> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new NotebookFormatError(file, undefined, e.code === "ENOENT" ? "no such file" : `cannot read (${e.message})`, { cause: e });
  }
  return parseNotebook(file, bytes);
}

/** Write a notebook exactly as `nbformat.writes` does (see {@link formatNotebook}), atomically. */
export async function writeNotebook(file: string, nb: nbformat.INotebookContent): Promise<void> {
  await writeFileAtomic(file, formatNotebook(nb));
}
