import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED, generateValidators } from "../../src/notebook/schemas/generate.ts";
import { pythonPattern } from "../../src/notebook/schema.ts";
import { pyFloatRepr } from "../../src/notebook/py-json.ts";

describe("nbformat's schemas as the model applies them", () => {
  it("validators.generated.js is what generate.ts makes from the vendored schemas (run it after a change)", () => {
    expect(readFileSync(GENERATED, "utf8") === generateValidators()).toBe(true);
  });

  it("reads patterns as Python's re does: `.` matches \\r but not \\n", () => {
    const re = new RegExp(pythonPattern("^.+$"), "u");
    expect(re.test("a\rb")).toBe(true);
    expect(re.test("a\u2028b")).toBe(true);
    expect(re.test("a\nb")).toBe(false);
    expect(pythonPattern("^[a.b]\\.$")).toBe("^[a.b]\\.$");
  });

  it("writes floats as Python's repr does", () => {
    expect([1, 0.1, 1e16, 1e15, 1e-5, 0.0001, -0, 1.5e-7, 1e22, 123456789.125].map(pyFloatRepr)).toEqual([
      "1.0", "0.1", "1e+16", "1000000000000000.0", "1e-05", "0.0001", "-0.0", "1.5e-07", "1e+22", "123456789.125",
    ]);
  });
});
