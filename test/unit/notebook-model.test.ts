import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatNotebook, parseNotebook, readNotebook, writeNotebook } from "../../src/notebook/index.ts";

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
    ["invalid JSON", '{\n "cells": [,]\n}', /bad\.ipynb: line 2, column \d+: invalid JSON/],
    ["nbformat 3", JSON.stringify({ worksheets: [], metadata: {}, nbformat_minor: 0 }), /bad\.ipynb: nbformat: this is an nbformat 3 notebook/],
    ["nbformat 3 with a version", JSON.stringify({ nbformat: 3, worksheets: [] }), /bad\.ipynb: nbformat: nbformat 3 is not supported/],
    ["missing cells", JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }), /bad\.ipynb: cells: missing/],
    ["a cell without source", JSON.stringify({ ...valid, cells: [valid.cells[0], { cell_type: "code", metadata: {}, outputs: [] }] }), /bad\.ipynb: cells\[1\] \(code cell\): missing `source`/],
    ["a bad cell type", JSON.stringify({ ...valid, cells: [{ cell_type: "python", source: "" }] }), /bad\.ipynb: cells\[0\]\.cell_type: expected "code", "markdown" or "raw"/],
  ])("rejects %s with the file and place", async (_name, text, message) => {
    const file = path.join(dir, "bad.ipynb");
    await writeFile(file, text);
    await expect(readNotebook(file)).rejects.toThrow(message);
    await expect(readNotebook(file)).rejects.toMatchObject({ code: "ERR_NOTEBOOK_INVALID" });
  });

  it("names a missing file", async () => {
    await expect(readNotebook(path.join(dir, "nope.ipynb"))).rejects.toThrow(/nope\.ipynb: no such file/);
  });
});
