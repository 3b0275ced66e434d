// The exercises as shipped: every exercise has its notebook, suite, probes, reference and broken
// variants; the committed learner notebooks are exactly what the release step builds from the
// instructor sources, and contain no line of any solution.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { declaredTests, EXERCISE_LIST, exerciseDir, exercises } from "../../src/grade/exercises.ts";
import { releaseNotebook } from "../../src/grade/release.ts";
import { formatNotebook, joinSource, readNotebook } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";

const learnerFile = (id: string) => path.join(ROOT, "notebooks/exercises", `${id}.ipynb`);

/** The lines inside BEGIN/END SOLUTION regions that say something (not braces, not blank). */
function solutionLines(source: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split("\n")) {
    if (/\/\/\s*BEGIN SOLUTION/.test(line)) inside = true;
    else if (/\/\/\s*END SOLUTION/.test(line)) inside = false;
    else if (inside && line.trim().replace(/[{}();,\s]/g, "").length > 12) out.push(line.trim());
  }
  return out;
}

describe.each(EXERCISE_LIST.map((e) => [e.id] as const))("exercise %s", (id) => {
  const dir = exerciseDir(id);

  it("has its suite, probes, reference solution, instructions, two or more broken variants and a learner notebook", () => {
    for (const f of ["suite.grade.ts", "probes.ts", "solution.ts", "exercise.md"])
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect(readdirSync(path.join(dir, "broken")).filter((f) => f.endsWith(".ts")).length).toBeGreaterThanOrEqual(2);
    expect(existsSync(learnerFile(id))).toBe(true);
    expect(exercises().map((e) => e.id)).toContain(id);
  });

  it("declares scored tests with unique names", () => {
    const tests = declaredTests(path.join(dir, "suite.grade.ts"));
    expect(tests.length).toBeGreaterThanOrEqual(4);
    expect(new Set(tests.map((t) => t.name)).size).toBe(tests.length);
    expect(tests.every((t) => t.points > 0)).toBe(true);
  });

  it("notebooks/exercises/<id>.ipynb is the released instructor notebook (rebuild: node --import tsx exercises/build-notebooks.ts)", async () => {
    const built = formatNotebook(releaseNotebook(instructorNotebook(id), `exercises/${id}`));
    expect(readFileSync(learnerFile(id), "utf8")).toBe(built);
  });

  it("the learner notebook has one solution cell (grade_id = the id, stubbed) and no line of the solution", async () => {
    const nb = await readNotebook(learnerFile(id));
    const solutionCells = nb.cells.filter(
      (c) => (c.metadata as { nbgrader?: { solution?: boolean } }).nbgrader?.solution === true,
    );
    expect(solutionCells).toHaveLength(1);
    expect(solutionCells[0]!.metadata).toEqual({
      nbgrader: { solution: true, grade: false, locked: false, grade_id: id, schema_version: 3 },
      deletable: false, // nbgrader's lock step: the grader finds the solution by this cell
    });
    expect(joinSource(solutionCells[0]!.source)).toContain('throw new Error("not implemented");');
    const text = nb.cells.map((c) => joinSource(c.source)).join("\n");
    // Lines the instructions or the try-it cell show on purpose (exercise.md) are not leaks.
    const md = readFileSync(path.join(dir, "exercise.md"), "utf8");
    const leaked = solutionLines(readFileSync(path.join(dir, "solution.ts"), "utf8")).filter(
      (line) => text.includes(line) && !md.includes(line),
    );
    expect(leaked).toEqual([]);
    expect(text).not.toMatch(/BEGIN SOLUTION|END SOLUTION/);
  });

  it("the learner notebook ends with the check cell, read-only and undeletable (nbgrader's lock), which the grader ignores", async () => {
    const nb = await readNotebook(learnerFile(id));
    const last = nb.cells[nb.cells.length - 1]!;
    expect(last.cell_type).toBe("code");
    expect(joinSource(last.source)).toContain(`await checkYourWork(${JSON.stringify(id)});`);
    expect(last.metadata).toEqual({
      nbgrader: { solution: false, grade: false, locked: true, grade_id: `${id}-check`, schema_version: 3 },
      editable: false,
      deletable: false,
    });
  });

  it("the instructions state the contract and how to check it", () => {
    const md = readFileSync(path.join(dir, "exercise.md"), "utf8");
    expect(md).toMatch(/## The contract/);
    expect(md).toContain(`npx tsnb grade notebooks/exercises/${id}.ipynb`);
  });
});
