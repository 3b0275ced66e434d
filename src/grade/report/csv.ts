import type { GradeResult } from "../types.ts";
import { testLabel } from "./test-name.ts";

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = [
  "learner",
  "file",
  "exercise",
  "score",
  "max_score",
  "percent",
  "passed",
  "failed_tests",
  "elapsed_ms",
  "error",
] as const;

/**
 * `--format csv`: a gradebook, header first, then one row per learner and exercise (one per
 * submission), learner first so it joins an LMS gradebook on that column.
 * @param learners the learner of each result, in order (see learner-id.ts)
 */
export function formatCsv(results: readonly GradeResult[], learners: readonly string[]): string {
  const rows = results.map((r, i) => [
    learners[i] ?? "",
    r.file,
    r.exercise,
    r.score,
    r.maxScore,
    r.maxScore > 0 ? Math.round((r.score / r.maxScore) * 1000) / 10 : 0,
    `${r.tests.filter((t) => t.status === "passed").length}/${r.tests.length}`,
    r.tests
      .filter((t) => t.status !== "passed")
      .map((t) => `${testLabel(t.name).title} (${t.status})`)
      .join("; "),
    r.elapsedMs,
    r.error ?? "",
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
