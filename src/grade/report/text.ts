import type { GradeResult } from "../types.ts";
import { testLabel } from "./test-name.ts";

const MARK = { passed: "PASS", failed: "FAIL", timeout: "TIME", error: "ERR " } as const;

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

/** What a learner reads: each test with its points, why it failed, and what to do next. */
export function formatText(results: readonly GradeResult[]): string {
  const blocks = results.map((r) => {
    const lines = [
      `${r.file} (${r.exercise}): ${r.score}/${r.maxScore} points in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    ];
    if (r.error) lines.push(indent(r.error, "  ! "));
    for (const t of r.tests) {
      lines.push(`  ${MARK[t.status]} ${String(t.score).padStart(2)}/${t.maxScore}  ${testLabel(t.name).title}`);
      if (t.status !== "passed" && t.output) lines.push(indent(t.output.slice(0, 1500), "           "));
    }
    if (r.tests.length > 0 && r.score === r.maxScore) lines.push("  All tests pass: full marks.");
    else if (r.tests.some((t) => t.status === "timeout"))
      lines.push(
        "  A test ran out of time: look for a loop that never ends, a lock never released, or a promise never settled.",
      );
    return lines.join("\n");
  });
  return blocks.join("\n\n") + "\n";
}
