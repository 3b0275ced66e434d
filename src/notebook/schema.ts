import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type Ajv from "ajv-draft-04";
import type { ErrorObject, SchemaObject, ValidateFunction } from "ajv-draft-04";
import * as generated from "./schemas/validators.generated.js";
import { pyFloatsIn } from "./py-json.ts";
import { describeValue, type JsonPath, type NotebookProblem } from "./problems.ts";

/**
 * Validation against nbformat's own JSON schemas (draft-04, vendored in `schemas/` from nbformat 5.5),
 * as `nbformat.validate` applies them with its default validator (fastjsonschema):
 * - the schema of the notebook's `nbformat_minor`; a newer minor than 4.5 gets the 4.5 schema with every
 *   `additionalProperties` relaxed and unknown cell and output types allowed (validator.py
 *   `_relax_additional_properties`, `_allow_undefined`);
 * - patterns as Python's `re` reads them: `.` matches `\r` (not `\n`), and fastjsonschema anchors `$` at
 *   the very end, as JavaScript's `$` does;
 * - a number Python reads as a float (`1.0`) is not an integer.
 * The verdict comes from Ajv's standalone code for each schema (schemas/validators.generated.js, made by
 * schemas/generate.ts): no schema is compiled when a notebook is read. Ajv is loaded only to explain a
 * notebook found invalid.
 */

/** The schemas nbformat has: nbformat 3.0, 4.0 to 4.5, and 4.5 relaxed for a newer minor. */
export type SchemaVersion = "3.0" | "4.0" | "4.1" | "4.2" | "4.3" | "4.4" | "4.5" | "4.future";

/** Every schema, in the order the generated validators are written. */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = ["3.0", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "4.future"];

/** The export name of a version's validator in validators.generated.js (`v4_5`, `v4_future`). */
export const validatorName = (version: SchemaVersion): string => `v${version.replace(".", "_")}`;

/** The newest minor version nbformat knows. */
export const CURRENT_MINOR = 5;

/** The schema nbformat picks for a notebook's version (undefined: none, and nbformat cannot validate it). */
export function schemaFor(major: number, minor: number): SchemaVersion | undefined {
  if (major === 3 && minor === 0) return "3.0";
  if (major !== 4 || minor < 0) return undefined;
  return minor > CURRENT_MINOR ? "4.future" : (`4.${minor}` as SchemaVersion);
}

/** nbformat's schema for `version`, prepared as nbformat applies it (relaxed for a newer minor, Python patterns). */
export function loadSchema(version: SchemaVersion): SchemaObject {
  const name = version === "4.future" ? "4.5" : version;
  const file = new URL(`./schemas/nbformat.v${name === "3.0" ? "3" : name}.schema.json`, import.meta.url);
  const schema = JSON.parse(readFileSync(file, "utf8")) as SchemaObject;
  if (version === "4.future") {
    relaxAdditionalProperties(schema);
    const defs = schema["definitions"] as Record<string, { oneOf: unknown[] }>;
    defs["cell"]!.oneOf.push({ $ref: "#/definitions/unrecognized_cell" });
    defs["output"]!.oneOf.push({ $ref: "#/definitions/unrecognized_output" });
  }
  pythonPatterns(schema);
  schema["id"] = schemaId(version);
  delete schema["$schema"];
  return schema;
}

export const schemaId = (version: SchemaVersion): string => `https://jupyter.org/schema/nbformat.v${version}.json`;

/** validator.py `_relax_additional_properties`: every `additionalProperties` becomes `true`. */
function relaxAdditionalProperties(node: unknown): void {
  if (Array.isArray(node)) node.forEach(relaxAdditionalProperties);
  else if (node && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key === "additionalProperties") obj[key] = true;
      else relaxAdditionalProperties(obj[key]);
    }
  }
}

/** Python's `.` matches anything but `\n`; JavaScript's also stops at `\r`, `\u2028` and `\u2029`. */
export function pythonPattern(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      out += ch + (pattern[++i] ?? "");
      continue;
    }
    if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    out += ch === "." && !inClass ? "[^\\n]" : ch;
  }
  return out;
}

function pythonPatterns(node: unknown): void {
  if (Array.isArray(node)) node.forEach(pythonPatterns);
  else if (node && typeof node === "object") {
    const obj = node as Record<string, unknown>;
    if (typeof obj["pattern"] === "string") obj["pattern"] = pythonPattern(obj["pattern"]);
    const pp = obj["patternProperties"];
    if (pp && typeof pp === "object") {
      obj["patternProperties"] = Object.fromEntries(
        Object.entries(pp).map(([k, v]) => [pythonPattern(k), v]),
      );
    }
    for (const v of Object.values(obj)) pythonPatterns(v);
  }
}

/** The Ajv that explains an invalid notebook: every error, with the schema; loaded on first use. */
let detail: Ajv | undefined;

function ajv(): Ajv {
  const AjvDraft04 = (createRequire(import.meta.url)("ajv-draft-04") as { default: typeof Ajv }).default;
  return (detail ??= new AjvDraft04({
    strict: false,
    validateSchema: false,
    allErrors: true,
    verbose: true,
    // NaN and Infinity are numbers to Python's json and to fastjsonschema.
    strictNumbers: false,
    // Compiled only for a notebook found invalid: refs as functions and no optimiser compile 4x faster.
    inlineRefs: false,
    code: { optimize: false },
  }));
}

function validatorFor(instance: Ajv, version: SchemaVersion, definition?: string): ValidateFunction {
  const id = schemaId(version);
  if (!instance.getSchema(id)) instance.addSchema(loadSchema(version));
  const ref = definition ? `${id}#/definitions/${definition}` : id;
  const v = instance.getSchema(ref);
  if (!v) throw new Error(`nbformat schema ${version} has no ${definition ?? "root"}`);
  return v;
}

/** The floats shown to Ajv as 0.5 during a validation, by container and key, with their real value. */
let substituted: Map<object, Map<string | number, number>> | undefined;

/**
 * Floats Python reads where JavaScript sees an integer (`"execution_count": 1.0`) are shown to Ajv as a
 * fraction for the duration of `fn`, so `"type": "integer"` rejects them as fastjsonschema does.
 */
function withPythonFloats<T>(data: unknown, pythonNumbers: boolean, fn: () => T): T {
  if (!pythonNumbers) return fn();
  substituted = new Map();
  for (const [container, key] of pyFloatsIn(data)) {
    let m = substituted.get(container);
    if (!m) substituted.set(container, (m = new Map()));
    m.set(key, container[key] as number);
  }
  for (const [container, m] of substituted) for (const key of m.keys()) (container as Record<string | number, unknown>)[key] = 0.5;
  try {
    return fn();
  } finally {
    for (const [container, m] of substituted) for (const [key, value] of m) (container as Record<string | number, unknown>)[key] = value;
    substituted = undefined;
  }
}

/** The value at `rel` as read (a float shown to Ajv as 0.5 is given back), and whether Python reads it as a float. */
function originalAt(data: unknown, rel: JsonPath): [unknown, boolean] {
  const container = valueAt(data, rel.slice(0, -1));
  const key = rel.at(-1);
  const real = container && typeof container === "object" && key !== undefined ? substituted?.get(container)?.get(key) : undefined;
  return real === undefined ? [valueAt(data, rel), false] : [real, true];
}

/**
 * Check `data` against nbformat's schema `version`; returns every problem, each with its path
 * (an empty list when valid). `pythonNumbers`: the text held numbers Python reads differently.
 */
export function schemaProblems(version: SchemaVersion, data: unknown, pythonNumbers = false): NotebookProblem[] {
  return withPythonFloats(data, pythonNumbers, () => {
    // The verdict from Ajv's standalone code (generate.ts); Ajv itself only to explain a failure.
    const quickValidate = (generated as Record<string, (data: unknown) => boolean>)[validatorName(version)]!;
    if (quickValidate(data)) return [];
    const full = validatorFor(ajv(), version);
    full(data);
    const seen = new Set<string>();
    // An empty cell id fails both its pattern and its minLength: one message says it.
    return explain(full.errors ?? [], data, [], version).filter((p) => {
      const key = `${p.path.join("\u0000")}\u0001${p.message}`;
      return !seen.has(key) && !!seen.add(key);
    });
  });
}

function pointerToPath(pointer: string, data: unknown): JsonPath {
  const path: JsonPath = [];
  let node = data;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      path.push(Number(seg));
      node = node[Number(seg)];
    } else {
      path.push(seg);
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

const under = (p: string, parent: string): boolean => p === parent || p.startsWith(`${parent}/`);

/**
 * Turn Ajv's errors into problems. A failed `oneOf` (a cell or an output matching no cell or output
 * type) is explained as nbformat's `better_validation_error` does: validate the value against the
 * definition its `cell_type` or `output_type` names and report those errors instead of every branch's.
 */
function explain(errors: ErrorObject[], data: unknown, prefix: JsonPath, version: SchemaVersion): NotebookProblem[] {
  const oneOfs = errors.filter((e) => e.keyword === "oneOf");
  const outer = oneOfs.filter((e) => !oneOfs.some((o) => o !== e && o.instancePath !== e.instancePath && under(e.instancePath, o.instancePath)));
  const problems: NotebookProblem[] = [];
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword === "oneOf" || outer.some((o) => under(e.instancePath, o.instancePath))) continue;
    // A value of the wrong type also fails its minimum or pattern: the type error says it.
    if (e.keyword !== "type" && typeErrorAt.has(e.instancePath)) continue;
    problems.push(problemOf(e, data, prefix));
  }
  const seen = new Set<string>();
  for (const o of outer) {
    if (seen.has(o.instancePath)) continue;
    seen.add(o.instancePath);
    problems.push(...explainOneOf(o, data, prefix, version));
  }
  return problems;
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let node = data;
  for (const seg of path) node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

function explainOneOf(e: ErrorObject, data: unknown, prefix: JsonPath, version: SchemaVersion): NotebookProblem[] {
  const rel = pointerToPath(e.instancePath, data);
  const path = [...prefix, ...rel];
  const value = valueAt(data, rel);
  const branches = ((e.schema as { $ref?: string; type?: string }[] | undefined) ?? []).map((b) => b.$ref?.replace("#/definitions/", "") ?? b.type ?? "");
  const refs = branches.filter((b) => b.endsWith("_cell") || !/^(string|object|array|number|integer|boolean|null)$/.test(b));
  if (refs.length === 0) {
    const shapes = branches.map((b) => (b === "array" ? "a list of strings" : `a ${b}`)).join(" or ");
    return [{ path, message: `expected ${shapes}, got ${describeValue(value)}` }];
  }
  const isCell = refs.some((r) => r.endsWith("_cell"));
  const what = isCell ? "cell" : "output";
  const typeKey = isCell ? "cell_type" : "output_type";
  if (!value || typeof value !== "object" || Array.isArray(value)) return [{ path, message: `expected an ${what} object, got ${describeValue(value)}` }];
  const type = (value as Record<string, unknown>)[typeKey];
  const known = refs.filter((r) => !r.startsWith("unrecognized_")).map((r) => (isCell ? r.replace(/_cell$/, "") : r));
  let definition = typeof type === "string" ? refs.find((r) => r === (isCell ? `${type}_cell` : type)) : undefined;
  if (!definition && typeof type === "string" && !known.includes(type)) definition = refs.find((r) => r.startsWith("unrecognized_"));
  if (!definition) {
    if (type === undefined) return [{ path, message: `missing property \`${typeKey}\`` }];
    const allowed = known.map((k) => JSON.stringify(k)).join(", ");
    return [{ path: [...path, typeKey], message: `${describeValue(type)} is not an ${what} type of nbformat ${version} (${allowed})` }];
  }
  const validate = validatorFor(ajv(), version, definition);
  if (validate(value)) return [{ path, message: `matches more than one ${what} type` }];
  return explain(validate.errors ?? [], value, path, version);
}

function problemOf(e: ErrorObject, data: unknown, prefix: JsonPath): NotebookProblem {
  const rel = pointerToPath(e.instancePath, data);
  const path = [...prefix, ...rel];
  const p = e.params as Record<string, unknown>;
  const value = originalAt(data, rel)[0];
  switch (e.keyword) {
    case "required":
      return { path, message: `missing property \`${String(p["missingProperty"])}\``, fixable: p["missingProperty"] === "id" && path.length === 2 && path[0] === "cells" };
    case "additionalProperties":
      return { path: [...path, String(p["additionalProperty"])], message: "property not allowed here by the nbformat schema" };
    case "type": {
      const expected = String(p["type"]).split(",").map((t) => (t === "null" ? "null" : `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`)).join(" or ");
      const [original, float] = originalAt(data, rel);
      return { path, message: `expected ${expected}, got ${describeValue(original, float)}` };
    }
    case "enum":
      return { path, message: `expected one of ${(p["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}` };
    case "pattern": {
      const idPattern = path.at(-1) === "id";
      return {
        path,
        message: idPattern
          ? `invalid cell id ${JSON.stringify(value)}: 1 to 64 letters, digits, '-' or '_'`
          : `${describeValue(value)} does not match ${String(p["pattern"]).replace(/\[\^\\n\]/g, ".")}`,
      };
    }
    case "minLength":
    case "maxLength":
      return { path, message: path.at(-1) === "id" ? `invalid cell id ${JSON.stringify(value)}: 1 to 64 letters, digits, '-' or '_'` : `${describeValue(value)} ${e.message ?? ""}` };
    case "minimum":
    case "maximum":
      return { path, message: `${describeValue(value)} ${e.message ?? ""}` };
    case "uniqueItems":
      return { path, message: `items ${String(p["j"])} and ${String(p["i"])} are the same (they must be unique)` };
    case "not":
      return { path, message: "a known type where an unknown one was expected" };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}
