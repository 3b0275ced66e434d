/**
 * The figures a learner's machine produced across the lesson (cores, speedups, lost updates, lag), kept so the
 * last lesson can show them in one table. Each lesson writes its own file, `build/figures/<lesson>.json` beside
 * the notebooks' folder (or under `$LESSON_FIGURES_DIR`), replaced whole on every record.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { invalid } from "../errors";
import { runtimeDir } from "../runtime/paths";

/** One recorded figure. */
export interface Figure {
  /** The lesson that measured it, e.g. `"04"`. */
  lesson: string;
  /** What it is, e.g. `"lost updates, 5 unsynchronised threads"`. */
  name: string;
  /** The figure as the lesson printed it, e.g. `"62%"`. */
  value: string;
  /** When it was recorded (ISO 8601). */
  at: string;
}

function figuresDir(): string {
  return process.env["LESSON_FIGURES_DIR"] ?? join(runtimeDir, "..", "..", "build", "figures");
}

function readLesson(file: string): Figure[] {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return Array.isArray(parsed) ? (parsed as Figure[]) : [];
  } catch {
    return []; // missing or unreadable: start afresh
  }
}

/**
 * Records a figure this machine produced, for the lesson's closing table; a figure of the same name from an
 * earlier run is replaced. Never throws for lack of a writable folder (a read-only checkout, a browser): the
 * figure is then simply not kept.
 * @example recordFigure("03", "thread start", "21.4 ms");
 */
export function recordFigure(lesson: string, name: string, value: string | number): void {
  if (typeof lesson !== "string" || !/^[\w-]+$/.test(lesson)) invalid("lesson", "a lesson id such as \"04\"", lesson);
  if (typeof name !== "string" || name === "") invalid("name", "a non-empty string", name);
  const dir = figuresDir();
  const file = join(dir, `${lesson}.json`);
  const figures = readLesson(file).filter((f) => f.name !== name);
  figures.push({ lesson, name, value: String(value), at: new Date().toISOString() });
  try {
    mkdirSync(dir, { recursive: true });
    // Why write then rename: a reader (the closing table, another kernel) never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(figures, null, 1)}\n`);
    renameSync(tmp, file);
  } catch {
    // not kept: see above
  }
}

/** Every figure recorded so far, in lesson order, then in the order each lesson recorded them. */
export function recordedFigures(): Figure[] {
  const dir = figuresDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return files.flatMap((f) => readLesson(join(dir, f)));
}
