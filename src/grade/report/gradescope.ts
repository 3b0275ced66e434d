import type { GradeResult, TestStatus } from "../types.ts";
import { testLabel, type Visibility } from "./test-name.ts";

/** Formats Gradescope renders `output` in (its specification also has html, simple_format and ansi). */
export type GradescopeFormat = "md" | "text";

/** One test in Gradescope's results.json. */
export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  tags: string[];
  visibility: Visibility;
}

/** Gradescope's results.json for one submission (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: GradescopeFormat;
  test_output_format: GradescopeFormat;
  stdout_visibility: Visibility;
  visibility: Visibility;
  tests: GradescopeTest[];
}

/** Options of a results.json (the autograder zip stores them; `tsnb grade --format gradescope` uses the defaults). */
export interface GradescopeOptions {
  /** Visibility of the whole result. @default "visible" */
  visibility?: Visibility;
  /** Visibility of a test whose name carries no marker (a suite may mark one `(hidden)`, `(after_due_date)`...). @default "visible" */
  testVisibility?: Visibility;
  /** Visibility of run_autograder's stdout (instructors' debugging output). @default "hidden" */
  stdoutVisibility?: Visibility;
  /** How `output` fields are written: Markdown (code blocks for failure messages) or plain text. @default "md" */
  format?: GradescopeFormat;
}

const REASON: Partial<Record<TestStatus, string>> = {
  timeout: "Ran out of time",
  error: "Crashed or could not run",
};

/** Text as a Markdown code block (a fence longer than any backtick run inside it). */
function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

function testOutput(status: TestStatus, output: string, format: GradescopeFormat): string {
  if (status === "passed") return "";
  const reason = REASON[status];
  if (format === "text") return reason ? `${reason}: ${output}` : output;
  return `${reason ? `**${reason}.**\n\n` : ""}${output ? codeBlock(output) : ""}`.trim();
}

/** Markdown-safe inline text: characters Markdown would read as markup are escaped. */
function mdText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

function summary(results: readonly GradeResult[], format: GradescopeFormat): string {
  const lines = results.map((r) => {
    const head = `${r.exercise || r.file}: ${r.score} / ${r.maxScore}`;
    if (!r.error) return format === "md" ? `- ${mdText(head)}` : head;
    return format === "md"
      ? `- ${mdText(head)}: could not grade everything\n\n${codeBlock(r.error)}`
      : `${head}: could not grade everything: ${r.error}`;
  });
  return lines.join(format === "md" ? "\n" : "\n\n");
}

/**
 * One results.json for one Gradescope submission, which may hold several exercises: tests are
 * numbered `<exercise number>.<test>` and tagged with their exercise. Our timeout/error statuses
 * become "failed", the reason stays in `output`. Names lose their `[points]` prefix (max_score says it).
 */
export function gradescopeResult(
  results: readonly GradeResult[],
  options: GradescopeOptions = {},
  exerciseNumbers: ReadonlyMap<string, number> = new Map(),
  summaryOverride?: string,
): GradescopeResults {
  const format = options.format ?? "md";
  const tests = results.flatMap((r, i) =>
    r.tests.map((t, j): GradescopeTest => {
      const label = testLabel(t.name);
      return {
        name: results.length > 1 ? `${r.exercise}: ${label.title}` : label.title,
        number: `${exerciseNumbers.get(r.exercise) ?? i + 1}.${j + 1}`,
        score: t.score,
        max_score: t.maxScore,
        status: t.status === "passed" ? "passed" : "failed",
        output: testOutput(t.status, t.output, format),
        tags: [r.exercise, ...(t.status === "timeout" || t.status === "error" ? [t.status] : [])].filter(Boolean),
        visibility: label.visibility ?? options.testVisibility ?? "visible",
      };
    }),
  );
  return {
    score: tests.reduce((s, t) => s + t.score, 0),
    execution_time: Math.round(results.reduce((s, r) => s + r.elapsedMs, 0) / 100) / 10,
    output: summaryOverride ?? summary(results, format),
    output_format: format,
    test_output_format: format,
    stdout_visibility: options.stdoutVisibility ?? "hidden",
    visibility: options.visibility ?? "visible",
    tests,
  };
}

/** `--format gradescope`: results.json for exactly one submission (several go to files: see command.ts). */
export function formatGradescope(results: readonly GradeResult[], options: GradescopeOptions = {}): string {
  if (results.length !== 1)
    throw new RangeError(`a results.json holds one submission, got ${results.length}: write one file per submission`);
  return `${JSON.stringify(gradescopeResult(results, options), null, 2)}\n`;
}
