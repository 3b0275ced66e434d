import type { GradeResult, TestStatus } from "../types.ts";
import { testLabel } from "./test-name.ts";

/** What the check cell shows: the same content as HTML (JupyterLab) and as plain text (anywhere else). */
export interface CheckCellReport {
  html: string;
  text: string;
  /** `Score: X / Y`, printed below the table. */
  scoreLine: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Nothing from a submission or a suite reaches HTML unescaped. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const VERDICT: Record<TestStatus, string> = {
  passed: "passed",
  failed: "failed",
  timeout: "ran out of time",
  error: "crashed or could not run",
};
const MARK: Record<TestStatus, string> = { passed: "✔", failed: "✘", timeout: "⏱", error: "✘" };
const CAP = 1500;

function clip(text: string): string {
  return text.length > CAP ? `${text.slice(0, CAP)}\n… (${text.length - CAP} more characters)` : text;
}

/**
 * The check cell's report: `note` (what was graded: the line above the table), then one row per
 * test with its points and, when it failed, why. A submission that could not be graded at all shows
 * its error instead of an empty table.
 */
export function checkCellReport(result: GradeResult, note: string): CheckCellReport {
  const rows = result.tests.map((t) => ({
    title: testLabel(t.name).title,
    points: `${t.score} / ${t.maxScore}`,
    status: t.status,
    why: t.status === "passed" ? "" : clip(t.output),
  }));
  const scoreLine = `Score: ${result.score} / ${result.maxScore}`;
  const problem = result.error ? clip(result.error) : "";

  const cell = 'style="text-align:left;vertical-align:top;padding:2px 8px"';
  const htmlRows = rows.map(
    (r) =>
      `<tr><td ${cell}>${escapeHtml(r.title)}</td><td ${cell}>${r.points}</td><td ${cell}>${MARK[r.status]} ${VERDICT[r.status]}` +
      (r.why ? `<pre style="margin:2px 0;white-space:pre-wrap">${escapeHtml(r.why)}</pre>` : "") +
      `</td></tr>`,
  );
  const html = [
    `<div class="tsnb-check">`,
    `<p>${escapeHtml(note)}</p>`,
    problem ? `<pre style="white-space:pre-wrap">${escapeHtml(problem)}</pre>` : "",
    rows.length
      ? `<table><thead><tr><th ${cell}>Test</th><th ${cell}>Points</th><th ${cell}>Result</th></tr></thead><tbody>${htmlRows.join("")}</tbody></table>`
      : "",
    `</div>`,
  ].join("");

  const width = Math.max(4, ...rows.map((r) => r.points.length));
  const text = [
    note,
    ...(problem ? [problem] : []),
    ...rows.flatMap((r) => [
      `  ${MARK[r.status]} ${r.points.padStart(width)}  ${r.title}${r.status === "passed" ? "" : ` (${VERDICT[r.status]})`}`,
      ...(r.why ? r.why.split("\n").map((l) => `      ${l}`) : []),
    ]),
  ].join("\n");
  return { html, text, scoreLine };
}
