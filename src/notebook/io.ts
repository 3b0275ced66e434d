import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { NotebookFormatError } from "../errors.ts";
import { formatNotebook } from "./format.ts";
import { lineColumn, locateJsonError } from "./json-locate.ts";
import { validateNotebook } from "./validate.ts";

/** Where a JSON.parse failure happened, as `line L, column C` (1-based). */
function jsonErrorPlace(text: string): string | undefined {
  const offset = locateJsonError(text);
  return offset < 0 ? undefined : lineColumn(text, offset);
}

/** Parse notebook text; `file` names it in errors. */
export function parseNotebook(file: string, raw: string): nbformat.INotebookContent {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const e = error as SyntaxError;
    throw new NotebookFormatError(file, jsonErrorPlace(text), `invalid JSON (${e.message})`, { cause: e });
  }
  return validateNotebook(file, data);
}

/**
 * Read and validate an nbformat 4 notebook.
 * @throws NotebookFormatError (code `ERR_NOTEBOOK_INVALID`) naming the file and the place.
 */
export async function readNotebook(file: string): Promise<nbformat.INotebookContent> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new NotebookFormatError(file, undefined, e.code === "ENOENT" ? "no such file" : `cannot read (${e.message})`, { cause: e });
  }
  return parseNotebook(file, text);
}

/**
 * Write a file atomically: a temporary file beside it, then a rename, so a reader (or a crash)
 * never sees half a file.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Write a notebook as Jupyter does (sorted keys, 1-space indent), atomically. */
export async function writeNotebook(file: string, nb: nbformat.INotebookContent): Promise<void> {
  await writeFileAtomic(file, formatNotebook(nb));
}
