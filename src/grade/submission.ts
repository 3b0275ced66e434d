import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { CourseError } from "../errors.ts";
import { joinSource, readNotebook } from "../notebook/index.ts";

/** What a learner handed in, reduced to the code that is graded. */
export interface Submission {
  /** The file as given on the command line. */
  file: string;
  /** The exercise id (`grade_id` of the solution cells, or `--exercise`). */
  exercise: string;
  /** The solution cells joined in order (TypeScript), or the whole `.ts` file. */
  code: string;
}

/** A submission that cannot be graded as handed in: the message says what is missing and how to fix it. */
export class SubmissionError extends CourseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_SUBMISSION", message, options);
  }
}

interface NbgraderMeta {
  solution?: boolean;
  grade_id?: string;
}

function nbgrader(cell: nbformat.ICell): NbgraderMeta | undefined {
  const meta = (cell.metadata as { nbgrader?: unknown } | undefined)?.nbgrader;
  return meta && typeof meta === "object" ? (meta as NbgraderMeta) : undefined;
}

/** A cell that still looks like a solution cell after an editor dropped its metadata. */
function looksLikeSolution(source: string): boolean {
  return (
    /not implemented|\/\/ *YOUR CODE|BEGIN SOLUTION/i.test(source) ||
    /^\s*(export\s+)?(class|async function|function)\s/m.test(source)
  );
}

/**
 * The graded code of a notebook: its solution cells (nbgrader `solution: true` with a `grade_id`),
 * in order. Other cells (the learner's experiments, markdown, try-it cells) are ignored.
 * @param exercises known exercise ids, to recognise a grade_id and to name them in errors
 */
export function solutionOfNotebook(
  file: string,
  nb: nbformat.INotebookContent,
  exercises: readonly string[],
  forced?: string,
): Submission {
  const cells = nb.cells.map((cell, index) => ({ cell, index, meta: nbgrader(cell) }));
  const solutions = cells.filter((c) => c.meta?.solution === true && typeof c.meta.grade_id === "string");
  const ids = [...new Set(solutions.map((c) => c.meta?.grade_id as string))];
  const known = ids.filter((id) => exercises.includes(id));
  const exercise = forced ?? (known.length === 1 ? known[0] : undefined);
  if (forced === undefined && known.length > 1) {
    throw new SubmissionError(
      `${file}: solution cells name several exercises (${known.join(", ")}); grade one with --exercise ID`,
    );
  }
  if (exercise === undefined) {
    const fromName = exercises.find((id) => path.basename(file).includes(id));
    const hint = fromName ? `"${fromName}"` : `"<exercise id>"`;
    const candidates = cells.filter((c) => c.cell.cell_type === "code" && looksLikeSolution(joinSource(c.cell.source)));
    const where =
      candidates.length > 0
        ? `cell ${candidates[0]!.index + 1} looks like the solution but has no metadata.nbgrader.grade_id`
        : "no cell has metadata.nbgrader.grade_id";
    const unknown = ids.filter((id) => !exercises.includes(id));
    const why =
      unknown.length > 0
        ? `grade_id ${unknown.map((id) => `"${id}"`).join(", ")} names no exercise (known: ${exercises.join(", ")})`
        : where;
    throw new SubmissionError(
      `${file}: no solution cell found: ${why}.\n` +
        `  Fix: in JupyterLab open the cell's metadata (Property Inspector) and restore\n` +
        `    "nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": ${hint}, "schema_version": 3}\n` +
        `  or grade the code as a file: copy the solution into a .ts file and run tsnb grade FILE.ts --exercise ${fromName ?? "ID"}`,
    );
  }
  const mine = solutions.filter((c) => c.meta?.grade_id === exercise);
  if (mine.length === 0)
    throw new SubmissionError(
      `${file}: no solution cell has grade_id "${exercise}" (found: ${ids.join(", ") || "none"})`,
    );
  const notCode = mine.find((c) => c.cell.cell_type !== "code");
  if (notCode) {
    throw new SubmissionError(
      `${file}: cell ${notCode.index + 1} is the solution cell of "${exercise}" but its type is ${notCode.cell.cell_type}; change it back to Code (Esc, then Y)`,
    );
  }
  return { file, exercise, code: mine.map((c) => joinSource(c.cell.source)).join("\n\n") };
}

/** Read a submission: a notebook, or a `.ts` file graded as `exercise`. */
export async function readSubmission(
  file: string,
  exercises: readonly string[],
  exercise?: string,
): Promise<Submission> {
  if (exercise !== undefined && !exercises.includes(exercise)) {
    throw new SubmissionError(`unknown exercise "${exercise}" (known: ${exercises.join(", ")})`);
  }
  if (file.endsWith(".ipynb")) return solutionOfNotebook(file, await readNotebook(file), exercises, exercise);
  if (!/\.(ts|mts|js|mjs)$/.test(file))
    throw new SubmissionError(`${file}: expected a notebook (.ipynb) or a TypeScript file (.ts)`);
  if (exercise === undefined) {
    const guess = exercises.find((id) => path.basename(file).includes(id));
    throw new SubmissionError(
      `${file}: a .ts submission needs --exercise ID${guess ? ` (e.g. --exercise ${guess})` : ""}`,
    );
  }
  let code: string;
  try {
    code = await readFile(file, "utf8");
  } catch (error) {
    throw new SubmissionError(`${file}: cannot read (${(error as Error).message})`, { cause: error });
  }
  return { file, exercise, code };
}
