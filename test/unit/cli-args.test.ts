import { describe, expect, it } from "vitest";
import { jobsFlag, outFlag, secondsFlag } from "../../src/cli-args.ts";
import { UsageError } from "../../src/errors.ts";
import { parseRunArgs } from "../../src/execute/command.ts";
import { parseGradeArgs } from "../../src/grade/command.ts";
import { parseSiteArgs } from "../../src/site/cli/args.ts";

// One spelling of --jobs, --timeout and -o/--out for every command, validated in one place (src/cli-args.ts).
describe("shared flags", () => {
  it("--jobs: an integer from 1 up", () => {
    expect(jobsFlag(undefined)).toBe(1);
    expect(jobsFlag(undefined, 3)).toBe(3);
    expect(jobsFlag("2")).toBe(2);
    for (const bad of ["0", "-1", "1.5", "two", "", "1e3"])
      expect(() => jobsFlag(bad), bad).toThrow(new UsageError(`--jobs expects an integer from 1 up, got \`${bad}\``));
  });

  it("seconds: a number above 0", () => {
    expect(secondsFlag("--timeout", undefined)).toBeUndefined();
    expect(secondsFlag("--timeout", undefined, 120)).toBe(120);
    expect(secondsFlag("--timeout", "0.5", 120)).toBe(0.5);
    for (const bad of ["0", "-3", "soon", " ", "Infinity"])
      expect(() => secondsFlag("--start-timeout", bad), bad).toThrow(
        new UsageError(`--start-timeout expects a number of seconds above 0, got \`${bad}\``),
      );
  });

  it("-o/--out and its old spellings name one folder", () => {
    expect(outFlag({})).toBeUndefined();
    expect(outFlag({ out: "a" })).toBe("a");
    expect(outFlag({ output: "a" })).toBe("a");
    expect(outFlag({ dir: "a" })).toBe("a");
    expect(outFlag({ out: "a", output: "a" })).toBe("a");
    expect(() => outFlag({ out: "a", dir: "b" })).toThrow(
      new UsageError("--out and --dir name different folders: give one (-o/--out DIR)"),
    );
  });

  it("every command takes -o/--out, -j/--jobs and --timeout, with the same messages", () => {
    const run = parseRunArgs(["a.ipynb", "-o", "x", "-j", "2", "--timeout", "5"]);
    expect(
      run !== "help" && [run.jobs[0]!.output.endsWith("x/a.ipynb"), run.options.jobs, run.options.timeoutSec],
    ).toEqual([true, 2, 5]);
    const old = parseRunArgs(["a.ipynb", "--output", "x"]);
    expect(old !== "help" && old.jobs[0]!.output.endsWith("x/a.ipynb")).toBe(true);
    const grade = parseGradeArgs([
      "a.ipynb",
      "b.ipynb",
      "--format",
      "gradescope",
      "-o",
      "res",
      "-j",
      "2",
      "--timeout",
      "9",
    ]);
    expect(grade !== "help" && [grade.out, grade.jobs, grade.timeoutSec]).toEqual(["res", 2, 9]);
    const site = parseSiteArgs(["-o", "out", "-j", "2", "--timeout", "7"], "/r");
    expect(site !== "help" && [site.options.outDir, site.options.jobs, site.options.timeoutSec]).toEqual([
      "/r/out",
      2,
      7,
    ]);
    for (const parse of [
      () => parseRunArgs(["a.ipynb", "--jobs", "0"]),
      () => parseGradeArgs(["a.ipynb", "--jobs", "0"]),
      () => parseSiteArgs(["--jobs", "0"]),
    ])
      expect(parse).toThrow(new UsageError("--jobs expects an integer from 1 up, got `0`"));
    for (const parse of [
      () => parseRunArgs(["a.ipynb", "--timeout", "0"]),
      () => parseGradeArgs(["a.ipynb", "--timeout", "0"]),
      () => parseSiteArgs(["--timeout", "0"]),
    ])
      expect(parse).toThrow(new UsageError("--timeout expects a number of seconds above 0, got `0`"));
  });
});
