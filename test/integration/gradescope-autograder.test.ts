// Gradescope end to end, its documented layout simulated for real: `tsnb gradescope build` writes the
// zip; it is unpacked with unzip into a temporary /autograder-shaped tree (AUTOGRADER_ROOT), setup.sh
// runs in source/ (Node is present, so it skips the install; npm ci installs from the local cache),
// run_autograder is copied to the tree's root and run there for each submission, and results.json is
// checked field by field against Gradescope's autograder specification.
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatNotebook } from "../../src/notebook/index.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";
import { need, onPath } from "../support/components.ts";

const VISIBILITY = ["hidden", "after_due_date", "after_published", "visible"];
const FORMATS = ["text", "html", "simple_format", "md", "ansi"];

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/), field by field. */
function assertResultsJson(value: unknown): asserts value is Results {
  expect(Array.isArray(value), "one object, never an array").toBe(false);
  const r = value as Record<string, unknown>;
  const allowed = [
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
  ];
  for (const key of Object.keys(r)) expect(allowed, `unknown top-level field ${key}`).toContain(key);
  expect(typeof r["score"]).toBe("number");
  expect(typeof r["execution_time"]).toBe("number");
  expect(typeof r["output"]).toBe("string");
  expect(FORMATS).toContain(r["output_format"]);
  expect(FORMATS).toContain(r["test_output_format"]);
  expect(VISIBILITY).toContain(r["visibility"]);
  expect(VISIBILITY).toContain(r["stdout_visibility"]);
  expect(Array.isArray(r["tests"])).toBe(true);
  const testKeys = [
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
  ];
  for (const t of r["tests"] as Array<Record<string, unknown>>) {
    for (const key of Object.keys(t)) expect(testKeys, `unknown test field ${key}`).toContain(key);
    expect(typeof t["name"]).toBe("string");
    expect(t["name"], "no [points] prefix").not.toMatch(/^\[\d/);
    expect(typeof t["number"]).toBe("string");
    expect(typeof t["score"]).toBe("number");
    expect(typeof t["max_score"]).toBe("number");
    expect(t["score"] as number).toBeLessThanOrEqual(t["max_score"] as number);
    expect(["passed", "failed"]).toContain(t["status"]);
    expect(typeof t["output"]).toBe("string");
    expect(Array.isArray(t["tags"]) && (t["tags"] as unknown[]).every((x) => typeof x === "string")).toBe(true);
    expect(VISIBILITY).toContain(t["visibility"]);
  }
  // The top-level score overrides the tests' on Gradescope: it must be their sum.
  expect(r["score"]).toBe((r["tests"] as Array<{ score: number }>).reduce((s, t) => s + t.score, 0));
}
interface Results {
  score: number;
  execution_time: number;
  output: string;
  tests: Array<{
    name: string;
    number: string;
    score: number;
    max_score: number;
    status: string;
    output: string;
    tags: string[];
    visibility: string;
  }>;
}

const ID = "safe-counter";
const HANGING = `class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.cells = new Int32Array(this.buffer);
  }
  increment(by = 1): void {
    while (by > 1) {} // hangs
    Atomics.add(this.cells, 0, by);
  }
  get value(): number {
    return Atomics.load(this.cells, 0);
  }
}`;
function withSolution(code: string): string {
  const nb = structuredClone(instructorNotebook(ID));
  const cell = nb.cells.find((c) => (c.metadata as { nbgrader?: { solution?: boolean } }).nbgrader?.solution)!;
  cell.source = code;
  return formatNotebook(nb);
}

const haveUnzip = need("unzip", onPath("unzip"), "sudo apt-get install unzip");
let tmp = "";
let tree = "";
let setup = { stdout: "", exitCode: -1 as number | undefined };

/** One Gradescope run: a fresh submission folder with `files`, run_autograder, the results.json it left. */
async function submit(files: Record<string, string>): Promise<{ results: Results; stdout: string; ms: number }> {
  await rm(path.join(tree, "submission"), { recursive: true, force: true });
  await rm(path.join(tree, "results"), { recursive: true, force: true });
  await mkdir(path.join(tree, "submission"), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(tree, "submission", name), text);
  const t0 = performance.now();
  const run = await execa(path.join(tree, "run_autograder"), [], {
    cwd: tree,
    env: { AUTOGRADER_ROOT: tree },
    reject: false,
    timeout: 300_000,
  });
  const ms = performance.now() - t0;
  expect(run.exitCode, run.stderr).toBe(0);
  const results = JSON.parse(await readFile(path.join(tree, "results", "results.json"), "utf8")) as unknown;
  assertResultsJson(results);
  return { results, stdout: run.stdout, ms };
}

beforeAll(async () => {
  if (!haveUnzip) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-gradescope-"));
  tree = path.join(tmp, "autograder");
  const zip = path.join(tmp, "autograder.zip");
  const built = await execa(
    "node",
    [
      path.join(ROOT, "bin/tsnb.js"),
      "gradescope",
      "build",
      "--out",
      zip,
      "--exercise",
      ID,
      "--test-visibility",
      "after_due_date",
    ],
    {
      cwd: ROOT,
      reject: false,
    },
  );
  expect(built.exitCode, built.stderr).toBe(0);
  // Gradescope: unpack to /autograder/source, run setup.sh there as root, copy run_autograder up.
  await mkdir(path.join(tree, "source"), { recursive: true });
  execFileSync("unzip", ["-q", zip, "-d", path.join(tree, "source")]);
  const s = await execa("bash", ["./setup.sh"], {
    cwd: path.join(tree, "source"),
    env: { npm_config_offline: "true" },
    reject: false,
    all: true,
    timeout: 300_000,
  });
  setup = { stdout: s.all ?? "", exitCode: s.exitCode };
  await copyFile(path.join(tree, "source", "run_autograder"), path.join(tree, "run_autograder"));
}, 400_000);
afterAll(() => (tmp ? rm(tmp, { recursive: true, force: true }) : undefined));

describe.skipIf(!haveUnzip)("the autograder zip on a simulated Gradescope", () => {
  it("holds setup.sh and run_autograder (executable) at its root, a lockfile, suites and probes, no solution", async () => {
    const listing = execFileSync("unzip", ["-Z", path.join(tmp, "autograder.zip")], { encoding: "utf8" });
    expect(listing).toMatch(/^-rwxr-xr-x .* setup\.sh$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* run_autograder$/m);
    for (const f of [
      "package-lock.json",
      "package.json",
      "gradescope.json",
      `exercises/${ID}/suite.grade.ts`,
      `exercises/${ID}/probes.ts`,
      "exercises/_probe-lib/workers.ts",
      "src/grade/grade.ts",
    ])
      expect(listing).toContain(` ${f}\n`);
    expect(listing).not.toMatch(/solution\.ts|broken\/|alternative\/|bounded-queue\//);
    // Only what the grader imports at run time: no site, kernel or browser packages.
    const pkg = JSON.parse(await readFile(path.join(tree, "source", "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(["piscina", "tsx", "typescript", "vitest"]));
    for (const name of ["shiki", "zeromq", "tslab", "@jupyterlab/services", "@jupyterlab/nbformat", "markdown-it"])
      expect(Object.keys(pkg.dependencies)).not.toContain(name);
  });

  it("setup.sh keeps the Node that is there and installs the locked dependencies", () => {
    expect(setup.exitCode, setup.stdout).toBe(0);
    expect(setup.stdout).toMatch(/setup\.sh: using Node v\d+/);
    expect(setup.stdout).not.toMatch(/installing Node/);
  });

  it("a correct submission: full marks", async () => {
    const { results } = await submit({ [`${ID}.ipynb`]: formatNotebook(instructorNotebook(ID)) });
    expect(results.score).toBe(10);
    expect(results.tests).toHaveLength(5);
    expect(results.tests.every((t) => t.status === "passed")).toBe(true);
    expect(results.tests.map((t) => t.number)).toEqual(["1.1", "1.2", "1.3", "1.4", "1.5"]);
    expect(results.tests[0]!.tags).toEqual([ID]);
    // --test-visibility chose the tests' visibility (no suite test carries a marker); the result stays visible.
    expect(results.tests.map((t) => t.visibility)).toEqual(Array(5).fill("after_due_date"));
    expect(results.output).toContain(`${ID}: 10 / 10`);
  });

  it("a wrong submission (.ts named for its exercise): the lost points, and why", async () => {
    const racy = await readFile(path.join(ROOT, "exercises", ID, "broken/racy.ts"), "utf8");
    const { results } = await submit({ [`${ID}.ts`]: racy });
    expect(results.score).toBe(5);
    const failed = results.tests.filter((t) => t.status === "failed");
    expect(failed.map((t) => t.name)).toEqual([
      "no update is lost when 4 workers call increment() at the same time",
      "no update is lost when 4 workers call increment(3) at the same time",
    ]);
    expect(failed[0]!.output).toMatch(/increments were lost/);
  });

  it("a hanging submission: the hanging tests fail with the reason, the rest pass, one results.json", async () => {
    const { results } = await submit({ "my-work.ipynb": withSolution(HANGING) });
    const timedOut = results.tests.filter((t) => t.tags.includes("timeout"));
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut[0]!.output).toMatch(/Ran out of time/);
    expect(results.score).toBeGreaterThan(0);
    expect(results.score).toBeLessThan(10);
  }, 300_000);

  it("an empty submission: 0, every test listed, and what to upload", async () => {
    const { results } = await submit({});
    expect(results.score).toBe(0);
    expect(results.tests.reduce((s, t) => s + t.max_score, 0)).toBe(10);
    expect(results.output).toMatch(/Your submission is empty: upload safe-counter\.ipynb/);
    expect(results.tests[0]!.output).toMatch(/no safe-counter notebook in your submission/);
  });

  it("not a notebook (a PDF, a notebook with broken JSON): 0 and what to fix, naming the file", async () => {
    const { results } = await submit({ "essay.pdf": "%PDF-1.4", [`${ID}.ipynb`]: "{ not json" });
    expect(results.score).toBe(0);
    expect(results.output).toMatch(
      /No exercise notebook found in your submission \(found: essay\.pdf, safe-counter\.ipynb\)/,
    );
    expect(results.output).toMatch(/safe-counter\.ipynb\S*: .*invalid JSON/);
  });
});
