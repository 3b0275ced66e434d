import type * as nbformat from "@jupyterlab/nbformat";
import { CourseError } from "../errors.ts";
import { joinSource } from "../notebook/index.ts";

const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/\s*END SOLUTION\s*$/;

/** The stub a learner gets in place of each solution region. */
export const STUB = 'throw new Error("not implemented");';

/** An instructor notebook whose solution markers do not pair up: names the file, cell and line. */
export class ReleaseError extends CourseError {
  constructor(message: string) {
    super("ERR_RELEASE", message);
  }
}

/**
 * Replace every `// BEGIN SOLUTION` ... `// END SOLUTION` region (markers included) with
 * {@link STUB}, indented like the BEGIN marker. `where` names the place for errors.
 */
export function releaseSource(source: string, where: string): string {
  const out: string[] = [];
  let open: number | undefined;
  source.split("\n").forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open !== undefined)
        throw new ReleaseError(
          `${where}, line ${i + 1}: BEGIN SOLUTION inside the region opened on line ${open + 1} (close it with // END SOLUTION first)`,
        );
      open = i;
      out.push(`${begin[1]}${STUB}`);
    } else if (END.test(line)) {
      if (open === undefined)
        throw new ReleaseError(`${where}, line ${i + 1}: END SOLUTION without a BEGIN SOLUTION before it`);
      open = undefined;
    } else if (open === undefined) out.push(line);
  });
  if (open !== undefined)
    throw new ReleaseError(`${where}, line ${open + 1}: BEGIN SOLUTION is never closed (add // END SOLUTION)`);
  return out.join("\n");
}

/**
 * The learner's version of an instructor notebook: solution regions of code cells become stubs,
 * outputs and execution counts are cleared (they could show the solution's results); cell ids,
 * metadata (nbgrader's included) and every other cell are kept.
 */
export function releaseNotebook(nb: nbformat.INotebookContent, file: string): nbformat.INotebookContent {
  const cells = nb.cells.map((cell, index) => {
    if (cell.cell_type !== "code") return cell;
    const source = joinSource(cell.source);
    const released = releaseSource(source, `${file}: cell ${index + 1}`);
    return { ...cell, source: released, outputs: [], execution_count: null } as nbformat.ICodeCell;
  });
  return { ...nb, cells };
}
