/**
 * A corpus of notebooks not written by this repository's writer: every nbformat version nbformat
 * reads (3.0, 4.0-4.5, newer minors), written the way other tools write them (split and unsplit
 * lines, base64 split into lines, `\r` progress bars, CRLF files, floats, non-ASCII, control
 * characters), and broken the ways notebooks break (bad or repeated ids, wrong metadata types, missing
 * versions, invalid JSON). Python's nbformat judges each one in the test; nothing here says the answer.
 */

type Obj = Record<string, unknown>;

/** One corpus notebook: its file name and exact text. */
export interface CorpusNotebook {
  name: string;
  text: string;
}

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const PNG_LINES = [PNG.slice(0, 40) + "\n", PNG.slice(40, 80) + "\n", PNG.slice(80)];
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">\n<rect width="4" height="4"/>\n</svg>';

const kernelspec = { name: "tslab", display_name: "TypeScript", language: "typescript" };

/** A rich nbformat 4 notebook (with `id`s when `ids`): every cell and output type, split and unsplit text. */
function rich(minor: number, ids: boolean): Obj {
  const id = (s: string): Obj => (ids ? { id: s } : {});
  return {
    nbformat: 4,
    nbformat_minor: minor,
    metadata: { kernelspec, language_info: { name: "typescript", codemirror_mode: { name: "javascript", typescript: true } }, zeta: { b: 1, a: [true, null] } },
    cells: [
      { cell_type: "markdown", ...id("md-1"), metadata: {}, source: "# Title\n\nSome *text* with trailing spaces  \nand a last line" },
      { cell_type: "raw", ...id("raw-1"), metadata: { format: "text/html" }, source: ["<b>raw</b>\n", "second"] },
      {
        cell_type: "code",
        ...id("code-1"),
        execution_count: 3,
        metadata: { collapsed: false, tags: ["a", "b"] },
        source: "const x = 1;\r\nconsole.log(x)\n",
        outputs: [
          { output_type: "stream", name: "stdout", text: "10%\r20%\r100%\ndone\n" },
          { output_type: "stream", name: "stderr", text: ["warn\n", "again"] },
          {
            output_type: "execute_result",
            execution_count: 3,
            metadata: { "image/png": { width: 4, height: 4 } },
            data: { "text/plain": "1\n2", "text/html": ["<p>\n", "x</p>"], "image/png": PNG_LINES, "application/json": { a: [1, 2], s: "x\ny" } },
          },
          { output_type: "display_data", metadata: {}, data: { "image/svg+xml": SVG, "application/javascript": "a();\nb();", "image/jpeg": PNG, "application/pdf": PNG } },
          { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\u001b[31mError\u001b[0m: boom", "    at <anonymous>"] },
        ],
      },
      { cell_type: "code", ...id("code-2"), execution_count: null, metadata: {}, outputs: [], source: [] },
    ],
  };
}

function nb45(cells: Obj[], metadata: Obj = { kernelspec }): Obj {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

const code = (id: string, source: unknown = "1 + 1", extra: Obj = {}): Obj => ({ cell_type: "code", id, execution_count: null, metadata: {}, outputs: [], source, ...extra });
const md = (id: string, source: unknown = "text", extra: Obj = {}): Obj => ({ cell_type: "markdown", id, metadata: {}, source, ...extra });

/** An nbformat 3 notebook as IPython 2 wrote it: worksheets, heading cells, pyout/pyerr, v3 mime aliases. */
function v3(extraCell?: Obj): Obj {
  return {
    nbformat: 3,
    nbformat_minor: 0,
    metadata: { name: "old", signature: "sha256:abc", kernel_info: { name: "python2", language: "python" } },
    worksheets: [
      {
        metadata: {},
        cells: [
          { cell_type: "heading", level: 2, metadata: {}, source: ["A heading\n", "on two lines"] },
          { cell_type: "markdown", metadata: {}, source: ["Some ", "text"] },
          { cell_type: "raw", metadata: {}, source: "raw text" },
          {
            cell_type: "code",
            collapsed: true,
            input: ["print('hi')\n", "1 + 1"],
            language: "python",
            metadata: { trusted: true },
            prompt_number: 2,
            outputs: [
              { output_type: "stream", stream: "stdout", text: ["hi\r", "there\n"] },
              { output_type: "pyout", prompt_number: 2, text: ["2"], html: "<b>2</b>", png: PNG, json: '{"a": 1.5, "b": [1, 2]}', metadata: {} },
              { output_type: "display_data", svg: SVG, jpeg: PNG, latex: ["$x$"], javascript: "alert(1)", metadata: { png: { width: 2 } } },
              { output_type: "pyerr", ename: "ZeroDivisionError", evalue: "division by zero", traceback: ["Traceback", "ZeroDivisionError"] },
            ],
          },
          ...(extraCell ? [extraCell] : []),
        ],
      },
    ],
  };
}

const json = (o: unknown): string => `${JSON.stringify(o, null, 1)}\n`;
const edit = (o: Obj, fn: (o: Obj) => void): Obj => {
  const c = structuredClone(o);
  fn(c);
  return c;
};
const cellsOf = (o: Obj): Obj[] => o["cells"] as Obj[];

/** The corpus: about seventy notebooks. */
export function corpus(): CorpusNotebook[] {
  const out: CorpusNotebook[] = [];
  const add = (name: string, value: Obj | string): void => {
    out.push({ name: `${name}.ipynb`, text: typeof value === "string" ? value : json(value) });
  };

  // Every version nbformat reads.
  for (let minor = 0; minor <= 4; minor++) add(`v4.${minor}-rich`, rich(minor, false));
  add("v4.5-rich", rich(5, true));
  add("v4.5-rich-compact", JSON.stringify(rich(5, true)));
  add("v4.5-rich-indent4-crlf", JSON.stringify(rich(5, true), null, 4).replace(/\n/g, "\r\n"));
  add("v3-ipython2", v3());
  add("v3-html-cell", v3({ cell_type: "html", metadata: {}, source: "<i>x</i>" }));
  add("v3-heading-level1-string", v3({ cell_type: "heading", level: 1, metadata: {}, source: "One\u2028line" }));
  add("v3-without-minor", edit(v3(), (o) => delete o["nbformat_minor"]));
  add("v3.1", edit(v3(), (o) => (o["nbformat_minor"] = 1)));
  add("v3-rendered-markdown", v3({ cell_type: "markdown", metadata: {}, source: "x", rendered: "<p>x</p>" }));
  add("v3-code-without-outputs", v3({ cell_type: "code", input: "x", language: "python", metadata: {} }));

  // A newer minor: validated against 4.5 relaxed, unknown cell and output types kept untouched.
  add("v4.6-unknown-cell", nb45([md("m1"), { cell_type: "widget-board", id: "w1", metadata: { tags: ["x"] }, source: ["a\n", "b"], payload: { deep: [1, { k: "v" }] } }, code("c1")]));
  add("v4.6-unknown-cell", edit(JSON.parse(out.at(-1)!.text) as Obj, (o) => (o["nbformat_minor"] = 6)));
  out.splice(out.length - 2, 1);
  add("v4.9-unknown-output", edit(nb45([code("c1", "x", { outputs: [{ output_type: "update_display_data", data: { "text/plain": ["a\n", "b"] }, text: ["x\n", "y"], metadata: {} }] })]), (o) => (o["nbformat_minor"] = 9)));
  add("v4.6-extra-cell-field", edit(nb45([md("m1", "x", { future_field: 1 })]), (o) => (o["nbformat_minor"] = 6)));
  add("v4.6-known-cell-without-id", edit(nb45([{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: "" }]), (o) => (o["nbformat_minor"] = 6)));
  add("v4.6-unknown-cell-without-metadata", edit(nb45([{ cell_type: "board", id: "b1", source: "" }]), (o) => (o["nbformat_minor"] = 6)));
  add("v4.6-unknown-output-text-not-strings", edit(nb45([code("c1", "x", { outputs: [{ output_type: "frame", text: [1, 2] }] })]), (o) => (o["nbformat_minor"] = 6)));
  add("v4.6-unknown-cell-source-not-strings", edit(nb45([{ cell_type: "board", id: "b1", metadata: {}, source: ["a", 2] }]), (o) => (o["nbformat_minor"] = 6)));
  add("v4.5-unknown-cell", nb45([{ cell_type: "widget-board", id: "w1", metadata: {}, source: "" }]));

  // Cell ids.
  for (const [label, id] of [["space", "a b"], ["empty", ""], ["65-chars", "x".repeat(65)], ["64-chars", "y".repeat(64)], ["newline", "abc\n"], ["accent", "café"], ["number", 5], ["dots", "a.b"]] as const) {
    add(`id-${label}`, nb45([code(id as string), md("ok")]));
  }
  add("id-duplicate", nb45([code("same"), md("same"), code("other"), md("same")]));
  add("id-missing-4.5", nb45([{ cell_type: "markdown", metadata: {}, source: "no id" }, code("has-id")]));
  add("id-present-4.4", edit(rich(4, true), () => undefined));

  // Metadata types.
  add("kernelspec-string", nb45([code("c")], { kernelspec: "tslab" }));
  add("kernelspec-without-name", nb45([code("c")], { kernelspec: { display_name: "TS" } }));
  add("language-info-name-number", nb45([code("c")], { language_info: { name: 3 } }));
  add("authors-not-array", nb45([code("c")], { authors: "me" }));
  add("title-number", nb45([code("c")], { title: 1 }));
  add("metadata-array", { nbformat: 4, nbformat_minor: 5, metadata: [], cells: [] });
  add("cell-metadata-jupyter-string", nb45([code("c", "x", { metadata: { jupyter: "hidden" } })]));
  add("cell-tags-repeated", nb45([code("c", "x", { metadata: { tags: ["a", "a"] } })]));
  add("cell-tags-comma", nb45([code("c", "x", { metadata: { tags: ["a,b"] } })]));
  add("cell-name-empty", nb45([code("c", "x", { metadata: { name: "" } })]));
  add("cell-name-carriage-return", nb45([code("c", "x", { metadata: { name: "a\rb" } })]));
  add("cell-trusted-and-orig", nb45([code("c", "x", { metadata: { trusted: "yes", keep: 1 } })], { orig_nbformat: "three", orig_nbformat_minor: 0, signature: 5, kernelspec }));
  add("cell-type-unknown-4.5", nb45([{ cell_type: "python", id: "p", metadata: {}, source: "" }]));
  add("cell-without-source", nb45([{ cell_type: "code", id: "c", execution_count: null, metadata: {}, outputs: [] }]));
  add("cell-source-number-list", nb45([md("m", ["a", 1])]));
  add("cell-not-object", nb45(["a cell"] as unknown as Obj[]));

  // Versions.
  add("minor-missing", edit(nb45([code("c")]), (o) => delete o["nbformat_minor"]));
  add("minor-string", edit(nb45([code("c")]), (o) => (o["nbformat_minor"] = "5")));
  add("minor-float", json(nb45([code("c")])).replace('"nbformat_minor": 5', '"nbformat_minor": 5.0'));
  add("major-missing", edit(nb45([code("c")]), (o) => delete o["nbformat"]));
  add("major-5", edit(nb45([code("c")]), (o) => (o["nbformat"] = 5)));
  add("major-2", { nbformat: 2, nbformat_minor: 0, metadata: {}, worksheets: [] });
  add("minor-negative", edit(nb45([code("c")]), (o) => (o["nbformat_minor"] = -1)));
  add("top-level-array", "[]\n");
  add("cells-missing", { nbformat: 4, nbformat_minor: 5, metadata: {} });
  add("extra-top-level-key", { ...nb45([code("c")]), extra: true });

  // Outputs.
  const withOutputs = (outputs: Obj[], name: string): void => add(name, nb45([code("c", "x", { execution_count: 1, outputs })]));
  withOutputs([{ output_type: "stream", name: "stdout", text: "a\rb\r\nc\nd\u000be\u000cf\u001cg\u001dh\u001ei\u0085j\u2028k\u2029l\n\n" }], "stream-every-line-break");
  withOutputs([{ output_type: "stream", name: "stdout", text: ["already\n", "split\r", "x"] }], "stream-split-list");
  withOutputs([{ output_type: "execute_result", execution_count: 1, metadata: {}, data: { "text/plain": ["a", 1] } }], "data-list-not-strings");
  withOutputs([{ output_type: "execute_result", metadata: {}, data: { "text/plain": "x" } }], "execute-result-without-count");
  withOutputs([{ output_type: "update_display_data", metadata: {}, data: {} }], "update-display-data-4.5");
  withOutputs([{ output_type: "display_data", metadata: {}, data: { "image/png": PNG_LINES, "text/markdown": "# md\r\nx", "application/vnd.custom+json": { x: [1.5] }, "application/x-custom": "a\nb" } }], "binary-and-custom-mimes");
  withOutputs([{ output_type: "display_data", metadata: {}, data: { "text/plain": { not: "text" } } }], "data-text-object");
  withOutputs([{ output_type: "error", ename: "E", evalue: "v", traceback: "not a list" }], "error-traceback-string");
  withOutputs([{ output_type: "stream", name: "stdout", text: "x", extra: 1 }], "stream-extra-field");

  // Attachments.
  add("attachments", nb45([md("m", "![a](attachment:a.png)", { attachments: { "a.png": { "image/png": PNG_LINES, "text/plain": "alt\ntext" }, "b.svg": { "image/svg+xml": SVG } } })]));
  add("attachments-not-bundle", nb45([md("m", "x", { attachments: { "a.png": "data" } })]));

  // Text: non-ASCII, control characters, key order by code point, duplicate keys, floats.
  add("non-ascii", nb45([md("m", "héllo wörld ✓ 😀 漢字\n\u0001\u007f\u0085 tab\t end"), code("c", "const s = '\\u00e9';")], { kernelspec, "\uffff": 1, "\u{10000}": 2, "é": 3, Z: 4, a: 5 }));
  add("lone-surrogate", json(nb45([md("m", "x")])).replace('"source": "x"', '"source": "a\\ud800b\\udc00"'));
  add("duplicate-json-keys", '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"a": 1, "a": 2}, "cells": [], "cells": []}');
  add("proto-key", json(nb45([code("c")], { __proto__: { x: 1 }, kernelspec } as Obj)).replace('"kernelspec"', '"__proto__": {"polluted": true},\n  "kernelspec"'));
  add("python-numbers", json(nb45([code("c")], { kernelspec })).replace('"kernelspec"', '"f": [1.0, 1e5, -0.0, 2.5e-7, 1e16, 12345678901234567890, -0, NaN, Infinity, 1E400],\n  "kernelspec"'));
  add("execution-count-float", json(nb45([code("c", "x", { execution_count: 7 })])).replace('"execution_count": 7', '"execution_count": 7.0'));
  add("execution-count-bool", nb45([code("c", "x", { execution_count: true })]));
  add("bom", `\ufeff${json(nb45([code("c")]))}`);
  add("invalid-json", '{\n "nbformat": 4,\n "cells": [,]\n}\n');
  add("empty-notebook", nb45([]));
  add("cells-mutated-v4.5", edit(rich(5, true), (o) => cellsOf(o).reverse()));
  return out;
}
