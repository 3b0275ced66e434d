/**
 * The "Check your work" cell every exercise notebook ends with (exercises/notebook-source.ts adds it).
 * Its nbgrader metadata marks it locked, not a solution: the grader ignores it, and `tsnb release`
 * makes it read-only (release.ts, lockMetadata) so a learner cannot delete the cell that checks them.
 */

/** Where the check cell's module is, from a notebook in notebooks/exercises/. */
const MODULE = "../../src/grade/check-cell/check-cell";

/** The check cell's source for exercise `id`. */
export function checkCellSource(id: string): string {
  return [
    "// Check your work: grades your saved solution cell with the same tests as `npx tsnb grade`, in",
    "// separate processes (a hang or a crash in your code cannot stop this notebook). Save first (Ctrl+S).",
    `import { checkYourWork } from "${MODULE}";`,
    `await checkYourWork(${JSON.stringify(id)});`,
  ].join("\n");
}

/** The check cell's metadata: nbgrader's read-only cell (locked, neither solution nor graded). */
export function checkCellMetadata(id: string) {
  return {
    nbgrader: { solution: false, grade: false, locked: true, grade_id: `${id}-check`, schema_version: 3 },
  };
}
