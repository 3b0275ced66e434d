/** A place in a notebook's JSON: keys and array indices from the top. */
export type JsonPath = (string | number)[];

/** One thing wrong with a notebook, at a place (line and column are filled in from the text). */
export interface NotebookProblem {
  path: JsonPath;
  message: string;
  /** 1-based, where the value at `path` starts in the file (absent when the file has no such place). */
  line?: number;
  column?: number;
  /** `tsnb check --fix` repairs it (a missing or duplicate cell id). */
  fixable?: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `cells[3].outputs[0].data["text/plain"]`; the top level is `notebook`. */
export function formatPath(path: JsonPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || "notebook";
}

/** `file:line:column: path: message`, the form editors and CI annotations link to. */
export function formatProblem(file: string, p: NotebookProblem): string {
  const place = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
  return `${place}: ${formatPath(p.path)}: ${p.message}`;
}

/** A value as a message names it: `an object`, `an array`, `null`, `the number 1.5`, `the string "x"`. */
export function describeValue(value: unknown, float = false): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number") return float ? `the float ${Number.isInteger(value) ? value.toFixed(1) : String(value)}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}
