import { randomBytes } from "node:crypto";
import type { JsonPath, NotebookProblem } from "./problems.ts";
import { parsePy, PyJsonError } from "./py-json.ts";
import { CURRENT_MINOR } from "./schema.ts";
import { splitLinesPy } from "./splitlines.ts";

/**
 * nbformat's upgrades to 4.5, in memory, as `nbformat.read(f, as_version=4)` and JupyterLab do them
 * (nbformat/v4/convert.py `upgrade`, `upgrade_cell`, `upgrade_output`; v3/rwbase.py `rejoin_lines`).
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** nbformat's `random_cell_id` (`uuid4().hex[:8]`): 8 random hex digits. */
export function randomCellId(): string {
  return randomBytes(4).toString("hex");
}

/** v3/rwbase.py `_join_lines`: lines from `splitlines(True)` are joined as they are, others with `\n`. */
function joinLinesV3(lines: unknown[], path: JsonPath, problems: NotebookProblem[]): string | undefined {
  if (lines.some((l) => typeof l !== "string")) {
    problems.push({ path, message: "nbformat cannot read this list of lines: it holds something other than a string" });
    return undefined;
  }
  const first = lines[0] as string | undefined;
  return first !== undefined && /[\n\r]$/.test(first) ? lines.join("") : lines.join("\n");
}

const V3_MULTILINE_OUTPUTS = ["text", "html", "svg", "latex", "javascript", "json"];

/** v3/rwbase.py `rejoin_lines`, in place; returns where Python would fail. */
export function rejoinV3(nb: Obj): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  const worksheets = Array.isArray(nb["worksheets"]) ? nb["worksheets"] : [];
  worksheets.forEach((ws: unknown, w) => {
    if (!isObj(ws) || !Array.isArray(ws["cells"])) return;
    ws["cells"].forEach((cell: unknown, i) => {
      if (!isObj(cell)) return;
      const path = ["worksheets", w, "cells", i];
      const rejoin = (obj: Obj, key: string, at: JsonPath): void => {
        const v = obj[key];
        if (!Array.isArray(v)) return;
        const joined = joinLinesV3(v, [...at, key], problems);
        if (joined !== undefined) obj[key] = joined;
      };
      if (cell["cell_type"] === "code") {
        rejoin(cell, "input", path);
        if (Array.isArray(cell["outputs"]))
          cell["outputs"].forEach((o: unknown, j) => {
            if (isObj(o)) for (const key of V3_MULTILINE_OUTPUTS) rejoin(o, key, [...path, "outputs", j]);
          });
      } else {
        rejoin(cell, "source", path);
        rejoin(cell, "rendered", path);
      }
    });
  });
  return problems;
}

const MIME_ALIASES: [string, string][] = [
  ["text", "text/plain"],
  ["html", "text/html"],
  ["svg", "image/svg+xml"],
  ["png", "image/png"],
  ["jpeg", "image/jpeg"],
  ["latex", "text/latex"],
  ["json", "application/json"],
  ["javascript", "application/javascript"],
];

function toMimeKey(d: Obj): void {
  for (const [alias, mime] of MIME_ALIASES) {
    if (alias in d) {
      const v = d[alias];
      delete d[alias];
      d[mime] = v;
    }
  }
}

/** v4/convert.py `upgrade_output`. */
function upgradeOutput(output: Obj, path: JsonPath, problems: NotebookProblem[]): Obj {
  const type = output["output_type"];
  if (type === "pyout" || type === "display_data") {
    if (!("metadata" in output)) output["metadata"] = {};
    if (type === "pyout") {
      output["output_type"] = "execute_result";
      output["execution_count"] = "prompt_number" in output ? output["prompt_number"] : null;
      delete output["prompt_number"];
    }
    const data: Obj = {};
    for (const key of Object.keys(output)) {
      if (key === "output_type" || key === "execution_count" || key === "metadata") continue;
      data[key] = output[key];
      delete output[key];
    }
    toMimeKey(data);
    output["data"] = data;
    if (isObj(output["metadata"])) toMimeKey(output["metadata"]);
    if ("application/json" in data) {
      const json = data["application/json"];
      try {
        if (typeof json !== "string") throw new PyJsonError("expected a string of JSON", 0);
        data["application/json"] = parsePy(json).value;
      } catch (error) {
        problems.push({ path: [...path, "json"], message: `nbformat cannot upgrade this output: its json is not JSON (${(error as Error).message})` });
      }
    }
  } else if (type === "pyerr") output["output_type"] = "error";
  else if (type === "stream") {
    output["name"] = "stream" in output ? output["stream"] : "stdout";
    delete output["stream"];
  }
  return output;
}

/** v4/convert.py `upgrade_cell`: a v3 cell as a 4.5 cell, with a new id. */
function upgradeCell(cell: Obj, path: JsonPath, problems: NotebookProblem[]): Obj {
  if (!("metadata" in cell)) cell["metadata"] = {};
  cell["id"] = randomCellId();
  const type = cell["cell_type"];
  const take = (key: string, fallback: unknown): unknown => {
    const v = key in cell ? cell[key] : fallback;
    delete cell[key];
    return v;
  };
  if (type === "code") {
    delete cell["language"];
    if ("collapsed" in cell && isObj(cell["metadata"])) cell["metadata"]["collapsed"] = take("collapsed", undefined);
    cell["source"] = take("input", "");
    cell["execution_count"] = take("prompt_number", null);
    if (!Array.isArray(cell["outputs"])) problems.push({ path, message: "nbformat cannot upgrade this code cell: it has no outputs list" });
    else cell["outputs"] = cell["outputs"].map((o: unknown, j) => (isObj(o) ? upgradeOutput(o, [...path, "outputs", j], problems) : o));
  } else if (type === "heading") {
    cell["cell_type"] = "markdown";
    const level = take("level", 1);
    const source = "source" in cell ? cell["source"] : "";
    if (typeof source !== "string" || typeof level !== "number") {
      problems.push({ path, message: "nbformat cannot upgrade this heading cell (source must be text, level a number)" });
    } else cell["source"] = `${"#".repeat(Math.max(0, level))} ${splitLinesPy(source).join(" ")}`;
  } else if (type === "html") cell["cell_type"] = "markdown";
  return cell;
}

/**
 * v4/convert.py `upgrade` from nbformat 3 (already through `rejoinV3`): worksheets flattened into
 * `cells`, every cell upgraded, `orig_nbformat` and the metadata `name` and `signature` dropped.
 */
export function upgradeV3(nb: Obj): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  if (!("nbformat_minor" in nb)) problems.push({ path: [], message: "missing property `nbformat_minor` (nbformat needs it to upgrade)" });
  if (!isObj(nb["metadata"])) {
    problems.push({ path: ["metadata"], message: "nbformat cannot upgrade a notebook without a metadata object" });
    return problems;
  }
  delete nb["orig_nbformat"];
  delete nb["orig_nbformat_minor"];
  nb["nbformat"] = 4;
  nb["nbformat_minor"] = CURRENT_MINOR;
  const cells: unknown[] = [];
  const worksheets = Array.isArray(nb["worksheets"]) ? nb["worksheets"] : [];
  delete nb["worksheets"];
  worksheets.forEach((ws: unknown, w) => {
    const wsCells = isObj(ws) ? ws["cells"] : undefined;
    if (!Array.isArray(wsCells)) {
      problems.push({ path: ["worksheets", w], message: "nbformat cannot upgrade a worksheet without a cells list" });
      return;
    }
    wsCells.forEach((cell: unknown, i) => cells.push(isObj(cell) ? upgradeCell(cell, ["worksheets", w, "cells", i], problems) : cell));
  });
  nb["cells"] = cells;
  delete nb["metadata"]["name"];
  delete nb["metadata"]["signature"];
  return problems;
}

/** v4/convert.py `upgrade` from 4.0-4.4: every cell gets a new id and the notebook becomes 4.5. */
export function upgradeMinor(nb: Obj): void {
  for (const cell of nb["cells"] as unknown[]) if (isObj(cell)) cell["id"] = randomCellId();
  nb["nbformat_minor"] = CURRENT_MINOR;
}

/**
 * validator.py `_normalize` with repair: a cell without an id gets one, a repeated id a new one
 * (the first keeps it). Returns the number of ids written.
 */
export function repairCellIds(nb: Obj): number {
  const cells = nb["cells"] as unknown[];
  let changes = 0;
  for (const cell of cells) {
    if (isObj(cell) && !("id" in cell)) {
      cell["id"] = randomCellId();
      changes++;
    }
  }
  const seen = new Set<unknown>();
  for (const cell of cells) {
    if (!isObj(cell) || !("id" in cell)) continue;
    if (seen.has(cell["id"])) {
      cell["id"] = randomCellId();
      changes++;
    }
    seen.add(cell["id"]);
  }
  return changes;
}

/** validator.py `_normalize` without repair: a repeated cell id is invalid (4.5 and later). */
export function duplicateIdProblems(nb: Obj): NotebookProblem[] {
  const problems: NotebookProblem[] = [];
  const first = new Map<unknown, number>();
  (nb["cells"] as unknown[]).forEach((cell, i) => {
    if (!isObj(cell) || !("id" in cell)) return;
    const id = cell["id"];
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    else problems.push({ path: ["cells", i, "id"], message: `duplicate cell id ${JSON.stringify(id)} (also cells[${at}]); ids must be unique`, fixable: true });
  });
  return problems;
}
