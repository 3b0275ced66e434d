// Reading submissions as learners hand them in: extra cells, lost metadata, changed cell types,
// broken JSON, .ts files. Each problem gets a message that names the file, the cell and the fix.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotebookFormatError } from "../../src/errors.ts";
import { EXERCISE_LIST } from "../../src/grade/exercises.ts";
import { readSubmission, solutionOfNotebook, SubmissionError } from "../../src/grade/submission.ts";
import { codeCell, formatNotebook, joinSource, markdownCell, readNotebook } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";

const IDS = EXERCISE_LIST.map((e) => e.id);
const LEARNER = path.join(ROOT, "notebooks/exercises/safe-counter.ipynb");
let original: nbformat.INotebookContent;
let dir = "";

beforeAll(async () => {
  original = await readNotebook(LEARNER);
  dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-submission-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const clone = () => structuredClone(original);
const solutionIndex = () =>
  original.cells.findIndex((c) => (c.metadata as { nbgrader?: { solution?: boolean } }).nbgrader?.solution === true);

describe("solution cells", () => {
  it("are found by metadata.nbgrader.grade_id; the exercise comes from it", () => {
    const sub = solutionOfNotebook("nb.ipynb", original, IDS);
    expect(sub.exercise).toBe("safe-counter");
    expect(sub.code).toBe(joinSource(original.cells[solutionIndex()]!.source));
  });

  it("grade the same with the learner's extra cells around them (code, markdown, raw)", () => {
    const nb = clone();
    nb.cells.splice(
      solutionIndex(),
      0,
      codeCell("const scratch = 1;\nconsole.log(scratch);"),
      markdownCell("my notes"),
    );
    nb.cells.push(codeCell("new SafeCounter().increment();"), {
      cell_type: "raw",
      id: "raw1",
      metadata: {},
      source: "raw",
    });
    expect(solutionOfNotebook("nb.ipynb", nb, IDS).code).toBe(solutionOfNotebook("nb.ipynb", original, IDS).code);
  });

  it("are joined in order when there are several", () => {
    const nb = clone();
    const meta = original.cells[solutionIndex()]!.metadata;
    nb.cells.push(codeCell("const second = 2;", structuredClone(meta) as nbformat.ICodeCellMetadata));
    expect(solutionOfNotebook("nb.ipynb", nb, IDS).code).toMatch(/class SafeCounter[\s\S]*\n\nconst second = 2;$/);
  });

  it("lost metadata: says which cell looks like the solution and how to restore the metadata", () => {
    const nb = clone();
    nb.cells[solutionIndex()]!.metadata = {};
    const error = (() => {
      try {
        solutionOfNotebook("alice/safe-counter.ipynb", nb, IDS);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(SubmissionError);
    expect(error!.message).toContain(
      `alice/safe-counter.ipynb: no solution cell found: cell ${solutionIndex() + 1} looks like the solution but has no metadata.nbgrader.grade_id`,
    );
    expect(error!.message).toContain(
      '"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "safe-counter", "schema_version": 3}',
    );
    expect(error!.message).toContain("tsnb grade FILE.ts --exercise safe-counter");
  });

  it("a solution cell turned into markdown: says to change it back to code", () => {
    const nb = clone();
    const cell = nb.cells[solutionIndex()]!;
    nb.cells[solutionIndex()] = {
      cell_type: "markdown",
      id: cell.id,
      metadata: cell.metadata,
      source: cell.source,
    } as nbformat.IMarkdownCell;
    expect(() => solutionOfNotebook("nb.ipynb", nb, IDS)).toThrow(
      new RegExp(
        `cell ${solutionIndex() + 1} is the solution cell of "safe-counter" but its type is markdown; change it back to Code`,
      ),
    );
  });

  it("an unknown grade_id names the known exercises", () => {
    const nb = clone();
    (nb.cells[solutionIndex()]!.metadata as { nbgrader: { grade_id: string } }).nbgrader.grade_id = "safe-countr";
    expect(() => solutionOfNotebook("nb.ipynb", nb, IDS)).toThrow(
      /grade_id "safe-countr" names no exercise \(known: safe-counter, bounded-queue/,
    );
  });

  it("--exercise picks the cells of one exercise when a notebook holds several", () => {
    const nb = clone();
    nb.cells.push(
      codeCell("class BoundedQueue {}", {
        nbgrader: { solution: true, grade: false, locked: false, grade_id: "bounded-queue", schema_version: 3 },
      } as unknown as nbformat.ICodeCellMetadata),
    );
    expect(() => solutionOfNotebook("nb.ipynb", nb, IDS)).toThrow(
      /several exercises \(safe-counter, bounded-queue\); grade one with --exercise ID/,
    );
    expect(solutionOfNotebook("nb.ipynb", nb, IDS, "bounded-queue").code).toBe("class BoundedQueue {}");
  });
});

describe("readSubmission", () => {
  it("invalid JSON: a NotebookFormatError with the file and the line", async () => {
    const file = path.join(dir, "broken.ipynb");
    await writeFile(file, formatNotebook(original).replace('"cells": [', '"cells": [,'));
    const error = await readSubmission(file, IDS).catch((e: Error) => e);
    expect(error).toBeInstanceOf(NotebookFormatError);
    expect((error as Error).message).toMatch(/broken\.ipynb:\d+:\d+: notebook: invalid JSON/);
  });

  it("a .ts file needs --exercise, and the message suggests one from the file name", async () => {
    const file = path.join(dir, "bob-bounded-queue.ts");
    await writeFile(file, "class BoundedQueue {}");
    await expect(readSubmission(file, IDS)).rejects.toThrow(/needs --exercise ID \(e\.g\. --exercise bounded-queue\)/);
    expect((await readSubmission(file, IDS, "bounded-queue")).code).toBe("class BoundedQueue {}");
  });

  it("other files, missing files and unknown exercises are refused clearly", async () => {
    await expect(readSubmission(path.join(dir, "x.py"), IDS, "safe-counter")).rejects.toThrow(
      /expected a notebook \(\.ipynb\) or a TypeScript file/,
    );
    await expect(readSubmission(path.join(dir, "missing.ts"), IDS, "safe-counter")).rejects.toThrow(
      /missing\.ts: cannot read/,
    );
    await expect(readSubmission(path.join(dir, "x.ts"), IDS, "nope")).rejects.toThrow(/unknown exercise "nope"/);
  });
});
