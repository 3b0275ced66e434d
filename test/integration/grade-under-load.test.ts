// Verdicts that hold on a loaded machine: two processes burn the CPU for the whole file (as a busy
// CI runner or a class graded with --jobs 2 beside other work would), and every hostile submission
// still gets the verdict of what it did (memory, time, exit, output flood), whichever limit fired
// first; a correct counter still passes the contention probe, and a racy one is still caught.
// The hostile fixtures run at the sandbox level (where the verdict is made) plus one, the memory
// bomb a loaded CI run once called a hang, through the whole grader.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exercises } from "../../src/grade/exercises.ts";
import { gradeSubmission } from "../../src/grade/grade.ts";
import { statusOf } from "../../src/grade/outcome.ts";
import { cpuMs } from "../../src/grade/sandbox/proc-readings.ts";
import { Sandbox } from "../../src/grade/suite.ts";
import type { TestStatus } from "../../src/grade/types.ts";
import { prepareWorkdir, ROOT } from "../../src/grade/workdir.ts";

const DIR = path.join(ROOT, "exercises/safe-counter");
const exercise = exercises().find((e) => e.id === "safe-counter")!;
const LIMIT_MS = 1500;
const LIMITS = { rssMb: 300 };

/** What each hostile fixture did, as its verdict must say it. */
const SAYS: Record<string, RegExp> = {
  "buffer-bomb.ts": /more than \d+ MB of memory|out of memory/,
  "memory-bomb.ts": /more than \d+ MB of memory|out of memory/,
  "deadlock.ts": /no answer within 1.5 s: it sat waiting/,
  "loop-in-call.ts": /no answer within 1.5 s: it kept the CPU busy/,
  "loop-at-load.ts": /did not finish loading: no answer within 1.5 s: it kept the CPU busy/,
  "exit-at-load.ts": /exited with code 0 \(process.exit\?\) while loading/,
  "exit-in-call.ts": /exited with code 0 \(process.exit\?\) before answering/,
  "fork-child.ts": /ERR_ACCESS_DENIED/,
  "flood.ts": /printed \d+ [KM]B of output|more than \d+ MB of memory/,
  "tamper-files.ts": /ERR_ACCESS_DENIED|exited with code 1/,
  "fake-results.ts": /answered/,
  "forge-calls.ts": /answered/,
};

interface Seen {
  status: TestStatus;
  message: string;
}

/** Open a sandbox on `code` with the safe-counter probes and run `probe`: what a suite's test would see. */
async function attempt(code: string, probe: string, args: unknown = {}): Promise<Seen & { value?: unknown }> {
  const work = await prepareWorkdir(code, exercise.probes);
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await Sandbox.open({ workdir: work.dir, limits: LIMITS, loadTimeoutMs: LIMIT_MS });
    const value = await sandbox.call(probe, args, { timeoutMs: probe === "contention" ? 20_000 : LIMIT_MS });
    // It answered: whether the answer is right is the suite's business ("failed" when it is not).
    return { status: "failed", message: "answered", value };
  } catch (error) {
    const e = error as Error;
    return { status: statusOf([{ name: e.name, message: e.message }]), message: e.message };
  } finally {
    await sandbox?.close();
    await work.dispose();
  }
}

/** Run `jobs` of `tasks` at a time, as `tsnb grade --jobs 2` would. */
async function twoAtATime<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    // `next++` runs between awaits: two workers never take the same task.
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

// The verdicts read the process from outside through Linux's /proc; elsewhere they name only the time.
describe.skipIf(process.platform !== "linux")("grading beside two CPU-burning processes", () => {
  const burners: ChildProcess[] = [];
  let burnStarted = 0;
  const fixtures = readdirSync(path.join(DIR, "hostile"))
    .filter((f) => f.endsWith(".ts"))
    .map((name) => {
      const code = readFileSync(path.join(DIR, "hostile", name), "utf8");
      const statuses = /^\/\/ expect: every test (.+?):/
        .exec(code)![1]!
        .match(/"(\w+)"/g)!
        .map((s) => s.slice(1, -1));
      return { name, code, statuses };
    });
  const seen = new Map<string, Seen>();

  beforeAll(async () => {
    // Each burner ends itself after 4 minutes: a run killed half-way leaves no process spinning.
    for (let i = 0; i < 2; i++)
      burners.push(
        spawn(process.execPath, ["-e", "const end = Date.now() + 240000; while (Date.now() < end) {}"], {
          stdio: "ignore",
        }),
      );
    burnStarted = performance.now();
    const results = await twoAtATime(fixtures.map((f) => () => attempt(f.code, "basics")));
    results.forEach((r, i) => seen.set(fixtures[i]!.name, r));
  }, 240_000);

  afterAll(() => {
    for (const b of burners) b.kill("SIGKILL");
  });

  it("every hostile fixture has its expected verdict", () => {
    expect(Object.keys(SAYS).sort()).toEqual(fixtures.map((f) => f.name).sort());
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s: the status and the words name what it did", (name, f) => {
    const s = seen.get(name)!;
    expect(f.statuses, `${s.status}: ${s.message}`).toContain(s.status);
    expect(s.message).toMatch(SAYS[name]!);
  });

  it("a memory bomb through the whole grader: every test an error that says the memory ran out", async () => {
    const code = readFileSync(path.join(DIR, "hostile/buffer-bomb.ts"), "utf8");
    const r = await gradeSubmission({ file: "buffer-bomb.ts", exercise: exercise.id, code }, exercise, {
      callTimeoutMs: 2500,
      timeoutSec: 60,
      limits: LIMITS,
    });
    expect(r.score).toBe(0);
    for (const t of r.tests) {
      expect(t.status, t.output).toBe("error");
      expect(t.output).toMatch(/more than \d+ MB of memory|out of memory/);
    }
  }, 120_000);

  it("the contention probe: a correct counter loses nothing, a racy one is caught", async () => {
    const [solution, racy] = await twoAtATime(
      ["solution.ts", "broken/racy.ts"].map(
        (file) => () => attempt(readFileSync(path.join(DIR, file), "utf8"), "contention", { workers: 4, ms: 100 }),
      ),
    );
    const correct = solution!.value as { value: number; expected: number };
    expect(correct.expected, solution!.message).toBeGreaterThan(0);
    expect(correct.value).toBe(correct.expected);
    const lost = racy!.value as { value: number; expected: number };
    expect(lost.value, racy!.message).toBeLessThan(lost.expected);
  }, 120_000);

  it("the burners kept the CPU busy the whole time (the load was real)", () => {
    const elapsed = performance.now() - burnStarted;
    // Each burner spun all along, sharing the 2 cores with the sandboxes and whatever else runs
    // (measured: 0.03 to 0.25 of a core each on a shared machine loaded to 17 runnable processes).
    for (const b of burners) {
      expect(b.exitCode, "a burner ended early").toBeNull();
      expect(cpuMs(b.pid!)).toBeGreaterThan(0.01 * elapsed);
    }
  });
});
