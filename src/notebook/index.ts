/** The notebook model: nbformat 4 read, validated and written as Jupyter writes it. */
export { readNotebook, parseNotebook, writeNotebook, writeFileAtomic } from "./io.ts";
export { formatNotebook, joinSource, splitKeepEnds } from "./format.ts";
export { validateNotebook } from "./validate.ts";
export { newNotebook, codeCell, markdownCell } from "./build.ts";
