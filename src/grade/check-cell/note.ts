import path from "node:path";
import type { KernelMatch } from "./kernel-match.ts";
import type { LocatedNotebook } from "./locate.ts";

const list = (names: readonly string[]) => names.slice(0, 4).join(", ") + (names.length > 4 ? ", ..." : "");

/**
 * The line above the table: which code was graded (the saved notebook, when it was saved) and
 * whether that is what the kernel last ran, so a learner who forgot to run or to save is told.
 */
export function gradedNote(located: LocatedNotebook, match: KernelMatch): string {
  const time = located.savedAt.toTimeString().slice(0, 8);
  const what = `Graded the saved notebook ${path.basename(located.file)} (saved at ${time})${located.because ? `; ${located.because}` : ""}`;
  switch (match.state) {
    case "same":
      return `${what}: the same solution this kernel last ran.`;
    case "not-run":
      return (
        `${what}. Warning: this kernel has not run your solution cell (${list(match.names)} not defined here): ` +
        `the grade is for the saved file; run the solution cell to try your code here.`
      );
    case "differs":
      return (
        `${what}. Warning: the saved ${list(match.names)} is not what this kernel last ran (unsaved edits, or edits ` +
        `not run): save (Ctrl+S), run the solution cell, then this cell again to grade what you see.`
      );
    case "unknown":
      return `${what}.`;
  }
}
