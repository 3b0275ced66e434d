/**
 * Python's `str.splitlines`: a line ends at `\n`, `\r\n`, `\r`, `\v`, `\f`, `\x1c`, `\x1d`, `\x1e`,
 * `\x85`, `\u2028` or `\u2029`. nbformat splits what it writes this way, so a progress bar's `\r` starts
 * a new stored line, as in a notebook saved by JupyterLab.
 */
/* eslint-disable no-control-regex -- \x1c-\x1e are line breaks to Python */
const LINE = /[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g;
const END = /(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])$/;
/* eslint-enable no-control-regex */

/** `text.splitlines(True)`: the lines with their endings (`""` gives no lines). */
export function splitKeepEnds(text: string): string[] {
  return text.match(LINE) ?? [];
}

/** `text.splitlines()`: the lines without their endings. */
export function splitLinesPy(text: string): string[] {
  return splitKeepEnds(text).map((line) => line.replace(END, ""));
}
