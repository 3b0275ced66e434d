import type * as nbformat from "@jupyterlab/nbformat";
import { writeEdits } from "./lines.ts";
import { dumpsPy } from "./py-json.ts";

export { splitKeepEnds } from "./splitlines.ts";

/**
 * Serialise a notebook byte for byte as `nbformat.writes` does: sources, stream text, `text/*`,
 * `application/javascript` and `image/svg+xml` data and attachments split into lines as Python's
 * `splitlines(True)` splits them (other mimetypes, base64 images among them, as one string);
 * `metadata.trusted`, `orig_nbformat`, `orig_nbformat_minor` and `signature` left out; keys sorted by
 * code point, 1-space indent, `ensure_ascii=False`, Python's number forms; a trailing newline.
 * The notebook itself is not changed.
 */
export function formatNotebook(nb: nbformat.INotebookContent): string {
  const data = nb as unknown as Record<string, unknown>;
  return `${dumpsPy(data, writeEdits(data))}\n`;
}

/** Join a multiline string field as stored (string or list of strings). */
export function joinSource(source: nbformat.MultilineString | undefined): string {
  // A cell type of a newer nbformat minor is kept as read, whatever its source holds: never crash on it.
  if (Array.isArray(source))
    return source.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("");
  return typeof source === "string" ? source : source === undefined ? "" : JSON.stringify(source);
}
