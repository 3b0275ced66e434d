/**
 * Exercise notebooks are written as `exercises/<id>/exercise.md` (instructions and try-it
 * code as plain Markdown with ```ts fences) plus `solution.ts` (the reference solution with
 * `// BEGIN SOLUTION` / `// END SOLUTION` markers). This module builds the instructor notebook from
 * them; `tsnb release` (releaseNotebook) turns it into the learner's notebooks/exercises/<id>.ipynb.
 *
 * In exercise.md a line `<!-- solution -->` places the solution cell (nbgrader metadata, grade_id =
 * the exercise id); each ```ts fence is a code cell; the text between fences is one Markdown cell.
 * Every notebook ends with the "Check your work" cell (src/grade/check-cell/cell.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { codeCell, markdownCell, newNotebook } from "../src/notebook/index.ts";
import { checkCellMetadata, checkCellSource } from "../src/grade/check-cell/cell.ts";

export const EXERCISES_DIR = path.dirname(new URL(import.meta.url).pathname);

/** nbgrader's metadata of a solution cell (DESIGN.md). */
export function solutionMetadata(id: string) {
  return { nbgrader: { solution: true, grade: false, locked: false, grade_id: id, schema_version: 3 } };
}

/** The instructor notebook of exercise `id` (solution included), with stable cell ids. */
export function instructorNotebook(id: string, dir = path.join(EXERCISES_DIR, id)): nbformat.INotebookContent {
  const md = readFileSync(path.join(dir, "exercise.md"), "utf8");
  // solution.ts ends with `export {};` so the type checker sees a module; a notebook cell has no use for it.
  const solution = readFileSync(path.join(dir, "solution.ts"), "utf8")
    .replace(/^export \{\};.*$/m, "")
    .trimEnd();
  const cells: nbformat.ICell[] = [];
  const cellId = () => `${id}-${String(cells.length + 1).padStart(2, "0")}`;
  let text: string[] = [];
  const flush = () => {
    const body = text.join("\n").trim();
    if (body) cells.push(markdownCell(body, cellId()));
    text = [];
  };
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "<!-- solution -->") {
      flush();
      cells.push(codeCell(solution, solutionMetadata(id), cellId()));
    } else if (line.trim() === "```ts") {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++) code.push(lines[i]!);
      cells.push(codeCell(code.join("\n"), {}, cellId()));
    } else text.push(line);
  }
  flush();
  cells.push(codeCell(checkCellSource(id), checkCellMetadata(id), cellId()));
  return newNotebook(cells);
}
