// The postinstall patch of tslab (src/kernel/tslab-rootdir.cjs), against the real kernel: a notebook imports
// local TypeScript from a folder above its own (as notebooks/ and notebooks/exercises/ import
// kernel-helpers/), including modules that import each other in a cycle. Unpatched tslab 1.0.22 fails the
// first with "not under 'rootDir'" and the second with "Maximum call stack size exceeded".
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../../src/execute/index.ts";
import { startKernel } from "../../src/kernel/index.ts";
import { readNotebook } from "../../src/notebook/index.ts";
import { codeCells, streamText, tempDir, writeCells } from "./executor-support.ts";

interface PatchModule {
  patchTslab(file: string): string;
  patchExecutor(file: string): string;
  patchTier(file: string): string;
  converterPath(): string | undefined;
  MARKER: string;
  CYCLE_MARKER: string;
  TIER_MARKER: string;
  EDITS: [string, string][];
  CYCLE_EDITS: [string, string][];
  TIER_EDITS: [string, string][];
}
const patch = createRequire(import.meta.url)("../../src/kernel/tslab-rootdir.cjs") as PatchModule;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir("tslab-patch")));
afterAll(() => cleanup());

describe("the tslab patch, applied by npm install", () => {
  it("is applied to the installed tslab", async () => {
    const converter = patch.converterPath()!;
    expect(await readFile(converter, "utf8")).toContain(patch.MARKER);
    expect(await readFile(converter, "utf8")).toContain(patch.TIER_MARKER);
    expect(await readFile(path.join(path.dirname(converter), "executor.js"), "utf8")).toContain(patch.CYCLE_MARKER);
  });

  it("patches once, and refuses a tslab whose code it does not recognise, naming the file", async () => {
    const file = path.join(dir, "converter.js");
    await writeFile(file, patch.EDITS.map(([from]) => `    ${from}\n`).join(""));
    expect(patch.patchTslab(file)).toBe("patched");
    const once = await readFile(file, "utf8");
    for (const [from, to] of patch.EDITS) {
      expect(once).toContain(to);
      if (!to.includes(from)) expect(once).not.toContain(from);
    }
    expect(patch.patchTslab(file)).toBe("already patched");
    expect(await readFile(file, "utf8")).toBe(once);

    const other = path.join(dir, "other-version.js");
    await writeFile(other, "// a tslab version with different code\n");
    expect(() => patch.patchTslab(other)).toThrow(`${other}: expected the text`);
    expect(() => patch.patchExecutor(other)).toThrow(`${other}: expected the text`);
    expect(() => patch.patchTier(other)).toThrow(`${other}: expected the text`);
    // The TurboFan patch has its own marker: a converter.js patched for rootDir alone still gets it, once.
    await writeFile(file, `${once}${patch.TIER_EDITS.map(([from]) => from).join("\n")}\n`);
    expect(patch.patchTier(file)).toBe("patched");
    const twice = await readFile(file, "utf8");
    expect(twice).toContain(patch.TIER_MARKER);
    expect(twice).toContain(patch.MARKER);
    expect(patch.patchTier(file)).toBe("already patched");
    expect(patch.patchTslab(file)).toBe("already patched");
  });
});

// The converter patch turns TurboFan off while tslab compiles a cell: the cell's own code must still be
// optimised (a notebook measuring a CPU-bound speedup would otherwise measure V8's baseline tier).
describe("TurboFan while a cell runs (real tslab)", () => {
  it("optimises the cell's own functions", async () => {
    const kernel = await startKernel({ cwd: dir });
    try {
      await kernel.execute('import * as v8 from "node:v8";\nv8.setFlagsFromString("--allow-natives-syntax");');
      // V8's OptimizationStatus: bit 6 is kTurboFanned (the same in Node 20's V8 11 and Node 24's V8 13).
      const result = await kernel.execute(
        "const status = new Function(`const f = (x) => x * 2 + 1; %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3); return %GetOptimizationStatus(f);`)() as number;\n(status & 64) !== 0",
      );
      expect(result.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "true\n" }]);
    } finally {
      await kernel.shutdown();
    }
  });
});

describe("a notebook importing local TypeScript from above its folder (real tslab)", () => {
  it("loads ../lib/index and ../../lib/index, with an import cycle, and keeps type errors located", async () => {
    const project = path.join(dir, "project");
    await mkdir(path.join(project, "lib"), { recursive: true });
    await mkdir(path.join(project, "notebooks", "exercises"), { recursive: true });
    await writeFile(path.join(project, "package.json"), '{ "name": "p", "private": true }\n');
    // a.ts and b.ts import each other: Node allows the cycle (b sees a's partial exports while a loads).
    await writeFile(path.join(project, "lib", "a.ts"), 'import { twice } from "./b";\nexport interface Box { value: number }\nexport function box(n: number): Box { return { value: twice(n) }; }\n');
    await writeFile(path.join(project, "lib", "b.ts"), 'import type { Box } from "./a";\nimport * as a from "./a";\nexport function twice(n: number): number { return n * 2; }\nexport function unbox(b: Box): number { return b.value + (typeof a.box === "function" ? 0 : 1); }\n');
    await writeFile(path.join(project, "lib", "index.ts"), 'export { box } from "./a";\nexport { unbox } from "./b";\nexport type { Box } from "./a";\n');
    const cells = (up: string) => [
      `import { box, unbox } from "${up}lib/index";\nconst b = box(21);\nconsole.log(unbox(b));`,
      'const wrong: number = "text";',
    ];
    const lesson = await writeCells(path.join(project, "notebooks"), "lesson.ipynb", cells("../"));
    const exercise = await writeCells(path.join(project, "notebooks", "exercises"), "exercise.ipynb", cells("../../"));
    const runs = await runNotebooks(
      [lesson, exercise].map((input) => ({ input, output: path.join(dir, "out", path.basename(input)) })),
      { allowErrors: true },
    );
    for (const run of runs) {
      const [first, second] = codeCells(await readNotebook(run.output));
      expect(streamText(first!), run.input).toBe("42\n");
      const error = second!.outputs.find((o) => o.output_type === "error") as { evalue?: string } | undefined;
      expect(error?.evalue).toMatch(/^1:7 - Type 'string' is not assignable to type 'number'/);
    }
  });
});
