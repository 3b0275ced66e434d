// Every exercise's grading suite against known code: the reference solution and the correct
// solutions written differently (exercises/<id>/alternative/*.ts, some using the course
// helpers) get full marks, the learner's released stub gets zero, and each known-wrong variant
// (broken/*.ts, whose `// expect-fail:` lines name the tests its bug must fail) loses exactly those
// tests' points.
import pLimit from "p-limit";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { declaredTests, exercises, type Exercise } from "../../src/grade/exercises.ts";
import { gradeSubmission } from "../../src/grade/grade.ts";
import { readSubmission } from "../../src/grade/submission.ts";
import type { GradeResult } from "../../src/grade/types.ts";
import { ROOT } from "../../src/grade/workdir.ts";

const ALL = exercises();
const ids = ALL.map((e) => e.id);
const only = process.env["TSNB_GRADE_ONLY"]?.split(",");

interface Case {
  label: string;
  file: string;
  /** Names of the tests this submission must fail; undefined = all of them. */
  failing: string[] | undefined;
}

function casesOf(exercise: Exercise): Case[] {
  const dir = path.dirname(exercise.suite);
  const broken = readdirSync(path.join(dir, "broken"), { withFileTypes: true }).filter(
    (f) => f.isFile() && f.name.endsWith(".ts"),
  );
  const alternatives = existsSync(path.join(dir, "alternative"))
    ? readdirSync(path.join(dir, "alternative")).filter((f) => f.endsWith(".ts"))
    : [];
  return [
    { label: "reference solution", file: path.join(dir, "solution.ts"), failing: [] },
    ...alternatives.map((f) => ({
      label: `alternative/${f} (correct, written differently)`,
      file: path.join(dir, "alternative", f),
      failing: [],
    })),
    {
      label: "released stub (the learner's notebook)",
      file: path.join(ROOT, "notebooks/exercises", `${exercise.id}.ipynb`),
      failing: undefined,
    },
    ...broken.map((f) => {
      const file = path.join(dir, "broken", f.name);
      const failing = [...readFileSync(file, "utf8").matchAll(/^\/\/ expect-fail: (.+)$/gm)].map((m) => m[1]!.trim());
      return { label: `broken/${f.name}`, file, failing };
    }),
  ];
}

async function grade(c: Case, exercise: Exercise): Promise<GradeResult> {
  const submission = c.file.endsWith(".ipynb")
    ? await readSubmission(c.file, ids)
    : { file: c.file, exercise: exercise.id, code: await readFile(c.file, "utf8") };
  return gradeSubmission(submission, exercise, { callTimeoutMs: 15_000 });
}

describe.each(ALL.filter((e) => !only || only.includes(e.id)).map((e) => [e.id, e] as const))("%s", (_id, exercise) => {
  const cases = casesOf(exercise);
  const results = new Map<string, GradeResult>();
  beforeAll(async () => {
    // Two at a time, as `tsnb grade --jobs 2` would.
    const limit = pLimit(2);
    await Promise.all(cases.map((c) => limit(async () => results.set(c.label, await grade(c, exercise)))));
  }, 600_000);

  it("has at least two known-wrong variants, each naming tests the suite declares", () => {
    const names = declaredTests(exercise.suite).map((d) => d.name);
    const broken = cases.filter((c) => c.label.startsWith("broken/"));
    expect(broken.length).toBeGreaterThanOrEqual(2);
    for (const c of broken) {
      expect(c.failing!.length, `${c.label} names no expect-fail test`).toBeGreaterThan(0);
      for (const name of c.failing!) expect(names, `${c.label}: "${name}"`).toContain(name);
    }
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s scores what it deserves", (_label, c) => {
    const r = results.get(c.label)!;
    const declared = declaredTests(exercise.suite);
    expect(r.error, `grading did not complete: ${r.error}`).toBeUndefined();
    expect(r.tests.map((t) => t.name)).toEqual(declared.map((d) => d.name));
    const failed = r.tests.filter((t) => t.status !== "passed");
    const expected = c.failing ?? declared.map((d) => d.name);
    const detail = failed.map((t) => `${t.name}: ${t.status}: ${t.output.slice(0, 300)}`).join("\n");
    expect(failed.map((t) => t.name).sort(), detail).toEqual([...expected].sort());
    const lost = declared.filter((d) => expected.includes(d.name)).reduce((s, d) => s + d.points, 0);
    expect(r.score).toBe(r.maxScore - lost);
  });
});
