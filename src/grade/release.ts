import type * as nbformat from "@jupyterlab/nbformat";
import { joinSource } from "../notebook/index.ts";
import { replaceSolutions } from "./solution-markers.ts";

export { STUB } from "./solution-markers.ts";

/** An instructor notebook whose solution markers do not pair up: names the file, cell and line. */
export { SolutionMarkerError as ReleaseError } from "./solution-markers.ts";

/**
 * Replace every `// BEGIN SOLUTION` ... `// END SOLUTION` region (markers included) with the stub,
 * indented like the BEGIN marker. `where` names the place for errors.
 */
export function releaseSource(source: string, where: string): string {
  return replaceSolutions(source, { onUnpaired: "throw", where });
}

interface NbgraderCellMeta {
  solution?: boolean;
  locked?: boolean;
}

/**
 * nbgrader's lock step: a solution cell cannot be deleted (`deletable: false`: the grader finds the
 * solution by this cell's metadata); a locked cell (the check cell) can be neither edited nor deleted.
 * JupyterLab and Notebook honour both keys; a learner can still turn them off on purpose.
 */
export function lockMetadata<M extends object>(metadata: M): M {
  const nbgrader = (metadata as { nbgrader?: NbgraderCellMeta }).nbgrader;
  if (nbgrader?.locked === true) return { ...metadata, editable: false, deletable: false };
  if (nbgrader?.solution === true) return { ...metadata, deletable: false };
  return metadata;
}

/**
 * The learner's version of an instructor notebook: solution regions of code cells become stubs,
 * outputs and execution counts are cleared (they could show the solution's results), solution cells
 * and locked cells are locked as nbgrader's lock step does ({@link lockMetadata}); cell ids,
 * other metadata (nbgrader's included) and every other cell are kept.
 */
export function releaseNotebook(nb: nbformat.INotebookContent, file: string): nbformat.INotebookContent {
  const cells = nb.cells.map((cell, index) => {
    if (cell.cell_type !== "code") return cell;
    const source = joinSource(cell.source);
    const released = releaseSource(source, `${file}: cell ${index + 1}`);
    return {
      ...cell,
      metadata: lockMetadata(cell.metadata),
      source: released,
      outputs: [],
      execution_count: null,
    } as nbformat.ICodeCell;
  });
  return { ...nb, cells };
}
