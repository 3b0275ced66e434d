import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KernelSession, startKernel } from "../../src/kernel/index.ts";
import { MAX_STREAM_CHARS } from "../../src/kernel/outputs.ts";
import { alive, tempDir } from "./executor-support.ts";

// One real tslab kernel (embedded transport), cell after cell, as a notebook would use it.
describe("KernelSession over the embedded transport (real tslab)", () => {
  let kernel: KernelSession;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("kernel"));
    kernel = await startKernel({ cwd: dir });
  });
  afterAll(async () => {
    const pid = kernel?.pid;
    await kernel?.shutdown();
    if (pid) expect(alive(pid)).toBe(false);
    await cleanup();
  });

  it("runs in the given working directory and keeps state between cells", async () => {
    expect((await kernel.execute("const base = 40; process.cwd()")).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: `${dir}\n` },
    ]);
    const r = await kernel.execute("base + 2");
    expect(r.status).toBe("ok");
    expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "42\n" }]);
  });

  it("coalesces consecutive stream text of one name and keeps stdout/stderr order", async () => {
    const r = await kernel.execute('console.log("a"); console.log("b"); console.error("e"); console.log("c")');
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "stream", name: "stderr", text: "e\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("stores display_data and applies update_display_data to the displayed output", async () => {
    const first = await kernel.execute(
      'import * as tslab from "tslab"; const shown = tslab.newDisplay(); shown.html("<b>0</b>"); tslab.display.markdown("*m*")',
    );
    expect(first.outputs).toEqual([
      { output_type: "display_data", data: { "text/html": "<b>0</b>" }, metadata: {} },
      { output_type: "display_data", data: { "text/markdown": "*m*" }, metadata: {} },
    ]);
    // A later cell updates the earlier cell's display in place, as nbclient does by display id.
    const later = await kernel.execute('shown.html("<b>3</b>")');
    expect(later.outputs).toEqual([]);
    expect(first.outputs[0]).toEqual({ output_type: "display_data", data: { "text/html": "<b>3</b>" }, metadata: {} });
  });

  it("awaits top-level await and collects output written after an await", async () => {
    const r = await kernel.execute('await new Promise((r) => setTimeout(r, 50)); console.log("after"); "value"');
    expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "after\nvalue\n" }]);
  });

  it("runs a worker thread started from a cell", async () => {
    const code = [
      'import { Worker } from "node:worker_threads";',
      "const w = new Worker(\"require('node:worker_threads').parentPort.postMessage(6 * 7)\", { eval: true });",
      'const got = await new Promise((resolve) => w.once("message", resolve));',
      "await w.terminate();",
      'console.log("worker said", got);',
    ].join("\n");
    const r = await kernel.execute(code, { timeoutSec: 30 });
    expect(r.status).toBe("ok");
    expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "worker said 42\n" }]);
  });

  it("turns a type error into an error output (TSError, position and message)", async () => {
    const r = await kernel.execute('const n: number = "text";');
    expect(r.status).toBe("error");
    const [error] = r.outputs as nbformat.IError[];
    expect(r.outputs).toHaveLength(1);
    expect(error).toMatchObject({
      output_type: "error",
      ename: "TSError",
      evalue: "1:7 - Type 'string' is not assignable to type 'number'.",
    });
  });

  it("turns a thrown error into an error output and keeps earlier output as a stream", async () => {
    const r = await kernel.execute(
      'console.log("before"); class QuotaError extends Error { override name = "QuotaError" }; throw new QuotaError("over the limit")',
    );
    expect(r.status).toBe("error");
    expect(r.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "before\n" });
    expect(r.outputs[1]).toMatchObject({ output_type: "error", ename: "QuotaError", evalue: "over the limit" });
    const traceback = (r.outputs[1] as nbformat.IError).traceback;
    expect(traceback[0]).toBe("QuotaError: over the limit");
    expect(traceback.join("\n")).not.toMatch(/node:vm|node_modules\/tslab/);
  });

  it("stores at most MAX_STREAM_CHARS of a flooding cell, and still its error", async () => {
    const r = await kernel.execute(
      'const chunk = "x".repeat(99_999); for (let i = 0; i < 30; i++) console.log(chunk); throw new Error("after the flood")',
      { timeoutSec: 60 },
    );
    expect(r.status).toBe("error");
    const [out, error] = r.outputs as [nbformat.IStream, nbformat.IError];
    expect(r.outputs).toHaveLength(2);
    expect(out.text.length).toBeLessThanOrEqual(MAX_STREAM_CHARS + 200);
    expect(out.text).toMatch(/^x{99999}\n/);
    expect(out.text).toMatch(
      /\[tsnb: output truncated: this cell wrote more than \d+ characters; the rest was dropped\]\n$/,
    );
    expect(error).toMatchObject({ output_type: "error", ename: "Error", evalue: "after the flood" });
  });

  it("runs a request sent right after an error (tslab answers abort inside its window; it is resent)", async () => {
    const failed = await kernel.execute('throw new Error("first")');
    const next = await kernel.execute('"ran"');
    expect(failed.status).toBe("error");
    expect(next.status).toBe("ok");
    expect(next.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "ran\n" }]);
    expect(next.executionCount).toBe((failed.executionCount ?? 0) + 1);
  });

  it("interrupts a busy cell at the timeout; the kernel then runs the next cell", async () => {
    const r = await kernel.execute('console.log("spinning"); while (true) {}', {
      timeoutSec: 1,
      where: { notebook: "nb.ipynb", cellIndex: 4 },
    });
    expect(r.status).toBe("timeout");
    expect(r.error?.code).toBe("ERR_CELL_TIMEOUT");
    expect(r.error?.message).toBe("nb.ipynb, cell 5: cell timed out after 1 s (interrupted)");
    expect(r.outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
    const next = await kernel.execute("1 + 1");
    expect(next.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2\n" }]);
  });

  it("interrupts a pending top-level await at the timeout", async () => {
    const r = await kernel.execute("await new Promise(() => {})", { timeoutSec: 1 });
    expect(r.status).toBe("timeout");
    expect((await kernel.execute('"alive"')).status).toBe("ok");
  });
});
