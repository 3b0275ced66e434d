import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProgressEvent, runNotebooks } from "../../src/execute/index.ts";
import { startKernel } from "../../src/kernel/index.ts";
import { readNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { alive, codeCells, processesWith, streamText, tempDir, until, writeCells } from "./executor-support.ts";

const root = path.resolve(import.meta.dirname, "../..");
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir("run")));
afterAll(() => cleanup());

describe("runNotebooks (embedded, real tslab)", () => {
  it("executes every cell, writes outputs and execution counts, and reports progress", async () => {
    const input = await writeCells(dir, "plain.ipynb", ['console.log("one")', "", "const x = 2;\nx * 21"]);
    const output = path.join(dir, "out", "plain.ipynb");
    const events: ProgressEvent[] = [];
    const [run] = await runNotebooks([{ input, output }], { onProgress: (e) => events.push(e) });
    expect(run).toMatchObject({ input, output, ok: true, cells: 2, executed: 2 });
    const cells = codeCells(await readNotebook(output));
    expect(cells.map((c) => c.execution_count)).toEqual([1, null, 2]);
    expect(cells.map((c) => streamText(c))).toEqual(["one\n", "", "42\n"]);
    expect(events.filter((e) => e.type === "cell-end").map((e) => (e as { cellIndex: number }).cellIndex)).toEqual([
      0, 2,
    ]);
    expect(events.at(-1)).toMatchObject({ type: "notebook-end" });
  });

  it("stops at a failing cell, names notebook and cell, and keeps the partial notebook", async () => {
    const input = await writeCells(dir, "fails.ipynb", [
      'console.log("kept")',
      'throw new RangeError("bad range")',
      'console.log("never")',
    ]);
    const [run] = await runNotebooks([{ input, output: input }]);
    expect(run).toMatchObject({ ok: false, executed: 2, failedCell: 1 });
    expect(run!.error?.message).toBe(`${input}, cell 2: RangeError: bad range`);
    const cells = codeCells(await readNotebook(input));
    expect(streamText(cells[0]!)).toBe("kept\n");
    expect(cells[1]!.outputs[0]).toMatchObject({ output_type: "error", ename: "RangeError", evalue: "bad range" });
    expect(cells[2]!.outputs).toEqual([]);
    expect(cells[2]!.execution_count).toBeNull();
  });

  it("with allowErrors runs past two consecutive failures and a fast cell right after them", async () => {
    const input = await writeCells(dir, "errors.ipynb", [
      'throw new Error("one")',
      "const s: string = 1;",
      '"fast"',
      '"last"',
    ]);
    const [run] = await runNotebooks([{ input, output: input }], { allowErrors: true });
    expect(run).toMatchObject({ ok: true, executed: 4 });
    const cells = codeCells(await readNotebook(input));
    expect(cells[0]!.outputs[0]).toMatchObject({ output_type: "error", ename: "Error", evalue: "one" });
    expect(cells[1]!.outputs[0]).toMatchObject({ output_type: "error", ename: "TSError" });
    expect(streamText(cells[2]!)).toBe("fast\n");
    expect(streamText(cells[3]!)).toBe("last\n");
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
  });

  it("fails a cell past the timeout with CellTimeoutError naming notebook and cell", async () => {
    const input = await writeCells(dir, "hang.ipynb", ['console.log("start")', "while (true) {}", '"after"']);
    const [run] = await runNotebooks([{ input, output: input }], { timeoutSec: 1 });
    expect(run).toMatchObject({ ok: false, failedCell: 1 });
    expect(run!.error).toMatchObject({ code: "ERR_CELL_TIMEOUT", notebook: input, cellIndex: 1 });
    expect(run!.error?.message).toBe(`${input}, cell 2: cell timed out after 1 s (interrupted)`);
    const cells = codeCells(await readNotebook(input));
    expect(cells[1]!.outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
  });

  it("kills a kernel deaf to the interrupt (blocked in a synchronous child process) and its child, and says so", async () => {
    const pidFile = path.join(dir, "deaf.pid");
    const block = `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); require("node:child_process").execFileSync(process.execPath, ["-e", "setTimeout(() => {}, 60000) // deaf-child"])`;
    const input = await writeCells(dir, "deaf.ipynb", [block, '"never"']);
    const [run] = await runNotebooks([{ input, output: input }], { timeoutSec: 1 });
    expect(run).toMatchObject({ ok: false, failedCell: 0, executed: 1 });
    expect(run!.error?.message).toBe(
      `${input}, cell 1: cell timed out after 1 s (the kernel did not respond to the interrupt and was killed)`,
    );
    expect(alive(Number(await readFile(pidFile, "utf8")))).toBe(false);
    if (process.platform === "linux") expect(await processesWith("// deaf-child")).toEqual([]);
    const cells = codeCells(await readNotebook(input));
    expect(cells[0]!.outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
    expect(cells[1]!.outputs).toEqual([]);
  });

  it("reports a kernel SIGKILLed mid-run as KernelDiedError and keeps the cells that ran", async () => {
    const input = await writeCells(dir, "dies.ipynb", [
      'console.log("before")',
      'console.log("dying"); process.kill(process.pid, "SIGKILL")',
      '"never"',
    ]);
    const [run] = await runNotebooks([{ input, output: input }]);
    expect(run).toMatchObject({ ok: false, failedCell: 1 });
    expect(run!.error).toMatchObject({ code: "ERR_KERNEL_DIED", cellIndex: 1 });
    expect(run!.error?.message).toBe(`${input}, cell 2: the kernel died (killed by SIGKILL)`);
    const cells = codeCells(await readNotebook(input));
    expect(streamText(cells[0]!)).toBe("before\n");
    expect(cells[1]!.outputs.at(-1)).toMatchObject({ output_type: "error", ename: "KernelDiedError" });
  });

  it("reports a bad notebook without running anything, and still runs the others", async () => {
    const bad = path.join(dir, "bad.ipynb");
    await writeFile(bad, '{"cells": [], "nbformat": 4,');
    const good = await writeCells(dir, "good.ipynb", ["1"]);
    const runs = await runNotebooks([
      { input: bad, output: bad },
      { input: good, output: good },
    ]);
    expect(runs[0]).toMatchObject({ ok: false, executed: 0 });
    expect(runs[0]!.error).toMatchObject({ code: "ERR_NOTEBOOK_INVALID" });
    expect(runs[0]!.error?.message).toContain(bad);
    expect(runs[1]).toMatchObject({ ok: true });
  });

  it("runs notebooks in parallel with jobs: 2 (their cells overlap), results in input order", async () => {
    // Each notebook records when its long cell ran; with 2 kernels at once, intervals must overlap.
    const cell =
      "const t0 = Date.now(); await new Promise((r) => setTimeout(r, 1500)); console.log(JSON.stringify([t0, Date.now()]))";
    const inputs = await Promise.all([0, 1, 2].map((i) => writeCells(dir, `par${i}.ipynb`, [cell])));
    const runs = await runNotebooks(
      inputs.map((input) => ({ input, output: input })),
      { jobs: 2 },
    );
    expect(runs.map((r) => [r.input, r.ok])).toEqual(inputs.map((i) => [i, true]));
    const spans = await Promise.all(
      inputs.map(async (i) => JSON.parse(streamText(codeCells(await readNotebook(i))[0]!)) as [number, number]),
    );
    let overlaps = 0;
    for (let a = 0; a < spans.length; a++)
      for (let b = a + 1; b < spans.length; b++)
        if (spans[a]![0] < spans[b]![1] && spans[b]![0] < spans[a]![1]) overlaps++;
    expect(overlaps).toBeGreaterThanOrEqual(1);
  });

  it("rejects invalid options before starting anything", async () => {
    await expect(runNotebooks([], { jobs: 0 })).rejects.toThrow(
      "Expected `jobs` to be an integer from 1 up, got `0` (number)",
    );
    await expect(runNotebooks([], { timeoutSec: -1 })).rejects.toThrow(
      "Expected `timeoutSec` to be a number of seconds above 0, got `-1` (number)",
    );
  });
});

describe("tsnb run (the CLI, only node on PATH)", () => {
  // PATH holds a folder with `node` and nothing else: no python3, no jupyter (the folder of
  // process.execPath would not do: /usr/bin holds both).
  const env = { ...process.env, PATH: "" };
  beforeAll(async () => {
    const bin = path.join(dir, "only-node");
    await mkdir(bin);
    await symlink(process.execPath, path.join(bin, "node"));
    env.PATH = bin;
  });
  const cli = (args: string[], cwd: string) =>
    spawn(process.execPath, [path.join(root, "bin", "tsnb.js"), "run", ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  const collect = (child: ReturnType<typeof cli>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stderr }));
    });

  it("writes build/executed/<name>.ipynb by default and exits 0", async () => {
    await writeCells(dir, "cli.ipynb", [
      'console.log("from cli")',
      'require("node:child_process").spawnSync("python3", ["--version"]).error?.code',
    ]);
    const { code, stderr } = await collect(cli(["cli.ipynb"], dir));
    // Not a terminal: one quiet line for the notebook, none per cell.
    expect(stderr).toMatch(/^ok {3}cli\.ipynb -> build\/executed\/cli\.ipynb {2}2\/2 cells {2}\d+\.\d s\n$/);
    expect(code).toBe(0);
    const cells = codeCells(await readNotebook(path.join(dir, "build", "executed", "cli.ipynb")));
    expect(cells.map((c) => streamText(c))).toEqual(["from cli\n", "ENOENT\n"]);
  });

  it("exits 1 when a notebook fails, and 2 on bad usage", async () => {
    await writeCells(dir, "cli-fail.ipynb", ["throw new Error('cli failure')"]);
    const failed = await collect(cli(["cli-fail.ipynb", "--inplace"], dir));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("cell 1: Error: cli failure");
    const usage = await collect(cli(["cli-fail.ipynb", "--jobs", "0"], dir));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--jobs expects an integer from 1 up, got `0`");
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "on %s shuts the kernel down (no orphan process), keeps the partial notebook, exits %i",
    async (signal, status) => {
      const pidFile = path.join(dir, `kernel-${signal}.pid`);
      const input = await writeCells(dir, `${signal}.ipynb`, [
        'console.log("ran")',
        `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); await new Promise(() => {})`,
      ]);
      const child = cli([input, "--inplace"], dir);
      const done = collect(child);
      await until(() => existsSync(pidFile), 30_000, "the kernel to write its pid");
      const pid = Number(await readFile(pidFile, "utf8"));
      expect(alive(pid)).toBe(true);
      child.kill(signal);
      const { code, stderr } = await done;
      expect(code).toBe(status);
      expect(stderr).toContain(`tsnb run: ${signal}, shutting the kernels down...`);
      await until(() => !alive(pid), 5000, `kernel ${pid} to exit`);
      const cells = codeCells(await readNotebook(input));
      expect(streamText(cells[0]!)).toBe("ran\n");
    },
  );

  it("when tsnb itself is SIGKILLed, the orphaned kernel ends itself and the children a cell forked", async () => {
    const pidFile = path.join(dir, "orphan.pid");
    const input = await writeCells(dir, "orphan.ipynb", [
      [
        'const { spawn } = require("node:child_process");',
        'const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
        `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, grandchild.pid]));`,
        "await new Promise(() => {});",
      ].join("\n"),
    ]);
    const child = cli([input, "--inplace"], dir);
    const done = collect(child);
    await until(() => existsSync(pidFile), 30_000, "the kernel to write its pid");
    const [kernel, grandchild] = JSON.parse(await readFile(pidFile, "utf8")) as [number, number];
    expect([alive(kernel), alive(grandchild)]).toEqual([true, true]);
    child.kill("SIGKILL");
    await done;
    try {
      // The watchdog polls once a second; allow for a loaded machine.
      await until(
        () => !alive(kernel) && !alive(grandchild),
        10_000,
        `kernel ${kernel} and its child ${grandchild} to exit`,
      );
    } finally {
      for (const pid of [-kernel, grandchild]) if (alive(Math.abs(pid))) process.kill(pid, "SIGKILL");
    }
  });
});

describe("kernel start failures (each ends with a KernelStartError and no process left)", () => {
  /** Processes whose working directory is `folder` (Linux /proc): a kernel started there and not cleaned up. */
  const processesIn = async (folder: string): Promise<number[]> => {
    const pids: number[] = [];
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
      if (cwd === folder) pids.push(Number(entry));
    }
    return pids;
  };

  it("names the folder when the notebook's folder does not exist", async () => {
    const missing = path.join(dir, "no-such-folder");
    await expect(startKernel({ cwd: missing })).rejects.toMatchObject({
      code: "ERR_KERNEL_START",
      message: `cannot start the tslab kernel in ${missing}: no such folder`,
    });
  });

  it("passes on the kernel's own stderr when it exits while starting", async () => {
    const env = { ...process.env, NODE_OPTIONS: "--require /no/such/preload.cjs" };
    const error = await startKernel({ cwd: dir, env }).then(
      async (k) => {
        await k.shutdown();
        throw new Error("the kernel started despite a missing preload");
      },
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: "ERR_KERNEL_START" });
    expect(error.message).toMatch(/^the tslab kernel exited while starting \(exit code 1\):\n/);
    expect(error.message).toContain("Cannot find module '/no/such/preload.cjs'");
  });

  it.runIf(process.platform === "linux")(
    "gives up after the start timeout and kills the kernel it started",
    async () => {
      const folder = await mkdtemp(path.join(dir, "slow-"));
      await expect(startKernel({ cwd: folder, startTimeoutSec: 0.2 })).rejects.toMatchObject({
        code: "ERR_KERNEL_START",
        message:
          "the tslab kernel did not answer kernel_info within 0.2 s (on a busy machine, allow more: --start-timeout S)",
      });
      expect(await processesIn(folder)).toEqual([]);
    },
  );

  it.runIf(process.platform === "linux")(
    "an abort during the kernel start ends it at once, kills the kernel, and leaves the notebook untouched",
    async () => {
      const folder = await mkdtemp(path.join(dir, "abort-"));
      const input = await writeCells(folder, "abort.ipynb", ["1"]);
      const before = await readFile(input, "utf8");
      const controller = new AbortController();
      // The kernel is spawned at once; tslab takes a second or more to answer, so 300 ms in, it is starting.
      setTimeout(() => controller.abort(), 300);
      const [run] = await runNotebooks([{ input, output: input }], { signal: controller.signal });
      expect(run).toMatchObject({ ok: false, executed: 0 });
      expect(run!.error).toMatchObject({ code: "ERR_ABORTED", message: "cancelled while the kernel was starting" });
      expect(await processesIn(folder)).toEqual([]);
      expect(await readFile(input, "utf8")).toBe(before);
    },
  );

  it("tsnb run --start-timeout: the notebook fails with the reason, exit status 1, and keeps its outputs", async () => {
    const input = await writeCells(dir, "slow-start.ipynb", ["1"]);
    // Outputs from an earlier run: nothing ran this time, so nothing may be cleared.
    const earlier = await readNotebook(input);
    codeCells(earlier)[0]!.outputs = [{ output_type: "stream", name: "stdout", text: "1\n" }];
    codeCells(earlier)[0]!.execution_count = 1;
    await writeNotebook(input, earlier);
    const before = await readFile(input, "utf8");
    const child = spawn(
      process.execPath,
      [path.join(root, "bin", "tsnb.js"), "run", input, "--inplace", "--start-timeout", "0.2"],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^FAIL slow-start\.ipynb {2}0\/1 cells .*\n {5}the tslab kernel did not answer kernel_info within 0\.2 s/m,
    );
    expect(await readFile(input, "utf8")).toBe(before);
  });
});
