import { CourseError } from "../errors.ts";
import { exercises, type Exercise } from "./exercises.ts";
import { DEFAULT_GRADE_OPTIONS, gradeSubmission } from "./grade.ts";
import { RunnerPool } from "./runner/runner-pool.ts";
import { readSubmission } from "./submission.ts";
import type { GradeOptions, GradeResult } from "./types.ts";
import { declaredTests } from "./exercises.ts";
import { ROOT } from "./workdir.ts";

/** A submission that could not be graded at all: every declared test (when the exercise is known) scores 0. */
function ungraded(file: string, exercise: Exercise | undefined, error: string): GradeResult {
  const tests = exercise
    ? declaredTests(exercise.suite).map((d) => ({
        name: d.name,
        score: 0,
        maxScore: d.points,
        status: "error" as const,
        output: "not run: the submission could not be read",
      }))
    : [];
  return {
    file,
    exercise: exercise?.id ?? "",
    score: 0,
    maxScore: tests.reduce((s, t) => s + t.maxScore, 0),
    tests,
    elapsedMs: 0,
    error,
  };
}

/**
 * Grade submissions, `jobs` at a time; results in the order of `files`. A submission that cannot be
 * read (bad JSON, lost metadata) becomes a result with `error` and no points: the others go on.
 * Submissions of one exercise share warm suite runners (one per job at most), each submission still
 * in its own folder with its own sandbox processes.
 */
export async function gradeFiles(
  files: readonly string[],
  options: Partial<GradeOptions> & { exercise?: string; onResult?: (r: GradeResult, index: number) => void } = {},
): Promise<GradeResult[]> {
  const all = exercises();
  const ids = all.map((e) => e.id);
  const results: GradeResult[] = new Array(files.length);
  const jobs = Math.min(options.jobs ?? 1, files.length);
  const runners = new RunnerPool(ROOT, { ...DEFAULT_GRADE_OPTIONS, ...options }, Math.max(1, jobs));
  let next = 0;
  const worker = async () => {
    // Single-threaded hand-out: `next++` runs between awaits, so two workers never take the same file.
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      let result: GradeResult;
      try {
        const submission = await readSubmission(file, ids, options.exercise);
        result = await gradeSubmission(
          submission,
          all.find((e) => e.id === submission.exercise)!,
          options,
          runners,
        );
      } catch (error) {
        if (!(error instanceof CourseError)) throw error;
        result = ungraded(
          file,
          all.find((e) => e.id === options.exercise),
          error.message,
        );
      }
      results[index] = result;
      options.onResult?.(result, index);
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    await runners.close();
  }
  return results;
}
