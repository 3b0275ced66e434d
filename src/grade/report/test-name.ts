/**
 * What a suite's test name says: `"[points] what is checked"`, optionally with a Gradescope
 * visibility right after the points: `"[2] (hidden) survives 64 workers"`, `"[2] (after_due_date) ..."`.
 * Reports show the title alone (no points prefix, no marker).
 */

/** Gradescope's visibility values (its autograder specification, results.json). */
export const VISIBILITIES = ["hidden", "after_due_date", "after_published", "visible"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface TestLabel {
  /** The name without its points prefix and visibility marker. */
  title: string;
  /** The visibility the suite asks for, when it marks one. */
  visibility?: Visibility;
}

const LABEL = /^\[[\d.]+\]\s*(?:\((hidden|after_due_date|after_published|visible)\)\s*)?/;

/** Split a suite's test name into the title a learner reads and the visibility it asks for. */
export function testLabel(name: string): TestLabel {
  const m = LABEL.exec(name);
  if (!m) return { title: name };
  const title = name.slice(m[0].length);
  return m[1] ? { title, visibility: m[1] as Visibility } : { title };
}

/** Whether `value` is one of Gradescope's visibility values. */
export function isVisibility(value: string): value is Visibility {
  return (VISIBILITIES as readonly string[]).includes(value);
}
