// `tsnb release`: solution regions become stubs, everything else (metadata, ids, other cells) stays.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  codeCell,
  formatNotebook,
  joinSource,
  markdownCell,
  newNotebook,
  readNotebook,
  writeNotebook,
} from "../../src/notebook/index.ts";
import { releaseNotebook, releaseSource, ReleaseError, STUB } from "../../src/grade/release.ts";
import { run } from "../../src/grade/release-command.ts";
import { UsageError } from "../../src/errors.ts";
import { EXERCISE_LIST } from "../../src/grade/exercises.ts";
import { ROOT } from "../../src/grade/workdir.ts";
import { instructorNotebook } from "../../exercises/notebook-source.ts";

const NBGRADER = {
  nbgrader: { solution: true, grade: false, locked: false, grade_id: "safe-counter", schema_version: 3 },
};

describe("releaseSource", () => {
  it("replaces each region, markers included, with the stub at the marker's indentation", () => {
    const source = [
      "class A {",
      "  f() {",
      "    // BEGIN SOLUTION",
      "    return 42;",
      "    // END SOLUTION",
      "  }",
      "  g() {",
      "    //BEGIN SOLUTION",
      "    return 1;",
      "    //   END SOLUTION",
      "  }",
      "}",
    ].join("\n");
    expect(releaseSource(source, "x")).toBe(
      ["class A {", "  f() {", `    ${STUB}`, "  }", "  g() {", `    ${STUB}`, "  }", "}"].join("\n"),
    );
  });

  it("leaves code without markers unchanged", () => {
    expect(releaseSource("const a = 1;\n// a comment\n", "x")).toBe("const a = 1;\n// a comment\n");
  });

  it.each([
    ["// BEGIN SOLUTION\nx\n", /x, line 1: BEGIN SOLUTION is never closed/],
    ["x\n// END SOLUTION\n", /x, line 2: END SOLUTION without a BEGIN SOLUTION/],
    [
      "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n",
      /x, line 2: BEGIN SOLUTION inside the region opened on line 1/,
    ],
  ])("names the place of unbalanced markers: %j", (source, message) => {
    expect(() => releaseSource(source, "x")).toThrow(ReleaseError);
    expect(() => releaseSource(source, "x")).toThrow(message);
  });
});

describe("releaseNotebook", () => {
  it("stubs solution regions, clears outputs, keeps ids, metadata and every other cell", () => {
    const solution = codeCell(
      "function f() {\n  // BEGIN SOLUTION\n  return 42;\n  // END SOLUTION\n}",
      NBGRADER,
      "sol-1",
    );
    solution.outputs = [{ output_type: "stream", name: "stdout", text: "42\n" }];
    solution.execution_count = 3;
    const nb = newNotebook(
      [markdownCell("# Task\n// BEGIN SOLUTION stays in markdown", "md-1"), solution, codeCell("f();", {}, "try-1")],
      { custom: { keep: true } },
    );
    const out = releaseNotebook(nb, "in.ipynb");
    expect(out.cells.map((c) => c.id)).toEqual(["md-1", "sol-1", "try-1"]);
    expect(out.cells[0]).toEqual(nb.cells[0]);
    expect(out.cells[1]!.source).toBe(`function f() {\n  ${STUB}\n}`);
    expect(out.cells[1]!.metadata).toEqual({ ...NBGRADER, deletable: false });
    expect(out.cells[1]!["outputs"]).toEqual([]);
    expect(out.cells[1]!["execution_count"]).toBeNull();
    expect(out.metadata["custom"]).toEqual({ keep: true });
    expect(nb.cells[1]!.source, "the input is not modified").toContain("return 42");
  });

  it("locks cells as nbgrader's lock step does: solution cells undeletable, locked cells read-only", () => {
    const locked = { nbgrader: { solution: false, grade: false, locked: true, grade_id: "check", schema_version: 3 } };
    const nb = newNotebook([
      codeCell("f();", NBGRADER, "sol"),
      codeCell("check();", locked, "check"),
      codeCell("try();", {}, "try"),
    ]);
    expect(releaseNotebook(nb, "in.ipynb").cells.map((c) => c.metadata)).toEqual([
      { ...NBGRADER, deletable: false },
      { ...locked, editable: false, deletable: false },
      {},
    ]);
  });

  it("names the notebook and cell when markers do not pair", () => {
    const nb = newNotebook([markdownCell("x"), codeCell("// BEGIN SOLUTION\n")]);
    expect(() => releaseNotebook(nb, "teacher.ipynb")).toThrow(
      /teacher\.ipynb: cell 2, line 1: BEGIN SOLUTION is never closed/,
    );
  });
});

describe("tsnb release", () => {
  let dir = "";
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes DIR/<name>.ipynb for each notebook and leaves the source as it was", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-release-"));
    const src = path.join(dir, "ex.ipynb");
    const text = formatNotebook(
      newNotebook([codeCell("// BEGIN SOLUTION\nsecret();\n// END SOLUTION", NBGRADER, "c1")]),
    );
    await writeFile(src, text);
    expect(await run([src, "--out", path.join(dir, "learners")])).toBe(0);
    const released = await readNotebook(path.join(dir, "learners", "ex.ipynb"));
    expect(joinSource(released.cells[0]!.source)).toBe(STUB);
    expect(await readFile(src, "utf8")).toBe(text);
  });

  it("refuses bad usage with a clear message, and writes nothing when one notebook is bad", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-release-"));
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(["a.ipynb"])).rejects.toThrow(/--out DIR is required/);
    await expect(run(["a.txt", "--out", dir])).rejects.toThrow(/not a notebook/);
    await expect(run([path.join(dir, "a.ipynb"), "--out", dir])).rejects.toThrow(
      /would overwrite the instructor notebook/,
    );
    const good = path.join(dir, "good.ipynb");
    const bad = path.join(dir, "bad.ipynb");
    await writeFile(good, formatNotebook(newNotebook([codeCell("ok();")])));
    await writeFile(bad, formatNotebook(newNotebook([codeCell("// END SOLUTION")])));
    await expect(run([good, bad, "--out", path.join(dir, "out")])).rejects.toThrow(/bad\.ipynb: cell 1, line 1/);
    await expect(readFile(path.join(dir, "out", "good.ipynb"))).rejects.toThrow();
  });

  it("releasing the course's instructor notebooks gives the committed learner notebooks, byte for byte", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-release-"));
    const inputs = [];
    for (const { id } of EXERCISE_LIST) {
      const file = path.join(dir, `${id}.ipynb`);
      await writeNotebook(file, instructorNotebook(id));
      inputs.push(file);
    }
    expect(await run([...inputs, "--out", path.join(dir, "learners")])).toBe(0);
    for (const { id } of EXERCISE_LIST) {
      const committed = await readFile(path.join(ROOT, "notebooks/exercises", `${id}.ipynb`), "utf8");
      expect(await readFile(path.join(dir, "learners", `${id}.ipynb`), "utf8"), id).toBe(committed);
    }
  });
});
