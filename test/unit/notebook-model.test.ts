import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NotebookFormatError } from "../../src/errors.ts";
import { formatNotebook, formatPath, loadNotebook, parseNotebook, readNotebook, writeNotebook } from "../../src/notebook/index.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "nbmodel-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const valid = {
  cells: [
    { cell_type: "markdown", id: "a", metadata: { custom: { keep: [1, 2] } }, source: ["# Title\n", "text"] },
    { cell_type: "code", id: "b", execution_count: null, metadata: {}, outputs: [], source: "const x = 1;\nx" },
  ],
  metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, unknown_tool: { z: 1, a: 2 } },
  nbformat: 4,
  nbformat_minor: 5,
};

describe("notebook model", () => {
  it("round-trips unknown metadata and writes as Jupyter does", async () => {
    const file = path.join(dir, "nb.ipynb");
    await writeNotebook(file, parseNotebook(file, JSON.stringify(valid)));
    const text = await readFile(file, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n "cells": [\n  {');
    // keys sorted: "a" before "z" inside unknown metadata, "cells" before "metadata"
    expect(text.indexOf('"a": 2')).toBeLessThan(text.indexOf('"z": 1'));
    expect(text.indexOf('"cells"')).toBeLessThan(text.indexOf('"metadata"'));
    // multi-line source stored as a list of lines
    expect(text).toContain('"source": [\n    "const x = 1;\\n",\n    "x"\n   ]');
    const again = await readNotebook(file);
    expect(again.metadata["unknown_tool"]).toEqual({ z: 1, a: 2 });
    expect(again.cells[0]?.metadata).toEqual({ custom: { keep: [1, 2] } });
    expect(formatNotebook(again)).toBe(text);
    // atomic write leaves no temporary file behind
    expect(await readdir(dir)).toEqual(["nb.ipynb"]);
  });

  it.each([
    ["invalid JSON", '{\n "cells": [,]\n}', /^.*bad\.ipynb:2:12: notebook: invalid JSON: expecting a value$/m],
    ["a notebook without a version", JSON.stringify({ worksheets: [], metadata: {} }), /bad\.ipynb:1:1: notebook: missing property `nbformat`: is this a Jupyter notebook\?/],
    ["nbformat 3.1", JSON.stringify({ nbformat: 3, nbformat_minor: 1, worksheets: [] }), /bad\.ipynb:1:\d+: nbformat_minor: nbformat 3\.1 has no schema/],
    ["missing cells", JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }), /bad\.ipynb:1:1: notebook: missing property `cells`/],
    ["a cell without source", JSON.stringify({ ...valid, cells: [valid.cells[0], { cell_type: "code", id: "c", metadata: {}, outputs: [] }] }), /bad\.ipynb:1:\d+: cells\[1\]: missing property `source`/],
    ["a bad cell type", JSON.stringify({ ...valid, cells: [{ cell_type: "python", id: "p", metadata: {}, source: "" }] }), /bad\.ipynb:1:\d+: cells\[0\]\.cell_type: the string "python" is not an cell type of nbformat 4\.5 \("raw", "markdown", "code"\)/],
    ["a kernelspec that is not an object", JSON.stringify({ ...valid, metadata: { kernelspec: "tslab" } }), /bad\.ipynb:1:\d+: metadata\.kernelspec: expected an object, got the string "tslab"/],
    ["an invalid cell id", JSON.stringify({ ...valid, cells: [{ ...valid.cells[0], id: "a b" }] }), /cells\[0\]\.id: invalid cell id "a b": 1 to 64 letters, digits, '-' or '_'/],
  ])("rejects %s with the file, line, column and path", async (_name, text, message) => {
    const file = path.join(dir, "bad.ipynb");
    await writeFile(file, text);
    await expect(readNotebook(file)).rejects.toThrow(message);
    await expect(readNotebook(file)).rejects.toMatchObject({ code: "ERR_NOTEBOOK_INVALID" });
  });

  it("lists every problem, each on its own line at its own place", async () => {
    const file = path.join(dir, "bad.ipynb");
    const nb = { ...valid, metadata: { kernelspec: 1 }, cells: [{ ...valid.cells[0], id: "" }, { ...valid.cells[1], execution_count: "one" }] };
    await writeFile(file, `${JSON.stringify(nb, null, 1)}\n`);
    const error = (await readNotebook(file).catch((e: unknown) => e)) as NotebookFormatError;
    expect(error.problems.map((p) => `${p.line}:${p.column} ${p.where}`).sort()).toEqual(["5:10 cells[0].id", "22:23 cells[1].execution_count", "29:17 metadata.kernelspec"].sort());
    expect(error.message.split("\n")).toHaveLength(3);
  });

  it("reads nbformat 3 and 4.4 upgraded to 4.5, and repairs missing and repeated ids as nbformat.read does", async () => {
    const v3 = { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [{ cell_type: "heading", level: 2, metadata: {}, source: "Hi" }] }] };
    const a = parseNotebook("a.ipynb", JSON.stringify(v3));
    expect(a).toMatchObject({ nbformat: 4, nbformat_minor: 5, cells: [{ cell_type: "markdown", source: "## Hi", metadata: {} }] });
    expect(a.cells[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    const v44 = { ...valid, nbformat_minor: 4, cells: valid.cells.map(({ id: _id, ...c }) => c) };
    const b = parseNotebook("b.ipynb", JSON.stringify(v44));
    expect(b.nbformat_minor).toBe(5);
    expect(b.cells.every((c) => /^[0-9a-f]{8}$/.test(c.id as string))).toBe(true);
    const repeated = { ...valid, cells: [valid.cells[0], { ...valid.cells[1], id: "a" }, { cell_type: "raw", metadata: {}, source: "" }] };
    const c = parseNotebook("c.ipynb", JSON.stringify(repeated));
    expect(c.cells[0]!.id).toBe("a");
    expect(new Set(c.cells.map((cell) => cell.id)).size).toBe(3);
    const strict = loadNotebook(JSON.stringify(repeated), { repairIds: false });
    expect(strict.problems.map((p) => [formatPath(p.path), p.fixable])).toEqual([["cells[1].id", true], ["cells[2]", true]]);
  });

  it("keeps cells and outputs of a newer minor version untouched", () => {
    const nb = { ...valid, nbformat_minor: 7, cells: [{ cell_type: "board", id: "b", metadata: {}, source: ["x\n", "y"], extra: { n: 1.0 } }] };
    const text = JSON.stringify(nb).replace('"n":1', '"n":1.0');
    const read = parseNotebook("f.ipynb", text);
    expect(read.nbformat_minor).toBe(7);
    expect(formatNotebook(read)).toContain('"extra": {\n    "n": 1.0\n   },\n   "id": "b",\n   "metadata": {},\n   "source": [\n    "x\\n",\n    "y"\n   ]');
  });

  it("writes as nbformat does: Python's splitlines, base64 unsplit, transient fields dropped", () => {
    const nb = parseNotebook("n.ipynb", JSON.stringify({
      ...valid,
      cells: [{ ...valid.cells[1], metadata: { trusted: true }, outputs: [
        { output_type: "stream", name: "stdout", text: "10%\r50%\r100%\n" },
        { output_type: "display_data", metadata: {}, data: { "image/png": ["iVBOR\n", "w0KG"], "text/plain": "a\u2028b" } },
      ] }],
      metadata: { orig_nbformat: 3 },
    }));
    const text = formatNotebook(nb);
    expect(text).toContain('"text": [\n      "10%\\r",\n      "50%\\r",\n      "100%\\n"\n     ]');
    expect(text).toContain('"image/png": "iVBOR\\nw0KG"');
    expect(text).toContain('"text/plain": [\n       "a\u2028",\n       "b"\n      ]');
    expect(text).not.toContain("trusted");
    expect(text).not.toContain("orig_nbformat");
  });

  it("names a missing file", async () => {
    await expect(readNotebook(path.join(dir, "nope.ipynb"))).rejects.toThrow(/nope\.ipynb: no such file/);
  });
});
