import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** What one input gave: its value and the child that computed it, or why it failed. */
type PoolResult = { ok: true; value: unknown; pid: number } | { ok: false; error: string; pid?: number };

/**
 * Run the default export of the module at `modulePath` (a .mjs, .cjs or .js file; a sync or async
 * function) on each input, in child processes: at most `options.processes` at once, each reused for
 * several inputs. Results come in input order. A throw fails that input only; a task that ends its
 * process, or runs over `options.timeoutMs`, fails and its child is replaced. No child outlives the call.
 */
async function runInProcesses(
  modulePath: string,
  inputs: unknown[],
  options: { processes: number; timeoutMs?: number },
): Promise<PoolResult[]> {
  // BEGIN SOLUTION
  const { processes, timeoutMs } = options;
  if (!Number.isInteger(processes) || processes < 1)
    throw new RangeError(`processes must be an integer >= 1, got ${processes}`);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  const results: PoolResult[] = new Array(inputs.length);
  if (inputs.length === 0) return results;

  // The child's program: load the module once, then answer each input it is sent.
  const dir = mkdtempSync(path.join(os.tmpdir(), "pool-"));
  const script = path.join(dir, "child.cjs");
  writeFileSync(
    script,
    `const { pathToFileURL } = require("node:url");
let loaded;
process.on("message", async (input) => {
  try {
    loaded ??= import(pathToFileURL(${JSON.stringify(path.resolve(modulePath))}).href).then((m) =>
      typeof m.default === "function" ? m.default : m.default.default,
    );
    const value = await (await loaded)(input);
    process.send({ ok: true, value });
  } catch (error) {
    process.send({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});`,
  );

  const start = () => fork(script, [], { execArgv: [], serialization: "advanced" });
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once("exit", () => resolve()));

  /** Run one input on `child`: its result, and whether the child is gone (crashed, exited, killed). */
  const runOne = (child: ChildProcess, input: unknown) =>
    new Promise<{ result: PoolResult; gone: boolean }>((resolve) => {
      const pid = child.pid!;
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: PoolResult, gone: boolean) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve({ result, gone });
      };
      const onMessage = (m: { ok: boolean; value?: unknown; error?: string }) =>
        finish(m.ok ? { ok: true, value: m.value, pid } : { ok: false, error: String(m.error), pid }, false);
      const onExit = (code: number | null, signal: string | null) =>
        finish(
          { ok: false, error: `the child process ended (${signal ?? `exit code ${code}`}) before answering`, pid },
          true,
        );
      child.on("message", onMessage);
      child.on("exit", onExit);
      if (timeoutMs !== undefined)
        timer = setTimeout(() => {
          // A task that never returns (a busy loop) cannot be interrupted inside its process: kill
          // the process, wait until it is gone, and let the caller start a fresh one.
          child.off("exit", onExit);
          child.kill("SIGKILL");
          void exited(child).then(() => finish({ ok: false, error: `timed out after ${timeoutMs} ms`, pid }, true));
        }, timeoutMs);
      child.send(input as object);
    });

  // Each lane owns one child at a time and takes the next input until none is left. `next++` is
  // safe: the lanes share one event loop, so no two read and bump it at the same moment.
  let next = 0;
  const lane = async () => {
    let child: ChildProcess | undefined;
    try {
      while (next < inputs.length) {
        const index = next++;
        if (child && !child.connected) {
          // It died between two inputs (its task scheduled a crash after answering): replace it too.
          child.kill("SIGKILL");
          await exited(child);
          child = undefined;
        }
        child ??= start();
        const { result, gone } = await runOne(child, inputs[index]);
        results[index] = result;
        if (gone) child = undefined;
      }
    } finally {
      if (child) {
        child.kill();
        await exited(child);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(processes, inputs.length) }, lane));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
  // END SOLUTION
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
