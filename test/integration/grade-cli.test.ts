// `tsnb grade` end to end through the CLI: notebooks and .ts files, several at once with --jobs,
// every --format, exit statuses; a notebook with the learner's extra cells grades as without them.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCell, formatNotebook, markdownCell } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";

const tsnb = (args: string[]) =>
  execa("node", [path.join(ROOT, "bin/tsnb.js"), "grade", ...args], { cwd: ROOT, reject: false, timeout: 300_000 });
let dir = "";
const files = { solved: "", extra: "", stub: "", racy: "", broken: "" };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-grade-cli-"));
  const solved = instructorNotebook("safe-counter");
  files.solved = path.join(dir, "solved.ipynb");
  await writeFile(files.solved, formatNotebook(solved));
  // The same solution with a learner's experiments around it.
  const extra = structuredClone(solved);
  extra.cells.splice(
    2,
    0,
    codeCell("const mine = 1;\nconsole.log('trying things', mine);"),
    markdownCell("notes to self"),
  );
  extra.cells.push(codeCell("throw new Error('a failing experiment is not graded');"));
  files.extra = path.join(dir, "extra-cells.ipynb");
  await writeFile(files.extra, formatNotebook(extra));
  files.stub = path.join(ROOT, "notebooks/exercises/safe-counter.ipynb");
  files.racy = path.join(ROOT, "exercises/safe-counter/broken/racy.ts");
  files.broken = path.join(dir, "broken.ipynb");
  await writeFile(files.broken, "{ this is not json");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tsnb grade", () => {
  it("--format json, --jobs 2: an array in input order; extra learner cells grade the same as without", async () => {
    const r = await tsnb([files.solved, files.extra, files.stub, "--format", "json", "--jobs", "2"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as Array<{
      file: string;
      exercise: string;
      score: number;
      maxScore: number;
      tests: Array<{ status: string }>;
    }>;
    expect(results.map((x) => path.basename(x.file))).toEqual([
      "solved.ipynb",
      "extra-cells.ipynb",
      "safe-counter.ipynb",
    ]);
    expect(results.map((x) => [x.exercise, x.score, x.maxScore])).toEqual([
      ["safe-counter", 10, 10],
      ["safe-counter", 10, 10],
      ["safe-counter", 0, 10],
    ]);
    expect(results[1]!.tests.map((t) => t.status)).toEqual(results[0]!.tests.map((t) => t.status));
  });

  it("--format gradescope for a .ts file with --exercise: results.json with the lost points", async () => {
    const r = await tsnb([files.racy, "--exercise", "safe-counter", "--format", "gradescope"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const value = JSON.parse(r.stdout) as {
      score: number;
      execution_time: number;
      tests: Array<{ name: string; score: number; max_score: number; status: string; output: string }>;
    };
    expect(value.score).toBe(5);
    expect(value.execution_time).toBeGreaterThan(0);
    expect(value.tests.filter((t) => t.status === "failed").map((t) => t.name)).toEqual([
      "no update is lost when 4 workers call increment() at the same time",
      "no update is lost when 4 workers call increment(3) at the same time",
    ]);
    expect(value.tests.find((t) => t.status === "failed")!.output).toMatch(/increments were lost/);
  });

  it("--format csv: a gradebook row per submission; an unreadable one is a row with its error and exit status 1", async () => {
    const r = await tsnb([files.broken, files.stub, "--format", "csv"]);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split(/\r\n/);
    expect(lines[0]).toBe("learner,file,exercise,score,max_score,percent,passed,failed_tests,elapsed_ms,error");
    expect(lines[1]).toMatch(/^broken,.*broken\.ipynb,,0,0,0,0\/0,,0,.*broken\.ipynb:1:3: .*invalid JSON/);
    // A notebook still named for its exercise: the learner is its folder.
    expect(lines[2]).toMatch(/^exercises,.*safe-counter\.ipynb,safe-counter,0,10,0,0\/5,/);
    expect(r.stderr).toMatch(/broken\.ipynb:1:3: /);
  });

  it("--format gradescope --out DIR: one results.json object per submission, named for its learner", async () => {
    const out = path.join(dir, "results");
    const r = await tsnb([files.solved, files.stub, "--format", "gradescope", "--out", out, "--jobs", "2"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(readdirSync(out).sort()).toEqual(["exercises.json", "solved.json"]);
    const solved = JSON.parse(readFileSync(path.join(out, "solved.json"), "utf8"));
    const stub = JSON.parse(readFileSync(path.join(out, "exercises.json"), "utf8"));
    expect([solved.score, stub.score]).toEqual([10, 0]);
    expect(Array.isArray(solved)).toBe(false);
  });

  it("--format csv --id-from metadata: the learner column from metadata.tsnb.learner_id, else the file name with a warning", async () => {
    const nb = instructorNotebook("safe-counter");
    nb.metadata["tsnb"] = { learner_id: "s1234567" };
    const withId = path.join(dir, "anonymous.ipynb");
    await writeFile(withId, formatNotebook(nb));
    const r = await tsnb([withId, files.extra, "--format", "csv", "--id-from", "metadata", "--jobs", "2"]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trim().split(/\r\n/);
    expect(lines[1]).toMatch(/^s1234567,.*anonymous\.ipynb,safe-counter,10,10,/);
    expect(lines[2]).toMatch(/^extra-cells,.*extra-cells\.ipynb,safe-counter,10,10,/);
    expect(r.stderr).toMatch(
      /extra-cells\.ipynb: no metadata\.tsnb\.learner_id .*the learner column says "extra-cells"/,
    );
  });

  it("text (the default): each test, its points and why it failed", async () => {
    const r = await tsnb([files.stub]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/safe-counter\.ipynb \(safe-counter\): 0\/10 points/);
    expect(r.stdout).toMatch(
      /FAIL\s+0\/3\s+no update is lost when 4 workers call increment\(\) at the same time\n\s+your code threw: Error: not implemented/,
    );
  });

  it("bad usage: exit status 2 with the reason (each message: test/unit/grade-args.test.ts)", async () => {
    const r = await tsnb([files.stub, "--format", "xml"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/tsnb grade: --format expects text, json, gradescope or csv, got `xml`/);
  });

  it("a grader killed mid-run leaves no suite runner or sandbox behind", async () => {
    // A private TMPDIR names this run's sandbox folders, so pgrep finds exactly its processes.
    const tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-orphans-"));
    const ours = async () => (await execa("pgrep", ["-f", tmp], { reject: false })).stdout.split("\n").filter(Boolean);
    const grader = execa(
      "node",
      [
        path.join(ROOT, "bin/tsnb.js"),
        "grade",
        path.join(ROOT, "exercises/safe-counter/hostile/loop-in-call.ts"),
        "-e",
        "safe-counter",
      ],
      {
        cwd: ROOT,
        env: { TMPDIR: tmp },
        reject: false,
      },
    );
    try {
      const deadline = Date.now() + 30_000;
      // The suite runner (its folder is an argument) and a sandbox (stuck in a busy loop).
      while ((await ours()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await ours()).length, "the runner and a sandbox should be running").toBeGreaterThanOrEqual(2);
      grader.kill("SIGKILL");
      await grader;
      const gone = Date.now() + 10_000;
      while ((await ours()).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
      expect(await ours()).toEqual([]);
      expect(
        readdirSync(tmp).filter((f) => f.startsWith("tsnb-grade-")),
        "the submission's folder is removed",
      ).toEqual([]);
    } finally {
      grader.kill("SIGKILL");
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
