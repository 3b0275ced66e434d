// recordFigure / recordedFigures: the lesson's closing table reads what each lesson recorded.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordFigure, recordedFigures } from "../../kernel-helpers/index.ts";

describe("recordFigure", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "figures-"));
    process.env["LESSON_FIGURES_DIR"] = path.join(dir, "figures");
  });
  afterEach(() => {
    delete process.env["LESSON_FIGURES_DIR"];
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps one file per lesson, replaces a figure of the same name, and reads them back in lesson order", () => {
    recordFigure("11", "lag on the loop", "1200 ms");
    recordFigure("03", "thread start", "21 ms");
    recordFigure("03", "process start", 80);
    recordFigure("03", "thread start", "19 ms"); // a second run of the lesson
    expect(recordedFigures().map((f) => [f.lesson, f.name, f.value])).toEqual([
      ["03", "process start", "80"],
      ["03", "thread start", "19 ms"],
      ["11", "lag on the loop", "1200 ms"],
    ]);
    const file = JSON.parse(readFileSync(path.join(dir, "figures", "03.json"), "utf8")) as Array<{ at: string }>;
    expect(file).toHaveLength(2);
    expect(Number.isNaN(Date.parse(file[0]!.at))).toBe(false);
  });

  it("reads nothing before anything is recorded, and refuses a bad lesson id or name", () => {
    expect(recordedFigures()).toEqual([]);
    expect(() => recordFigure("../x", "n", 1)).toThrow(/Expected `lesson` to be a lesson id/);
    expect(() => recordFigure("03", "", 1)).toThrow(/Expected `name` to be a non-empty string/);
  });

  it.skipIf(process.getuid?.() === 0)("does not throw when the folder cannot be written: the figure is not kept", () => {
    chmodSync(dir, 0o500);
    expect(() => recordFigure("03", "thread start", "21 ms")).not.toThrow();
    expect(recordedFigures()).toEqual([]);
  });
});
