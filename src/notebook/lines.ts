import type { NotebookProblem } from "./problems.ts";
import type { WriteEdits } from "./py-json.ts";
import { splitKeepEnds } from "./splitlines.ts";

/**
 * nbformat 4's read and write steps on multi-line text and transient fields (nbformat/v4/rwbase.py):
 * `rejoin_lines` and `strip_transient` on read, `split_lines` and `strip_transient` on write.
 * The read steps mirror where Python would fail, as problems (a source list holding a number).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** rwbase.py `_is_json_mime`: JSON mimetypes are left as they are. */
const isJsonMime = (mime: string): boolean => mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));

/** `"".join(lines)`, or a problem where Python's join raises (an item that is not a string). */
function join(lines: unknown[], path: (string | number)[], problems: NotebookProblem[]): string | undefined {
  const bad = lines.findIndex((l) => typeof l !== "string");
  if (bad < 0) return lines.join("");
  problems.push({ path: [...path, bad], message: "nbformat cannot read this list of lines: it holds something other than a string" });
  return undefined;
}

function rejoinBundle(bundle: unknown, path: (string | number)[], problems: NotebookProblem[]): void {
  if (!isObj(bundle)) {
    problems.push({ path, message: "nbformat cannot read this: expected a mimebundle object" });
    return;
  }
  for (const [mime, value] of Object.entries(bundle)) {
    if (!isJsonMime(mime) && Array.isArray(value) && value.every((l) => typeof l === "string")) bundle[mime] = value.join("");
  }
}

/** rwbase.py `rejoin_lines` and `strip_transient`, in place; returns where Python would fail. */
export function rejoinAndStrip(nb: Obj): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  const cells = nb["cells"];
  if (!Array.isArray(cells)) return problems; // the schema reports it
  cells.forEach((cell: unknown, i) => {
    if (!isObj(cell)) return;
    const path = ["cells", i];
    if (Array.isArray(cell["source"])) {
      const joined = join(cell["source"], [...path, "source"], problems);
      if (joined !== undefined) cell["source"] = joined;
    }
    if ("attachments" in cell) {
      const attachments = cell["attachments"];
      if (!isObj(attachments)) problems.push({ path: [...path, "attachments"], message: "nbformat cannot read this: expected an object of attachments" });
      else for (const [name, bundle] of Object.entries(attachments)) rejoinBundle(bundle, [...path, "attachments", name], problems);
    }
    if (cell["cell_type"] === "code" && Array.isArray(cell["outputs"])) {
      cell["outputs"].forEach((output: unknown, j) => {
        if (!isObj(output)) return;
        const type = output["output_type"];
        if (type === "execute_result" || type === "display_data") {
          if (isObj(output["data"])) rejoinBundle(output["data"], [...path, "outputs", j, "data"], problems);
        } else if (type && Array.isArray(output["text"])) {
          const joined = join(output["text"], [...path, "outputs", j, "text"], problems);
          if (joined !== undefined) output["text"] = joined;
        }
      });
    }
    // strip_transient: cell.metadata.pop("trusted"); a cell without metadata stops nbformat's reader.
    if (isObj(cell["metadata"])) delete cell["metadata"]["trusted"];
    else if (!("metadata" in cell)) problems.push({ path, message: "missing property `metadata` (nbformat cannot read the notebook without it)" });
  });
  if (isObj(nb["metadata"])) {
    for (const key of ["orig_nbformat", "orig_nbformat_minor", "signature"]) delete nb["metadata"][key];
  }
  return problems;
}

/** rwbase.py `_non_text_split_mimes`: split although not `text/*`. */
const SPLIT_MIMES = new Set(["application/javascript", "image/svg+xml"]);

function splitBundle(bundle: unknown, edits: Required<WriteEdits>): void {
  if (!isObj(bundle)) return;
  const replace = new Map<string, unknown>();
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" && (mime.startsWith("text/") || SPLIT_MIMES.has(mime))) replace.set(mime, splitKeepEnds(value));
  }
  if (replace.size) edits.replace.set(bundle, replace);
}

function set(edits: Required<WriteEdits>, obj: object, key: string, value: unknown): void {
  let m = edits.replace.get(obj);
  if (!m) edits.replace.set(obj, (m = new Map()));
  m.set(key, value);
}

function omit(edits: Required<WriteEdits>, obj: object, keys: string[]): void {
  const present = keys.filter((k) => k in obj);
  if (present.length) edits.omit.set(obj, new Set(present));
}

/**
 * What rwbase.py `split_lines` and `strip_transient` change when nbformat writes, as edits applied while
 * serialising: the notebook in memory is not copied or changed.
 */
export function writeEdits(nb: Obj): Required<WriteEdits> {
  const edits: Required<WriteEdits> = { omit: new Map(), replace: new Map() };
  if (isObj(nb["metadata"])) omit(edits, nb["metadata"], ["orig_nbformat", "orig_nbformat_minor", "signature"]);
  const cells = Array.isArray(nb["cells"]) ? nb["cells"] : [];
  for (const cell of cells) {
    if (!isObj(cell)) continue;
    if (typeof cell["source"] === "string") set(edits, cell, "source", splitKeepEnds(cell["source"]));
    if (isObj(cell["attachments"])) for (const bundle of Object.values(cell["attachments"])) splitBundle(bundle, edits);
    if (cell["cell_type"] === "code" && Array.isArray(cell["outputs"])) {
      for (const output of cell["outputs"]) {
        if (!isObj(output)) continue;
        const type = output["output_type"];
        if (type === "execute_result" || type === "display_data") splitBundle(output["data"], edits);
        else if (type === "stream" && typeof output["text"] === "string") set(edits, output, "text", splitKeepEnds(output["text"]));
      }
    }
    if (isObj(cell["metadata"])) omit(edits, cell["metadata"], ["trusted"]);
  }
  return edits;
}
