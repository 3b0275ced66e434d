// Hostile submissions through the whole grader: each ends as failed/timeout/error tests with a
// message, within its limits, with the score computed here (never what the submission claims), and
// the grader goes on. Fixtures: exercises/safe-counter/hostile/*.ts, whose first line says
// which status every test must end with.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gradeFiles } from "../../src/grade/batch.ts";
import { exercises } from "../../src/grade/exercises.ts";
import { gradeSubmission } from "../../src/grade/grade.ts";
import type { GradeResult } from "../../src/grade/types.ts";
import { ROOT } from "../../src/grade/workdir.ts";

const HOSTILE = path.join(ROOT, "exercises/safe-counter/hostile");
const exercise = exercises().find((e) => e.id === "safe-counter")!;
// Short limits keep this file fast (the defaults are 10 s a call and 120 s a submission), and a
// 300 MB memory limit is reached in a moment by the buffer bomb, even on a loaded machine.
const LIMITS = { callTimeoutMs: 2500, timeoutSec: 60, limits: { rssMb: 300 } };

const fixtures = readdirSync(HOSTILE)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => {
    const file = path.join(HOSTILE, f);
    const statuses = /^\/\/ expect: every test (.+?):/
      .exec(readFileSync(file, "utf8"))![1]!
      .match(/"(\w+)"/g)!
      .map((s) => s.slice(1, -1));
    return { name: f, file, statuses };
  });

describe("hostile submissions", () => {
  const results = new Map<string, GradeResult>();
  beforeAll(async () => {
    const graded = await gradeFiles(
      fixtures.map((f) => f.file),
      { exercise: "safe-counter", jobs: 2, ...LIMITS },
    );
    graded.forEach((r, i) => results.set(fixtures[i]!.name, r));
  }, 600_000);

  it.each(fixtures.map((f) => [f.name, f] as const))("%s fails every test with a message, in time", (_name, f) => {
    const r = results.get(f.name)!;
    expect(r.score).toBe(0);
    expect(r.maxScore).toBe(10);
    expect(r.tests).toHaveLength(5);
    for (const t of r.tests) {
      expect(f.statuses, `${t.name}: ${t.status}: ${t.output}`).toContain(t.status);
      expect(t.output.length, t.name).toBeGreaterThan(0);
    }
    // Each test at most one call limit plus start-up: never the whole-submission limit.
    expect(r.elapsedMs).toBeLessThan(LIMITS.timeoutSec * 1000);
    expect(r.error).toBeUndefined();
  });

  it("flood: the report keeps only a capped slice of the output", () => {
    const r = results.get("flood.ts")!;
    for (const t of r.tests) expect(t.output.length).toBeLessThan(4100);
  });

  it("memory bombs: the message says the memory ran out", () => {
    // Which limit trips first (V8's heap limit or the grader's memory watch) depends on timing: either
    // message says the memory ran out.
    for (const bomb of ["memory-bomb.ts", "buffer-bomb.ts"]) {
      expect(results.get(bomb)!.tests[0]!.output).toMatch(/more than \d+ MB of memory|out of memory/);
    }
  });

  it("a child process, in any exercise but process-pool: refused, and the message says so", () => {
    for (const t of results.get("fork-child.ts")!.tests)
      expect(t.output).toMatch(/ERR_ACCESS_DENIED.*start no child process/s);
  });

  it("a submission that reads the suite and the reference solution gets an error, not their text", async () => {
    const code = [
      'import { readFileSync } from "node:fs";',
      `const stolen = readFileSync(${JSON.stringify(exercise.suite)}, "utf8") + readFileSync(${JSON.stringify(path.join(path.dirname(exercise.suite), "solution.ts"))}, "utf8");`,
    ].join("\n");
    const r = await gradeSubmission({ file: "steal.ts", exercise: "safe-counter", code }, exercise, LIMITS);
    expect(r.score).toBe(0);
    for (const t of r.tests) {
      expect(t.status).toBe("error");
      expect(t.output).toMatch(/ERR_ACCESS_DENIED|permission/i);
    }
  });

  it("code that does not parse fails every test with the line and column, without starting a process", async () => {
    const r = await gradeSubmission(
      { file: "typo.ts", exercise: "safe-counter", code: "class SafeCounter {\n  increment( {\n}\n" },
      exercise,
      LIMITS,
    );
    expect(r.score).toBe(0);
    expect(r.tests).toHaveLength(5);
    expect(
      r.tests.every((t) => t.status === "error" && /does not parse:\nline 4, column 1: '\)' expected/.test(t.output)),
    ).toBe(true);
    expect(r.elapsedMs).toBeLessThan(2000);
  });

  it("a submission that outlives the whole-submission limit is cut off, and its tests say so", async () => {
    const code = readFileSync(path.join(HOSTILE, "loop-in-call.ts"), "utf8");
    const started = Date.now();
    const r = await gradeSubmission({ file: "slow.ts", exercise: "safe-counter", code }, exercise, {
      callTimeoutMs: 60_000,
      testTimeoutMs: 60_000,
      timeoutSec: 4,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.score).toBe(0);
    expect(r.tests).toHaveLength(5);
    expect(r.error).toMatch(/stopped after 4 s/);
    expect(r.tests.every((t) => t.status === "timeout")).toBe(true);
  });
});
