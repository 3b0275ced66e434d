import type { GradeResult } from "../types.ts";

/** RFC 4180 field: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = [
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

/** `--format csv`: a gradebook, one row per submission, header first. */
export function formatCsv(results: readonly GradeResult[]): string {
  const rows = results.map((r) => [
    r.file,
    r.exercise,
    r.score,
    r.maxScore,
    r.maxScore > 0 ? Math.round((r.score / r.maxScore) * 1000) / 10 : 0,
    `${r.tests.filter((t) => t.status === "passed").length}/${r.tests.length}`,
    r.tests
      .filter((t) => t.status !== "passed")
      .map((t) => `${t.name} (${t.status})`)
      .join("; "),
    r.elapsedMs,
    r.error ?? "",
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
