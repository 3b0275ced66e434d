import type * as nbformat from "@jupyterlab/nbformat";
import { replaceSolutions } from "../../grade/solution-markers.ts";
import { joinSource, splitKeepEnds } from "../../notebook/index.ts";

/**
 * Replace every `// BEGIN SOLUTION` … `// END SOLUTION` block with the stub, as `tsnb release` does
 * (one parser: src/grade/solution-markers.ts). An unterminated block hides everything after its BEGIN line.
 */
export function stripSolutions(source: string): string {
  return replaceSolutions(source, { onUnpaired: "hide-rest" });
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
