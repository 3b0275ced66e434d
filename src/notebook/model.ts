import { isUtf8 } from "node:buffer";
import type * as nbformat from "@jupyterlab/nbformat";
import { lineAndColumn, locateJsonPath } from "./json-locate.ts";
import { rejoinAndStrip } from "./lines.ts";
import { formatPath, type JsonPath, type NotebookProblem } from "./problems.ts";
import { isPyFloat, parsePy, PyJsonError } from "./py-json.ts";
import { CURRENT_MINOR, schemaFor, schemaProblems } from "./schema.ts";
import { duplicateIdProblems, rejoinV3, repairCellIds, upgradeMinor, upgradeV3 } from "./upgrade.ts";

/** How a notebook was read, as `nbformat.read(f, as_version=4)` reads it. */
export interface LoadedNotebook {
  /** The notebook, nbformat 4.5 (or the newer 4.x minor it was written in); undefined when unreadable. */
  notebook: nbformat.INotebookContent | undefined;
  /** What is wrong, each with its place; empty when the notebook is valid. */
  problems: NotebookProblem[];
  /** The version it was written in, when reading upgraded it (`"3.0"`, `"4.4"`). */
  upgradedFrom?: string;
  /** Cell ids that reading added (missing) or replaced (repeated). */
  idsRepaired: number;
}

/** @see loadNotebook */
export interface LoadOptions {
  /**
   * Repair cell ids as `nbformat.read` does (a missing id added, a repeated one replaced), instead of
   * reporting them as problems as `nbformat.validator.isvalid` does.
   * @default true
   */
  repairIds?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const isInt = (container: Obj, key: string): boolean => Number.isInteger(container[key]) && !isPyFloat(container, key);

/** Where decoding UTF-8 fails, as a 0-based byte offset. */
function badUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || !isUtf8(bytes.subarray(i, i + n))) return i;
    i += n;
  }
  return bytes.length;
}

/**
 * Read notebook text (or bytes, which must be UTF-8, as Python reads them) as nbformat does:
 * `json.loads`, `rejoin_lines` and `strip_transient`, validation against the schema of the notebook's
 * version, then the upgrade of nbformat 3 and 4.0-4.4 to 4.5. Nothing is thrown: problems are returned.
 */
export function loadNotebook(input: string | Uint8Array, options: LoadOptions = {}): LoadedNotebook {
  const repairIds = options.repairIds ?? true;
  let text: string;
  if (typeof input === "string") text = input;
  else if (isUtf8(input)) text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("utf8");
  else {
    const at = badUtf8At(input);
    const before = Buffer.from(input.subarray(0, at)).toString("utf8");
    const place = lineAndColumn(before, before.length);
    return { notebook: undefined, idsRepaired: 0, problems: [{ path: [], ...place, message: `not UTF-8 text (byte ${at}); Jupyter reads notebooks as UTF-8` }] };
  }
  const result = read(text, repairIds);
  for (const p of result.problems) {
    if (p.line !== undefined) continue;
    Object.assign(p, lineAndColumn(text, locateJsonPath(text, result.origin?.(p.path) ?? p.path)));
  }
  return result;
}

function read(text: string, repairIds: boolean): LoadedNotebook & { origin?: (path: JsonPath) => JsonPath } {
  const fail = (problems: NotebookProblem[]): LoadedNotebook => ({ notebook: undefined, problems, idsRepaired: 0 });
  if (text.charCodeAt(0) === 0xfeff)
    return fail([{ path: [], line: 1, column: 1, message: "the file starts with a byte order mark, which Jupyter's reader (Python's json) rejects; save it as UTF-8 without BOM" }]);
  let data: unknown;
  let pythonNumbers: boolean;
  try {
    ({ value: data, pythonNumbers } = parsePy(text));
  } catch (error) {
    if (!(error instanceof PyJsonError)) throw error;
    return fail([{ path: [], ...lineAndColumn(text, error.offset), message: `invalid JSON: ${error.message}` }]);
  }
  if (!isObj(data)) return fail([{ path: [], message: `expected a notebook object, got ${Array.isArray(data) ? "an array" : JSON.stringify(data)}` }]);
  const nb = data;
  if (!("nbformat" in nb)) return fail([{ path: [], message: "missing property `nbformat`: is this a Jupyter notebook?" }]);
  if (!isInt(nb, "nbformat")) return fail([{ path: ["nbformat"], message: "expected an integer (the nbformat major version)" }]);
  const major = nb["nbformat"] as number;
  const minorValue = "nbformat_minor" in nb ? nb["nbformat_minor"] : 0;
  if ("nbformat_minor" in nb && !isInt(nb, "nbformat_minor")) return fail([{ path: ["nbformat_minor"], message: "expected an integer (the nbformat minor version)" }]);
  const minor = minorValue as number;
  const schema = schemaFor(major, minor);
  if (major === 3) {
    if (!schema) return fail([{ path: ["nbformat_minor"], message: `nbformat 3.${minor} has no schema (nbformat knows 3.0)` }]);
    const problems = [...rejoinV3(nb), ...schemaProblems(schema, nb, pythonNumbers)];
    if (problems.length) return fail(problems);
    const upgraded = upgradeV3(nb);
    if (upgraded.length) return fail(upgraded);
    const origins = (nb["cells"] as unknown[]).map((_, i) => i);
    // Problems of the upgraded notebook are located at the v3 cell they came from.
    const origin = (path: JsonPath): JsonPath => (path[0] === "cells" && typeof path[1] === "number" ? ["worksheets", 0, "cells", origins[path[1]] ?? 0] : path);
    return { notebook: nb as unknown as nbformat.INotebookContent, problems: schemaProblems("4.5", nb), upgradedFrom: "3.0", idsRepaired: 0, origin };
  }
  if (major !== 4 || !schema) {
    const why =
      major === 4
        ? `nbformat 4.${minor} has no schema`
        : major < 3
          ? `nbformat ${major} is too old for nbformat's validator; open and save it in Jupyter to upgrade it`
          : `nbformat ${major} is not supported (nbformat reads 3 and 4)`;
    return fail([{ path: [major === 4 ? "nbformat_minor" : "nbformat"], message: why }]);
  }
  const problems = rejoinAndStrip(nb);
  let idsRepaired = 0;
  if (minor >= CURRENT_MINOR && Array.isArray(nb["cells"])) {
    if (repairIds) idsRepaired = repairCellIds(nb);
    else problems.push(...duplicateIdProblems(nb));
  }
  const schemaFound = schemaProblems(schema, nb, pythonNumbers).filter((s) => !problems.some((p) => formatPath(p.path) === formatPath(s.path)));
  problems.push(...schemaFound);
  if (problems.length) return { notebook: undefined, problems, idsRepaired };
  if (minor < CURRENT_MINOR) {
    upgradeMinor(nb);
    return { notebook: nb as unknown as nbformat.INotebookContent, problems, upgradedFrom: `4.${minor}`, idsRepaired };
  }
  return { notebook: nb as unknown as nbformat.INotebookContent, problems, idsRepaired };
}
