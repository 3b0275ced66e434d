import type { GradeResult } from "../types.ts";

/** The JSON of one graded submission, with DESIGN.md's fields (plus `file`, and `error` when it could not be graded). */
export function jsonResult(r: GradeResult): object {
  return {
    file: r.file,
    exercise: r.exercise,
    score: r.score,
    maxScore: r.maxScore,
    tests: r.tests.map((t) => ({
      name: t.name,
      score: t.score,
      maxScore: t.maxScore,
      status: t.status,
      output: t.output,
    })),
    elapsedMs: r.elapsedMs,
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

/** `--format json`: one object for one submission, an array for several. */
export function formatJson(results: readonly GradeResult[]): string {
  const value = results.length === 1 ? jsonResult(results[0]!) : results.map(jsonResult);
  return `${JSON.stringify(value, null, 2)}\n`;
}
