/** Where the lesson's notebooks are, for the lesson tests. */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The lesson notebooks' folder. */
export const notebooksDir = path.join(repoRoot, "notebooks");
/** The exercises' folder. */
export const exercisesDir = path.join(notebooksDir, "exercises");
/** The helpers' public entry point: the one local module a lesson notebook may import. */
export const helpersIndex = path.join(repoRoot, "kernel-helpers", "index.ts");
/** The "Check your work" cell's module: exercise notebooks may import it too (their last cell does). */
export const checkCellModule = path.join(repoRoot, "src", "grade", "check-cell", "check-cell.ts");

const lessonName = /^\d\d-[\w-]+\.ipynb$/;
const exerciseName = /^[\w-]+\.ipynb$/;

/** Absolute paths of the lesson notebooks (`notebooks/NN-*.ipynb`), in lesson order. */
export function lessonNotebooks(): string[] {
  return readdirSync(notebooksDir).filter((f) => lessonName.test(f)).sort().map((f) => path.join(notebooksDir, f));
}

/** Absolute paths of the exercise notebooks (`notebooks/exercises/<id>.ipynb`), possibly none yet. */
export function exerciseNotebooks(): string[] {
  try {
    return readdirSync(exercisesDir).filter((f) => exerciseName.test(f)).sort().map((f) => path.join(exercisesDir, f));
  } catch {
    return [];
  }
}
