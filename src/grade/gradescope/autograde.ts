/**
 * What run_autograder does for one Gradescope submission: find the exercise notebooks (or `.ts`
 * files named for an exercise) in the submission folder, grade each with the same grader as
 * `tsnb grade`, and write one results.json. Whatever the submission is (empty, not a notebook,
 * broken JSON, a hang, a crash), a results.json is written, with 0 for what could not be graded and
 * an `output` that says what to fix. Exercises of the assignment with no submission score 0, so
 * the maximum never shrinks.
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { CourseError } from "../../errors.ts";
import { writeFileAtomic } from "../../notebook/index.ts";
import { gradeFiles } from "../batch.ts";
import { declaredTests, exercises, type Exercise } from "../exercises.ts";
import { gradescopeResult, type GradescopeResults } from "../report/gradescope.ts";
import { readSubmission } from "../submission.ts";
import type { GradeResult } from "../types.ts";
import type { AutograderConfig } from "./config.ts";

/** The files of the submission folder (hidden files and macOS archive droppings skipped), relative paths. */
async function listFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".") || e.name === "__MACOSX" || e.name === "node_modules") continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** A submitted file, assigned to an exercise (or why not). */
interface Found {
  rel: string;
  exercise?: string;
  problem?: string;
  mtimeMs: number;
}

/** Which exercise a file is: a notebook by its solution cells, a `.ts` by its name (or the assignment's only exercise). */
async function assign(dir: string, rel: string, ids: readonly string[]): Promise<Found> {
  const file = path.join(dir, rel);
  const mtimeMs = (await stat(file)).mtimeMs;
  if (rel.endsWith(".ipynb")) {
    try {
      return { rel, exercise: (await readSubmission(file, ids)).exercise, mtimeMs };
    } catch (error) {
      if (!(error instanceof CourseError)) throw error;
      return { rel, problem: error.message.replace(file, rel), mtimeMs };
    }
  }
  if (/\.(ts|mts)$/.test(rel)) {
    const named = ids.filter((id) => path.basename(rel).includes(id));
    const exercise = named.length === 1 ? named[0] : ids.length === 1 ? ids[0] : undefined;
    return exercise
      ? { rel, exercise, mtimeMs }
      : { rel, problem: `${rel}: name the file for its exercise (${ids.map((id) => `${id}.ts`).join(", ")})`, mtimeMs };
  }
  return { rel, mtimeMs };
}

/** Every test of an exercise at 0 with one reason (not submitted). */
function notSubmitted(exercise: Exercise, why: string): GradeResult {
  return {
    file: "",
    exercise: exercise.id,
    score: 0,
    maxScore: declaredTests(exercise.suite).reduce((s, d) => s + d.points, 0),
    tests: declaredTests(exercise.suite).map((d) => ({
      name: d.name,
      score: 0,
      maxScore: d.points,
      status: "failed" as const,
      output: why,
    })),
    elapsedMs: 0,
  };
}

/** Grade the submission in `submissionDir` for the assignment's exercises: one results.json object. */
export async function autograde(submissionDir: string, config: AutograderConfig): Promise<GradescopeResults> {
  const known = exercises().filter((e) => config.exercises.includes(e.id));
  const missingSuites = config.exercises.filter((id) => !known.some((e) => e.id === id));
  if (missingSuites.length)
    throw new CourseError("ERR_AUTOGRADER_CONFIG", `the autograder has no suite for ${missingSuites.join(", ")}`);
  const ids = known.map((e) => e.id);
  const files = await listFiles(submissionDir);
  const found = await Promise.all(files.map((rel) => assign(submissionDir, rel, ids)));

  const notes: string[] = [];
  const results: GradeResult[] = [];
  for (const exercise of known) {
    // Several files for one exercise (a copy, a backup): the one named for it, else the newest; say so.
    const mine = found
      .filter((f) => f.exercise === exercise.id)
      .sort(
        (a, b) =>
          Number(path.basename(b.rel).startsWith(exercise.id)) - Number(path.basename(a.rel).startsWith(exercise.id)) ||
          b.mtimeMs - a.mtimeMs,
      );
    const chosen = mine[0];
    if (!chosen) {
      const problems = found.filter((f) => f.problem).map((f) => f.problem!);
      results.push(
        notSubmitted(
          exercise,
          `not graded: no ${exercise.id} notebook in your submission. Upload ${exercise.id}.ipynb (saved, with its solution cell).` +
            (problems.length ? `\n${problems.join("\n")}` : ""),
        ),
      );
      continue;
    }
    if (mine.length > 1)
      notes.push(
        `${exercise.id}: graded ${chosen.rel}; also found ${mine
          .slice(1)
          .map((f) => f.rel)
          .join(", ")} (not graded)`,
      );
    const [result] = await gradeFiles([path.join(submissionDir, chosen.rel)], {
      exercise: exercise.id,
      timeoutSec: config.timeoutSec,
    });
    results.push({ ...result!, file: chosen.rel, error: result!.error?.replaceAll(path.join(submissionDir, ""), "") });
  }

  const graded = results.filter((r) => r.file);
  const unused = found.filter((f) => !f.exercise && !f.problem && !/\.(ipynb|ts|mts)$/.test(f.rel)).map((f) => f.rel);
  const problems = found.filter((f) => f.problem).map((f) => f.problem!);
  const summary: string[] = [];
  if (files.length === 0)
    summary.push(`Your submission is empty: upload ${ids.map((id) => `${id}.ipynb`).join(", ")}.`);
  else if (graded.length === 0)
    summary.push(
      `No exercise notebook found in your submission (found: ${files.slice(0, 10).join(", ")}${files.length > 10 ? ", ..." : ""}). ` +
        `Upload ${ids.map((id) => `${id}.ipynb`).join(", ")}: the notebook itself, saved, with its solution cell.`,
    );
  const absent = results.filter((r) => !r.file).map((r) => r.exercise);
  if (graded.length && absent.length) summary.push(`Not handed in (0 points): ${absent.join(", ")}.`);
  summary.push(...problems, ...notes);
  if (unused.length && graded.length) summary.push(`Not graded (not an exercise notebook): ${unused.join(", ")}`);
  const base = gradescopeResult(results, config, new Map(known.map((e) => [e.id, e.number])));
  const head = summary.length ? `${summary.join("\n\n")}\n\n` : "";
  return { ...base, output: `${head}${base.output}` };
}

/** run_autograder's work under a Gradescope tree (`root`: /autograder, or AUTOGRADER_ROOT in tests). */
export async function runAutograder(root: string, config: AutograderConfig): Promise<GradescopeResults> {
  const started = performance.now();
  const resultsFile = path.join(root, "results", "results.json");
  await mkdir(path.dirname(resultsFile), { recursive: true });
  const results = await autograde(path.join(root, "submission"), config);
  results.execution_time = Math.round((performance.now() - started) / 100) / 10;
  await writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
