// The pieces of `tsnb gradescope build`: the zip writer (read back by Python's zipfile, the
// reference), the cut-down lockfile, the zip's settings, and the command's options.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.ts";
import { graderFiles } from "../../src/grade/gradescope/bundle.ts";
import { parseBuildArgs } from "../../src/grade/gradescope/command.ts";
import { parseConfig } from "../../src/grade/gradescope/config.ts";
import { subsetLockfile, type Lockfile } from "../../src/grade/gradescope/lockfile.ts";
import { zipBytes } from "../../src/grade/gradescope/zip.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { need, onPath } from "../support/components.ts";

const PYTHON = "/usr/bin/python3";
const havePython = need("python3", onPath(PYTHON), "sudo apt-get install python3");

describe("zipBytes", () => {
  let dir = "";
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.skipIf(!havePython)("writes what Python's zipfile reads back: names, bytes, CRCs, Unix modes", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-zip-"));
    const big = "x".repeat(100_000);
    const binary = new Uint8Array(256).map((_, i) => i);
    const file = path.join(dir, "a.zip");
    await writeFile(
      file,
      zipBytes([
        { name: "run_autograder", data: "#!/bin/sh\necho hi\n", mode: 0o755 },
        { name: "deep/dir/big.txt", data: big },
        { name: "bin.dat", data: binary },
        { name: "ünïcode.txt", data: "é" },
        { name: "empty", data: "" },
      ]),
    );
    const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.file_size, oct((i.external_attr >> 16) & 0o777), z.read(i).hex()[:16]] for i in z.infolist()]))`;
    const out = JSON.parse(execFileSync(PYTHON, ["-c", script, file], { encoding: "utf8" }));
    expect(out).toEqual([
      ["run_autograder", 18, "0o755", Buffer.from("#!/bin/sh\necho hi\n").toString("hex").slice(0, 16)],
      ["deep/dir/big.txt", 100_000, "0o644", "7878787878787878"],
      ["bin.dat", 256, "0o644", "0001020304050607"],
      ["ünïcode.txt", 2, "0o644", "c3a9"],
      ["empty", 0, "0o644", ""],
    ]);
  });

  it("the same entries give the same bytes; names that would escape or repeat are refused", () => {
    const entries = [{ name: "a", data: "1" }];
    expect(zipBytes(entries).equals(zipBytes(entries))).toBe(true);
    expect(() => zipBytes([{ name: "../x", data: "" }])).toThrow(/relative \/-separated path/);
    expect(() => zipBytes([{ name: "/etc/x", data: "" }])).toThrow(/relative/);
    expect(() =>
      zipBytes([
        { name: "a", data: "" },
        { name: "a", data: "" },
      ]),
    ).toThrow(/appears twice/);
  });
});

describe("subsetLockfile", () => {
  it("keeps the grader's dependencies and theirs from the real lockfile, nothing else, no dev flags", async () => {
    const lock = JSON.parse(await readFile(path.join(ROOT, "package-lock.json"), "utf8")) as Lockfile;
    const deps = { vitest: "^4", tsx: "^4", typescript: "5.9", piscina: "^5" };
    const sub = subsetLockfile(lock, "ag", deps);
    const keys = Object.keys(sub.packages);
    expect(sub.packages[""]).toEqual({ name: "ag", version: "1.0.0", dependencies: deps });
    for (const name of ["vitest", "tsx", "typescript", "piscina", "esbuild"])
      expect(keys).toContain(`node_modules/${name}`);
    for (const name of ["shiki", "zeromq", "tslab", "eslint", "playwright-core"])
      expect(keys).not.toContain(`node_modules/${name}`);
    expect(keys.length).toBeLessThan(Object.keys(lock.packages).length / 2);
    for (const [key, pkg] of Object.entries(sub.packages)) {
      expect(pkg.dev, key).toBeUndefined();
      expect(pkg.devOptional, key).toBeUndefined();
    }
    // Another platform's esbuild binary stays optional (npm ci skips it there).
    const other = keys.find((k) => k.startsWith("node_modules/@esbuild/") && !k.includes(process.platform));
    if (other) expect(sub.packages[other]!.optional).toBe(true);
  });

  it("names a dependency the lockfile lacks", () => {
    const lock: Lockfile = {
      lockfileVersion: 3,
      packages: { "": {}, "node_modules/a": { version: "1.0.0", dependencies: { b: "1" } } },
    };
    expect(() => subsetLockfile(lock, "x", { a: "1" })).toThrow(
      /b \(needed by node_modules\/a\) is not in the lockfile/,
    );
    expect(() => subsetLockfile({ lockfileVersion: 1 } as unknown as Lockfile, "x", {})).toThrow(/lockfileVersion 1/);
  });
});

describe("graderFiles", () => {
  it("the grader, the helpers, the chosen suites and probes, and what they import; no solution, no other exercise", async () => {
    const { files, packages } = await graderFiles(ROOT, ["safe-counter"]);
    // What the code imports at run time (types-only imports are erased: @jupyterlab/nbformat is not needed).
    expect(packages.filter((p) => !p.includes("$") && p !== "x.ts")).toEqual(
      expect.arrayContaining(["ajv-draft-04", "piscina", "tsx", "typescript", "vitest"]),
    );
    expect(packages).not.toContain("@jupyterlab/nbformat");
    for (const f of [
      "src/grade/grade.ts",
      "src/grade/runner/vitest-runner.mjs",
      "src/grade/sandbox/host.cjs",
      "src/errors.ts",
      "src/fs-walk.ts",
      "src/notebook/index.ts",
      "kernel-helpers/index.ts",
      "exercises/safe-counter/suite.grade.ts",
      "exercises/safe-counter/probes.ts",
      "exercises/_probe-lib/workers.ts",
      "src/grade/gradescope/run-autograder.ts",
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => /solution\.ts|broken|alternative|bounded-queue|\.test\.|src\/site\//.test(f))).toEqual(
      [],
    );
  });
});

describe("gradescope.json and the build options", () => {
  it("reads a config, with defaults, and names the field that is wrong", () => {
    expect(parseConfig('{"exercises": ["safe-counter"]}')).toEqual({
      exercises: ["safe-counter"],
      visibility: "visible",
      testVisibility: "visible",
      stdoutVisibility: "hidden",
      format: "md",
      timeoutSec: 120,
    });
    expect(() => parseConfig("{")).toThrow(/gradescope\.json: not JSON/);
    expect(() => parseConfig('{"exercises": []}')).toThrow(/exercises must be a non-empty list/);
    expect(() => parseConfig('{"exercises": ["a"], "testVisibility": "secret"}')).toThrow(
      /testVisibility must be hidden, after_due_date/,
    );
  });

  it("parses build's options", () => {
    const known = ["safe-counter", "bounded-queue"];
    expect(parseBuildArgs(["build", "--out", "a.zip"], known)).toEqual({
      out: "a.zip",
      config: {
        exercises: known,
        visibility: "visible",
        testVisibility: "visible",
        stdoutVisibility: "hidden",
        format: "md",
        timeoutSec: 120,
      },
    });
    expect(
      parseBuildArgs(
        ["build", "-o", "a.zip", "-e", "bounded-queue", "--test-visibility", "after_due_date", "--format", "text"],
        known,
      ),
    ).toMatchObject({
      config: { exercises: ["bounded-queue"], testVisibility: "after_due_date", format: "text" },
    });
    expect(parseBuildArgs(["--help"], known)).toBe("help");
  });

  it.each([
    [["bake"], /unknown subcommand `bake`/],
    [["build"], /--out FILE is required/],
    [["build", "--out", "a.tar"], /--out expects a \.zip file/],
    [["build", "--out", "a.zip", "-e", "nope"], /--exercise: unknown exercise `nope`/],
    [["build", "--out", "a.zip", "--visibility", "maybe"], /--visibility expects visible, hidden/],
    [["build", "--out", "a.zip", "--format", "html"], /--format expects md or text/],
    [["build", "--out", "a.zip", "--timeout", "0"], /--timeout expects a number of seconds above 0/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseBuildArgs(argv as string[], ["safe-counter"])).toThrow(UsageError);
    expect(() => parseBuildArgs(argv as string[], ["safe-counter"])).toThrow(message);
  });
});
