// A warm suite runner grades one submission after another: each run sees its own submission (a
// fresh folder, fresh sandboxes), whatever the one before did, and a runner that died or was
// stopped is replaced, never reused.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exercises } from "../../src/grade/exercises.ts";
import { DEFAULT_GRADE_OPTIONS, gradeSubmission } from "../../src/grade/grade.ts";
import { RunnerPool } from "../../src/grade/runner/runner-pool.ts";
import { ROOT } from "../../src/grade/workdir.ts";

const exercise = exercises().find((e) => e.id === "safe-counter")!;
const DIR = path.join(ROOT, "exercises/safe-counter");
const OPTS = { ...DEFAULT_GRADE_OPTIONS, callTimeoutMs: 5000 };
const pool = new RunnerPool(ROOT, OPTS, 1);
afterAll(() => pool.close());

const grade = (file: string, options: Partial<typeof OPTS> = OPTS) =>
  gradeSubmission(
    { file, exercise: exercise.id, code: readFileSync(path.join(DIR, file), "utf8") },
    exercise,
    options,
    pool,
  );

describe("a warm suite runner", () => {
  it("grades each submission on its own, one after another, in one runner", async () => {
    const scores = [];
    for (const file of ["solution.ts", "broken/racy.ts", "hostile/exit-in-call.ts", "alternative/cas-loop.ts"]) {
      const r = await grade(file);
      expect(r.error, file).toBeUndefined();
      scores.push(r.score);
    }
    // racy.ts loses the two contention tests (3 + 2 points); exit-in-call.ts everything.
    expect(scores).toEqual([10, 5, 0, 10]);
    expect(pool.started).toBe(1);
  }, 180_000);

  it("is replaced after the whole-submission limit stopped it", async () => {
    const before = pool.started;
    const stopped = await grade("hostile/loop-in-call.ts", { ...OPTS, callTimeoutMs: 60_000, timeoutSec: 3 });
    expect(stopped.error).toMatch(/stopped after 3 s/);
    const next = await grade("solution.ts");
    expect(next.score).toBe(10);
    expect(pool.started).toBe(before + 1);
  }, 120_000);
});
