import type * as nbformat from "@jupyterlab/nbformat";
import { joinSource, splitKeepEnds } from "../../notebook/index.ts";

const BEGIN = /^\s*\/\/\s*BEGIN SOLUTION\b/;
const END = /^\s*\/\/\s*END SOLUTION\b/;

/**
 * Replace every `// BEGIN SOLUTION` … `// END SOLUTION` block with `throw new Error("not implemented");`
 * at the marker's indentation, as `tsnb release` does. An unterminated block hides everything after
 * its BEGIN line: a page that loses a few stub lines is better than one that shows a solution.
 */
export function stripSolutions(source: string): string {
  const out: string[] = [];
  let inside = false;
  for (const line of splitKeepEnds(source)) {
    if (!inside && BEGIN.test(line)) {
      inside = true;
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      out.push(`${indent}throw new Error("not implemented");${line.endsWith("\n") ? "\n" : ""}`);
    } else if (inside && END.test(line)) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("");
}

/**
 * An exercise notebook as a learner gets it: no outputs, no execution counts, and no solution even
 * if an instructor's version with solution markers was put in `notebooks/exercises/` by mistake.
 * The input is not modified; metadata (nbgrader's included) is kept.
 */
export function learnerView(nb: nbformat.INotebookContent): nbformat.INotebookContent {
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const source = joinSource(cell.source);
      const clean = stripSolutions(source);
      return {
        ...cell,
        source: clean === source ? cell.source : splitKeepEnds(clean),
        outputs: [],
        execution_count: null,
      } as nbformat.ICodeCell;
    }),
  };
}
