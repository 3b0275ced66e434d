import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelSession, startKernel } from "../../src/kernel/index.ts";
import { buildSnapshot, readySnapshot, snapshotFile, snapshotSupported } from "../../src/kernel/snapshot.ts";
import { tempDir } from "./executor-support.ts";

// The startup snapshot (src/kernel/tslab-snapshot.cjs) must be invisible to a notebook: the same outputs,
// the same type errors, the same stacks, children and workers that start as they would without it.
const CELLS = [
  "const n: number = 41; n + 1",
  'const bad: number = "text";', // a type error: the diagnostics come from the pre-parsed lib files
  'function fails() { throw new RangeError("bad range"); }\nfails()', // the stack must be there
  "[1, 2, 3].map((x) => x * 2).includes(4)", // lib.es2016 (Array.prototype.includes) types
  "typeof Error.stackTraceLimit + ' ' + Error.stackTraceLimit",
  'process.execArgv.some((a) => a.includes("snapshot"))',
  // A forked child inherits execArgv: it must run its own script, not start another kernel.
  'import { execFileSync } from "node:child_process";\nexecFileSync(process.execPath, [...process.execArgv, "-e", "console.log(\'child ran\')"], { encoding: "utf8" }).trim()',
  'import { Worker } from "node:worker_threads";\nawait new Promise((resolve) => new Worker("require(\'node:worker_threads\').parentPort.postMessage(6 * 7)", { eval: true }).once("message", resolve))',
];

async function runAll(kernel: KernelSession): Promise<unknown[]> {
  const outputs: unknown[] = [];
  for (const cell of CELLS) {
    const result = await kernel.execute(cell);
    // Stacks name the evalmachine line, the same either way; the kernel's own frames are not compared.
    outputs.push(JSON.parse(JSON.stringify(result.outputs).replace(/\\n\s+at (?!evalmachine)[^"\\]*/g, "")));
  }
  return outputs;
}

describe.runIf(snapshotSupported())("tslab started from the V8 startup snapshot", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("snapshot"));
    buildSnapshot(); // normally done by npm ci; false only while another process builds it
  });
  afterAll(() => cleanup());

  it("behaves as a kernel started without it, cell for cell", async () => {
    const snapshot = readySnapshot(dir);
    expect(snapshot, "no snapshot was built (see src/kernel/snapshot.ts)").toBeDefined();
    const started = await startKernel({ cwd: dir });
    const fromSnapshot = await runAll(started).finally(() => started.shutdown());
    process.env["TSNB_TSLAB_SNAPSHOT"] = "0";
    const plain = await startKernel({ cwd: dir }).finally(() => delete process.env["TSNB_TSLAB_SNAPSHOT"]);
    const withoutSnapshot = await runAll(plain).finally(() => plain.shutdown());
    expect(fromSnapshot).toEqual(withoutSnapshot);
    // And the outputs are the expected ones, not equally wrong on both sides.
    const text = JSON.stringify(fromSnapshot);
    expect(text).toContain("42");
    expect(text).toContain("Type 'string' is not assignable to type 'number'");
    expect(text).toContain('"RangeError: bad range","    at fails (evalmachine');
    expect(text).toContain("number 10");
    expect(text).toContain("child ran");
  });

  // A kernel's type roots depend on its folder (tslab's own @types/node in a folder with no @types/node
  // above it, the project's in the project): either way its libs and @types come from the snapshot.
  it.each([
    ["a temporary folder", () => dir],
    ["the project", () => path.resolve("test", "fixtures")],
  ])("serves every lib and @types file to a kernel in %s", async (_, folder) => {
    const cwd = folder();
    expect(readySnapshot(cwd), `no snapshot for ${cwd} was built`).toBeDefined();
    const kernel = await startKernel({ cwd });
    try {
      const result = await kernel.execute(
        "const misses: string[] = (globalThis as any).__tsnbSnapshotMisses;\nJSON.stringify(misses)",
      );
      expect(result.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "[]\n" }]);
    } finally {
      await kernel.shutdown();
    }
  });

  it("starts the usual way, and discards the snapshot, when the snapshot cannot start a kernel", async () => {
    const file = snapshotFile(dir);
    const saved = `${file}.saved-by-test`;
    await copyFile(file, saved);
    try {
      await writeFile(file, "not a V8 snapshot");
      const kernel = await startKernel({ cwd: dir });
      try {
        expect((await kernel.execute("6 * 7")).outputs).toEqual([
          { output_type: "stream", name: "stdout", text: "42\n" },
        ]);
      } finally {
        await kernel.shutdown();
      }
      expect(existsSync(file) ? await readFile(file, "utf8").catch(() => "") : "").not.toBe("not a V8 snapshot");
    } finally {
      await copyFile(saved, file);
      await rm(saved, { force: true });
    }
  });
});

describe.skipIf(snapshotSupported())(`no snapshot on Node ${process.versions.node.split(".")[0]}`, () => {
  it("builds none and starts kernels as they come, child processes included", async () => {
    expect(buildSnapshot()).toBe(false);
    expect(readySnapshot(process.cwd())).toBeUndefined();
    const { dir, cleanup } = await tempDir("no-snapshot");
    const kernel = await startKernel({ cwd: dir });
    try {
      const result = await kernel.execute(
        'import { execFileSync } from "node:child_process";\nexecFileSync(process.execPath, ["-e", "console.log(1 + 1)"], { encoding: "utf8" }).trim()',
      );
      expect(result.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2\n" }]);
    } finally {
      await kernel.shutdown();
      await cleanup();
    }
  });
});
