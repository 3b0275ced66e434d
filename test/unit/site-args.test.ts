import path from "node:path";
import { describe, expect, it } from "vitest";
import type { NotebookRun } from "../../src/execute/index.ts";
import type { SitePage, SiteSummary } from "../../src/site/types.ts";
import { parsePort, parseSiteArgs } from "../../src/site/cli/args.ts";
import { learnerView, stripSolutions } from "../../src/site/build/learner-view.ts";
import { summaryTable } from "../../src/site/cli/report.ts";
import { codeCell, newNotebook } from "../../src/notebook/index.ts";

describe("tsnb site / npm start arguments", () => {
  it("defaults to executing into build/ with the project's trust", () => {
    expect(parseSiteArgs([], "/p")).toEqual({
      options: { root: "/p", execute: true, force: false, trusted: true },
      serve: false,
      port: undefined,
    });
  });

  it("takes every option", () => {
    const args = parseSiteArgs(
      [
        "--out",
        "o",
        "--no-execute",
        "-j",
        "2",
        "--timeout",
        "1.5",
        "--notebooks",
        "nb",
        "--executed",
        "ex",
        "--untrusted",
        "--serve",
        "-p",
        "0",
      ],
      "/p",
    );
    expect(args).toEqual({
      options: {
        root: "/p",
        execute: false,
        force: false,
        trusted: false,
        outDir: path.resolve("/p/o"),
        notebooksDir: path.resolve("/p/nb"),
        executedDir: path.resolve("/p/ex"),
        jobs: 2,
        timeoutSec: 1.5,
      },
      serve: true,
      port: 0,
    });
    expect(parseSiteArgs(["--help"])).toBe("help");
  });

  it.each([
    [["--jobs", "0"], "--jobs expects an integer from 1 up, got `0`"],
    [["--jobs", "1.5"], "--jobs expects an integer from 1 up, got `1.5`"],
    [["--timeout=-3"], "--timeout expects a number of seconds above 0, got `-3`"],
    [["--timeout", "soon"], "--timeout expects a number of seconds above 0, got `soon`"],
    [["--force", "--no-execute"], "--force and --no-execute exclude each other"],
    [["--port", "80"], "--port needs --serve"],
    [["--serve", "--port", "70000"], "--port expects an integer from 0 to 65535, got `70000`"],
    [["notebook.ipynb"], "Unexpected argument 'notebook.ipynb'"],
    [["--colour"], "Unknown option '--colour'"],
  ])("rejects %j with a usage error", (argv, message) => {
    expect(() => parseSiteArgs(argv)).toThrow(
      expect.objectContaining({ code: "ERR_USAGE", message: expect.stringContaining(message) }),
    );
  });

  it("parses ports", () => {
    expect(parsePort("8018")).toBe(8018);
    expect(() => parsePort("-1")).toThrow(/--port/);
    expect(() => parsePort("1e3")).toThrow(/--port/);
  });
});

describe("learner view", () => {
  it("replaces each solution block with a stub at its indentation and keeps the rest", () => {
    const src =
      "function f() {\n    // BEGIN SOLUTION\n    return 42;\n    // END SOLUTION\n}\n// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION\nf();";
    expect(stripSolutions(src)).toBe(
      'function f() {\n    throw new Error("not implemented");\n}\nthrow new Error("not implemented");\nf();',
    );
  });

  it("hides everything after an unterminated BEGIN SOLUTION", () => {
    expect(stripSolutions("a();\n// BEGIN SOLUTION\nsecret();\nmore();")).toBe(
      'a();\nthrow new Error("not implemented");\n',
    );
  });

  it("drops outputs and execution counts, keeps metadata, and leaves the input alone", () => {
    const cell = {
      ...codeCell("1", { nbgrader: { grade_id: "x" } }),
      execution_count: 4,
      outputs: [{ output_type: "stream" as const, name: "stdout" as const, text: "1" }],
    };
    const nb = newNotebook([cell]);
    const view = learnerView(nb);
    expect(view.cells[0]).toMatchObject({
      execution_count: null,
      outputs: [],
      metadata: { nbgrader: { grade_id: "x" } },
      source: "1",
    });
    expect(nb.cells[0]).toMatchObject({ execution_count: 4 });
  });
});

describe("summary table", () => {
  const run = (ok: boolean): NotebookRun => ({
    input: "",
    output: "",
    ok,
    cells: 10,
    executed: ok ? 10 : 3,
    elapsedMs: 2345,
    ...(ok ? {} : { error: new Error("cell 4: TypeError: boom\n  at x") }),
  });
  const p = (name: string, extra: Partial<SitePage>): SitePage => ({
    kind: "lesson",
    source: `/nb/${name}`,
    relative: `notebooks/${name}`,
    href: "",
    title: name,
    headings: [],
    status: "cached",
    ...extra,
  });

  it("gives one row per notebook with its status, cells and time, then the failures", () => {
    const summary: SiteSummary = {
      outDir: "/o",
      index: "/o/index.html",
      url: "file:///o/index.html",
      failed: 1,
      elapsedMs: 1,
      cacheHits: 0,
      pages: [
        p("00-a.ipynb", { status: "executed", run: run(true) }),
        p("01-b.ipynb", { status: "failed", run: run(false), error: "cell 4: TypeError: boom\n  at x" }),
        p("02-c.ipynb", { status: "cached" }),
        p("03-d.ipynb", { status: "stored", stale: "source changed" }),
        p("exercises/x.ipynb", { kind: "exercise", status: "stored" }),
      ],
    };
    expect(summaryTable(summary, "/nb")).toBe(
      [
        "notebook            status         cells    time",
        "00-a.ipynb          executed       10/10   2.3 s",
        "01-b.ipynb          FAILED          3/10   2.3 s",
        "02-c.ipynb          up to date",
        "03-d.ipynb          not executed",
        "exercises/x.ipynb   exercise",
        "",
        "Failures:",
        "  01-b.ipynb: cell 4: TypeError: boom",
      ].join("\n"),
    );
  });
});
