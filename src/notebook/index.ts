/**
 * The notebook model: notebooks read as `nbformat.read(f, as_version=4)` reads them (validated against
 * nbformat's schemas, nbformat 3 and 4.0-4.4 upgraded to 4.5) and written as `nbformat.writes` writes them.
 */
export { readNotebook, parseNotebook, writeNotebook, writeFileAtomic, problemsError } from "./io.ts";
export { formatNotebook, joinSource, splitKeepEnds } from "./format.ts";
export { splitLinesPy } from "./splitlines.ts";
export { validateNotebook } from "./validate.ts";
export { loadNotebook, type LoadedNotebook, type LoadOptions } from "./model.ts";
export { formatPath, formatProblem, type JsonPath, type NotebookProblem } from "./problems.ts";
export { randomCellId } from "./upgrade.ts";
export { newNotebook, codeCell, markdownCell } from "./build.ts";
