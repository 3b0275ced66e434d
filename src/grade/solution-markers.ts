/**
 * The one parser of solution markers: `// BEGIN SOLUTION` ... `// END SOLUTION` regions in a code
 * cell's source. `tsnb release` (release.ts) and the site's learner view (src/site/build/learner-view.ts)
 * both replace each region, markers included, with {@link STUB} at the BEGIN marker's indentation.
 * They differ only in what an unpaired marker does: release refuses it (naming the place), the site
 * hides everything after an unclosed BEGIN (a page that loses a few stub lines is better than one
 * that shows a solution).
 */
import { CourseError } from "../errors.ts";

/** A line that opens a region; text after the marker (`// BEGIN SOLUTION: hint`) is allowed. */
const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\b/;
/** A line that closes a region. */
const END = /^\s*\/\/\s*END SOLUTION\b/;

/** The stub a learner gets in place of each solution region. */
export const STUB = 'throw new Error("not implemented");';

/** Markers that do not pair up: names the place (`where`, then the line). */
export class SolutionMarkerError extends CourseError {
  constructor(message: string) {
    super("ERR_SOLUTION_MARKERS", message);
  }
}

/** What to do with unpaired markers. */
export type UnpairedMarkers =
  /** Throw a {@link SolutionMarkerError} naming `where` and the line (tsnb release). */
  | { onUnpaired: "throw"; where: string }
  /** Hide every line after an unclosed BEGIN; ignore a stray END (pages of notebooks). */
  | { onUnpaired: "hide-rest" };

/** Lines with their own line ends, so `\n` and `\r\n` sources come back as they were. */
function lines(source: string): string[] {
  return source.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Whether `source` holds a solution marker at all (a fast path for cells without one). */
export function hasSolutionMarkers(source: string): boolean {
  return /\/\/\s*(BEGIN|END) SOLUTION\b/.test(source);
}

/**
 * `source` with every solution region (markers included) replaced by {@link STUB}, indented like
 * its BEGIN marker and ending as that line ended.
 */
export function replaceSolutions(source: string, mode: UnpairedMarkers): string {
  if (!hasSolutionMarkers(source)) return source;
  const fail = (message: string) => {
    if (mode.onUnpaired === "throw") throw new SolutionMarkerError(`${mode.where}, ${message}`);
  };
  const out: string[] = [];
  const ending = (line: string) => (line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "");
  let open: { line: number; ending: string } | undefined;
  lines(source).forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open !== undefined) {
        fail(
          `line ${i + 1}: BEGIN SOLUTION inside the region opened on line ${open.line + 1} (close it with // END SOLUTION first)`,
        );
        return; // hide-rest: still inside the first region
      }
      open = { line: i, ending: ending(line) };
      out.push(`${begin[1]}${STUB}`);
    } else if (END.test(line)) {
      // The stub stands for the lines BEGIN..END: it ends as the END line ended.
      if (open === undefined) fail(`line ${i + 1}: END SOLUTION without a BEGIN SOLUTION before it`);
      else out.push(ending(line));
      open = undefined;
    } else if (open === undefined) out.push(line);
  });
  if (open !== undefined) {
    fail(`line ${open.line + 1}: BEGIN SOLUTION is never closed (add // END SOLUTION)`);
    out.push(open.ending);
  }
  return out.join("");
}
