/**
 * The autograder's settings, chosen by `tsnb gradescope build` and stored in the zip as
 * `gradescope.json` beside setup.sh; run_autograder reads them.
 */
import { CourseError } from "../../errors.ts";
import { isVisibility, type Visibility } from "../report/test-name.ts";
import type { GradescopeFormat } from "../report/gradescope.ts";

export interface AutograderConfig {
  /** The exercises of the assignment: each submission is graded for these, and a missing one scores 0. */
  exercises: string[];
  /** Visibility of the whole result. @default "visible" */
  visibility: Visibility;
  /** Visibility of a test its suite does not mark. @default "visible" */
  testVisibility: Visibility;
  /** Visibility of run_autograder's stdout. @default "hidden" */
  stdoutVisibility: Visibility;
  /** Format of `output` fields. @default "md" */
  format: GradescopeFormat;
  /** Limit for one exercise's whole suite, in seconds. @default 120 */
  timeoutSec: number;
}

export const CONFIG_FILE = "gradescope.json";

/** A config read from the zip, checked field by field (a hand-edited file gets a message naming the field). */
export function parseConfig(text: string, file = CONFIG_FILE): AutograderConfig {
  const fail = (why: string): never => {
    throw new CourseError("ERR_AUTOGRADER_CONFIG", `${file}: ${why}`);
  };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const exercises = value["exercises"];
  if (!Array.isArray(exercises) || exercises.length === 0 || !exercises.every((e) => typeof e === "string"))
    fail("exercises must be a non-empty list of exercise ids");
  const vis = (key: string, fallback: Visibility): Visibility => {
    const v = value[key] ?? fallback;
    return typeof v === "string" && isVisibility(v)
      ? v
      : fail(`${key} must be hidden, after_due_date, after_published or visible, got ${JSON.stringify(v)}`);
  };
  const format = value["format"] ?? "md";
  if (format !== "md" && format !== "text") fail(`format must be md or text, got ${JSON.stringify(format)}`);
  const timeoutSec = value["timeoutSec"] ?? 120;
  if (typeof timeoutSec !== "number" || !(timeoutSec > 0)) fail(`timeoutSec must be a number above 0`);
  return {
    exercises: exercises as string[],
    visibility: vis("visibility", "visible"),
    testVisibility: vis("testVisibility", "visible"),
    stdoutVisibility: vis("stdoutVisibility", "hidden"),
    format: format as GradescopeFormat,
    timeoutSec: timeoutSec as number,
  };
}
