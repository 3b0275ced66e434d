// `tsnb grade` options and the pieces that turn a runner's report into a score.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.ts";
import { parseGradeArgs, resultFiles } from "../../src/grade/command.ts";
import { outcomeOf, parsePoints, statusOf } from "../../src/grade/outcome.ts";

describe("parseGradeArgs", () => {
  it("reads files, format, jobs, timeout and exercise", () => {
    expect(
      parseGradeArgs(["a.ipynb", "b.ts", "-e", "safe-counter", "-f", "csv", "-j", "2", "--timeout", "30"]),
    ).toEqual({
      files: ["a.ipynb", "b.ts"],
      format: "csv",
      jobs: 2,
      timeoutSec: 30,
      exercise: "safe-counter",
      memoryMb: undefined,
      out: undefined,
      idFrom: "file",
    });
    expect(parseGradeArgs(["a.ipynb", "b.ipynb", "-f", "gradescope", "-o", "results"])).toMatchObject({
      format: "gradescope",
      out: "results",
    });
    expect(parseGradeArgs(["a.ipynb", "-f", "csv", "--id-from", "metadata"])).toMatchObject({ idFrom: "metadata" });
    expect(parseGradeArgs(["a.ipynb"])).toMatchObject({
      format: "text",
      jobs: 1,
      timeoutSec: 120,
      exercise: undefined,
    });
    expect(parseGradeArgs(["--help"])).toBe("help");
  });

  it.each([
    [[], /no submission given \(tsnb grade SUBMISSION\.\.\.; see --help\)/],
    [["a.ipynb", "--format", "xml"], /--format expects text, json, gradescope or csv, got `xml`/],
    [["a.ipynb", "--jobs", "0"], /--jobs expects an integer from 1 up, got `0`/],
    [["a.ipynb", "--jobs", "1.5"], /--jobs expects an integer from 1 up, got `1\.5`/],
    [["a.ipynb", "--timeout=0"], /--timeout expects a number of seconds above 0, got `0`/],
    [["a.ipynb", "--timeout", "soon"], /--timeout expects a number of seconds above 0, got `soon`/],
    [["a.ipynb", "--exercise", "nope"], /--exercise: unknown exercise `nope` \(known: safe-counter, bounded-queue/],
    [["a.ipynb", "--memory", "10"], /--memory expects a number of MB from 64 up, got `10`/],
    [["a.ipynb", "--frobnicate"], /Unknown option '--frobnicate'/],
    [
      ["a.ipynb", "b.ipynb", "--format", "gradescope"],
      /--format gradescope with 2 submissions: a results.json holds one submission, so add --out DIR/,
    ],
    [["a.ipynb", "--out", "d"], /--out DIR writes one results.json per submission: it goes with --format gradescope/],
    [["a.ipynb", "-f", "csv", "--id-from", "email"], /--id-from expects file or metadata, got `email`/],
    [["a.ipynb", "--id-from", "metadata"], /--id-from names the learner column of --format csv/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseGradeArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseGradeArgs(argv as string[])).toThrow(message);
  });
});

describe("resultFiles", () => {
  it("puts each submission's results.json under its learner's name, and refuses two that would share one", () => {
    const ids = ["safe-counter"];
    expect(resultFiles(["a/alice.ipynb", "b/safe-counter.ipynb"], "/out", ids)).toEqual([
      "/out/alice.json",
      "/out/b.json",
    ]);
    expect(() => resultFiles(["x/alice.ipynb", "y/alice.ipynb"], "/out", ids)).toThrow(
      /x\/alice.ipynb and y\/alice.ipynb would both be written to \/out\/alice.json/,
    );
  });
});

describe("scoring a runner report", () => {
  it("reads the points from the test name", () => {
    expect(parsePoints("[3] no update is lost")).toBe(3);
    expect(parsePoints("[0.5] half a point")).toBe(0.5);
    expect(parsePoints("no points")).toBeUndefined();
  });

  it("maps the error a test failed with to a status", () => {
    expect(statusOf([])).toBe("failed");
    expect(statusOf([{ name: "AssertionError", message: "expected 1 to be 2" }])).toBe("failed");
    expect(statusOf([{ name: "SubmissionThrewError", message: "your code threw" }])).toBe("failed");
    expect(statusOf([{ name: "SandboxTimeoutError", message: "no answer within 10 s" }])).toBe("timeout");
    expect(statusOf([{ name: "Error", message: "Test timed out in 30000ms." }])).toBe("timeout");
    expect(statusOf([{ name: "SandboxExitError", message: "exited with code 0" }])).toBe("error");
    expect(statusOf([{ name: "SubmissionLoadError", message: "threw while loading" }])).toBe("error");
  });

  it("scores all or nothing, and keeps a readable message", () => {
    expect(outcomeOf({ type: "test", name: "[2] x", state: "passed", errors: [], durationMs: 1 }, 2)).toEqual({
      name: "[2] x",
      score: 2,
      maxScore: 2,
      status: "passed",
      output: "",
    });
    const failed = outcomeOf(
      {
        type: "test",
        name: "[2] x",
        state: "failed",
        errors: [
          { name: "AssertionError", message: "\u001b[31mlost 5: expected 5 to be +0 // Object.is equality\u001b[39m" },
        ],
        durationMs: 1,
      },
      2,
    );
    expect(failed).toEqual({
      name: "[2] x",
      score: 0,
      maxScore: 2,
      status: "failed",
      output: "lost 5: expected 5 to be +0",
    });
    expect(
      outcomeOf(
        {
          type: "test",
          name: "[1] y",
          state: "failed",
          errors: [{ name: "SandboxExitError", message: "the process exited" }],
          durationMs: 1,
        },
        1,
      ).output,
    ).toBe("SandboxExitError: the process exited");
    expect(outcomeOf({ type: "test", name: "[1] z", state: "skipped", errors: [], durationMs: 0 }, 1)).toMatchObject({
      score: 0,
      status: "error",
    });
  });
});
