import type { GradeResult } from "../types.ts";

/** One test in Gradescope's results.json (status is "passed" or "failed" there). */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: "visible";
}

/** Gradescope's results.json for one submission (https://gradescope-autograders.readthedocs.io). */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  visibility: "visible";
  tests: GradescopeTest[];
}

/** A graded submission as Gradescope's results.json: our timeout/error statuses become "failed", the reason stays in `output`. */
export function gradescopeResult(r: GradeResult): GradescopeResults {
  return {
    score: r.score,
    execution_time: Math.round(r.elapsedMs / 100) / 10,
    output: r.error ? `Could not grade everything: ${r.error}` : `${r.exercise}: ${r.score}/${r.maxScore}`,
    visibility: "visible",
    tests: r.tests.map((t) => ({
      name: t.name,
      score: t.score,
      max_score: t.maxScore,
      status: t.status === "passed" ? "passed" : "failed",
      output:
        t.status === "passed"
          ? ""
          : `${t.status === "timeout" ? "[timeout] " : t.status === "error" ? "[error] " : ""}${t.output}`,
      visibility: "visible",
    })),
  };
}

/** `--format gradescope`: results.json for one submission, an array of them for several. */
export function formatGradescope(results: readonly GradeResult[]): string {
  const value = results.length === 1 ? gradescopeResult(results[0]!) : results.map(gradescopeResult);
  return `${JSON.stringify(value, null, 2)}\n`;
}
