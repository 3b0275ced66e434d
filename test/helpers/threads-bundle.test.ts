import { existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { wireBundle } from "../../kernel-helpers/runtime/bundle.ts";

describe("the worker-side bundle of shared primitives", () => {
  it("is built once, named by the sources' hash, and exports fromWire", async () => {
    const path = wireBundle();
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    expect(basename(path!)).toMatch(/^wire-worker-[0-9a-f]{12}\.cjs$/);
    expect(wireBundle()).toBe(path);
    const mod = (await import(path!)) as { fromWire?: unknown; default?: { fromWire?: unknown } };
    expect(typeof (mod.fromWire ?? mod.default?.fromWire)).toBe("function");
  });
});
