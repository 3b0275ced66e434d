import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunArgs } from "../../src/execute/command.ts";

describe("tsnb run arguments", () => {
  it("defaults: build/executed/<name>.ipynb, 120 s per cell, one job, embedded", () => {
    const parsed = parseRunArgs(["nb/a.ipynb"], {});
    expect(parsed).toEqual({
      jobs: [{ input: path.resolve("nb/a.ipynb"), output: path.resolve("build/executed/a.ipynb") }],
      options: { timeoutSec: 120, startTimeoutSec: 60, allowErrors: false, jobs: 1 },
    });
  });

  it("reads --output, --inplace, --timeout, --allow-errors, --jobs, --server/--token/--kernel", () => {
    expect(parseRunArgs(["a.ipynb", "--output", "out"], {})).toMatchObject({
      jobs: [{ output: path.resolve("out/a.ipynb") }],
    });
    expect(parseRunArgs(["a.ipynb", "--inplace"], {})).toMatchObject({ jobs: [{ output: path.resolve("a.ipynb") }] });
    expect(
      parseRunArgs(
        [
          "a.ipynb",
          "--timeout",
          "2.5",
          "--allow-errors",
          "-j",
          "3",
          "--server",
          "http://127.0.0.1:1/",
          "--token",
          "t",
          "--kernel",
          "k",
        ],
        {},
      ),
    ).toMatchObject({
      options: {
        timeoutSec: 2.5,
        allowErrors: true,
        jobs: 3,
        server: { url: "http://127.0.0.1:1/", token: "t", kernelName: "k" },
      },
    });
    expect(parseRunArgs(["a.ipynb", "--server", "http://h/"], { JUPYTER_TOKEN: "env" })).toMatchObject({
      options: { server: { token: "env", kernelName: "tslab" } },
    });
    expect(parseRunArgs(["--help"], {})).toBe("help");
  });

  it.each([
    [[], "no notebook given (tsnb run NOTEBOOK...; see --help)"],
    [["a.ipynb", "--output", "o", "--inplace"], "--out and --inplace exclude each other"],
    [["a.ipynb", "--jobs", "0"], "--jobs expects an integer from 1 up, got `0`"],
    [["a.ipynb", "--jobs", "two"], "--jobs expects an integer from 1 up, got `two`"],
    [["a.ipynb", "--timeout=-3"], "--timeout expects a number of seconds above 0, got `-3`"],
    [["a.ipynb", "--timeout", "0"], "--timeout expects a number of seconds above 0, got `0`"],
    [["a.ipynb", "--token", "t"], "--token and --kernel need --server URL"],
    [["a.ipynb", "--server", "http://h/"], "--server needs --token T (or $JUPYTER_TOKEN)"],
    [["a.txt"], "a.txt: not a notebook (expected a .ipynb file)"],
    [
      ["x/a.ipynb", "y/a.ipynb"],
      "x/a.ipynb and y/a.ipynb would both be written to build/executed/a.ipynb (use --inplace, or run them separately)",
    ],
    [["a.ipynb", "--bogus"], "Unknown option '--bogus'"],
  ])("rejects %j: %s", (argv, message) => {
    expect(() => parseRunArgs(argv, {})).toThrow(message);
  });
});
