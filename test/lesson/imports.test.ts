// Static checks of every lesson and exercise notebook, no kernel: what they import, and that they are
// stored as the repository keeps them (no outputs, nbformat 4.5 with cell ids, the tslab kernelspec).
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { joinSource, readNotebook } from "../../src/notebook/index.ts";
import { declaredDependencies, importViolations, importsOfSource, whyNotAllowed } from "./notebook-imports.ts";
import { relativeLinks } from "./notebook-links.ts";
import { checkCellModule, exerciseNotebooks, helpersIndex, lessonNotebooks, notebooksDir, repoRoot } from "./notebooks.ts";

const dependencies = declaredDependencies(path.join(repoRoot, "package.json"));
const fixtures = path.join(repoRoot, "test/fixtures/lesson");
const all = [...lessonNotebooks(), ...exerciseNotebooks()];
const rel = (f: string) => path.relative(repoRoot, f);

describe("the import checker", () => {
  it("finds static, require, dynamic, re-export and type imports, not strings holding worker code", () => {
    const found = importsOfSource(
      ['import a from "a";', 'const b = require("b");', 'const c = await import("c");', 'export { d } from "d";', 'import type { E } from "e";', "const src = `require(\"not-an-import\")`;"].join("\n"),
    );
    expect(found).toEqual([
      { specifier: "a", line: 1 },
      { specifier: "b", line: 2 },
      { specifier: "c", line: 3 },
      { specifier: "d", line: 4 },
      { specifier: "e", line: 5 },
    ]);
  });

  it("allows the helpers' index, node builtins and declared dependencies, and refuses the rest", () => {
    const why = (s: string) => whyNotAllowed(s, notebooksDir, helpersIndex, dependencies);
    expect(why("../kernel-helpers/index")).toBeUndefined();
    expect(why("node:worker_threads")).toBeUndefined();
    expect(why("os")).toBeUndefined();
    expect(why("piscina")).toBeUndefined();
    expect(why("../kernel-helpers/sync/lock")).toMatch(/public entry point/);
    expect(why("../kernel-helpers")).toMatch(/public entry point/);
    expect(why("vitest")).toMatch(/neither a Node builtin nor a dependency/);
    expect(why("node:nope")).toMatch(/not a Node builtin/);
    const inExercises = path.join(notebooksDir, "exercises");
    expect(whyNotAllowed("../../kernel-helpers/index", inExercises, helpersIndex, dependencies)).toBeUndefined();
    expect(whyNotAllowed("../kernel-helpers/index", inExercises, helpersIndex, dependencies)).toMatch(/public entry point/);
    // The check cell's module, for exercise notebooks only; nothing else of the tooling.
    const both = [helpersIndex, checkCellModule];
    expect(whyNotAllowed("../../src/grade/check-cell/check-cell", inExercises, both, dependencies)).toBeUndefined();
    expect(whyNotAllowed("../../src/grade/grade", inExercises, both, dependencies)).toMatch(/check cell's module/);
    expect(whyNotAllowed("../src/grade/check-cell/check-cell", notebooksDir, helpersIndex, dependencies)).toMatch(/public entry point/);
  });

  it("reports every bad import of a notebook with its cell and line", async () => {
    const bad = await importViolations(path.join(fixtures, "bad-imports.ipynb"), helpersIndex, dependencies, notebooksDir);
    expect(bad.map((v) => [v.specifier, v.cellIndex, v.line])).toEqual([
      ["left-pad", 1, 2],
      ["../src/cli", 2, 1],
      ["../kernel-helpers/threads/thread", 2, 2],
      ["node:not-a-builtin", 3, 1],
      ["vitest", 3, 2],
    ]);
    const good = await importViolations(path.join(fixtures, "good-imports.ipynb"), helpersIndex, dependencies, notebooksDir);
    expect(good).toEqual([]);
  });
});

describe("the link checker", () => {
  it("finds relative links without anchors, and skips anchors, URLs and code", () => {
    const md = [
      "See [02](02-multiprocessing.ipynb#isolation) and [the exercises](exercises/) or [a space](my%20file.md).",
      "Not links: [top](#top), [docs](https://nodejs.org/api/), [mail](mailto:a@b.c), `a[i](x)` and",
      "```ts",
      'const m = html.match(/href="([^"]*)"/)[1](call);',
      "```",
    ].join("\n");
    expect(relativeLinks(md)).toEqual(["02-multiprocessing.ipynb", "exercises/", "my file.md"]);
  });
});

describe("lesson and exercise notebooks", () => {
  it("exist", () => {
    expect(lessonNotebooks().length).toBeGreaterThan(0);
  });

  it.each(all.map((f) => [rel(f), f]))("%s imports only the helpers' index, Node builtins and declared dependencies", async (_name, file) => {
    const entries = exerciseNotebooks().includes(file) ? [helpersIndex, checkCellModule] : helpersIndex;
    const bad = await importViolations(file, entries, dependencies);
    expect(bad.map((v) => `${rel(v.file)} cell ${v.cellIndex} line ${v.line}: "${v.specifier}": ${v.reason}`)).toEqual([]);
  });

  it.each(all.map((f) => [rel(f), f]))("%s is stored without outputs, as nbformat 4.5 with cell ids and the tslab kernelspec", async (_name, file) => {
    const nb = await readNotebook(file);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(5);
    expect(nb.metadata.kernelspec).toMatchObject({ name: "tslab", language: "typescript" });
    const ids = nb.cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const withOutputs = nb.cells.flatMap((c, i) =>
      c.cell_type === "code" && ((c.outputs as unknown[]).length > 0 || c.execution_count !== null) ? [`cell ${i}`] : [],
    );
    expect(withOutputs, `${rel(file)}: clear outputs before committing (tsnb run writes executed copies elsewhere)`).toEqual([]);
  });

  it.each(all.map((f) => [rel(f), f]))("%s links only to notebooks and files that exist", async (_name, file) => {
    const nb = await readNotebook(file);
    const broken: string[] = [];
    nb.cells.forEach((cell, i) => {
      if (cell.cell_type !== "markdown") return;
      for (const target of relativeLinks(joinSource(cell.source))) {
        if (!existsSync(path.resolve(path.dirname(file), target))) broken.push(`cell ${i}: ${target}`);
      }
    });
    expect(broken).toEqual([]);
  });
});
