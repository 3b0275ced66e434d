// Grading suite of process-pool. Run by `tsnb grade` only (it needs the sandbox the grader prepares;
// this exercise's sandboxes may start Node child processes, each under the sandbox's rules). Each
// test is named "[points] what is checked". The suite counts the sandbox's child processes itself,
// from outside (Sandbox.processes(), read from /proc), while and after the pool runs.
import { expect, test } from "vitest";
import { Sandbox } from "../../src/grade/suite.ts";

type PoolResult = { ok: true; value: unknown; pid: number } | { ok: false; error: string; pid?: number };
interface Seen {
  results: PoolResult[];
  callerPid: number;
  elapsedMs: number;
  /** The most child processes alive at once while the pool ran (sampled every 10 ms). */
  mostAlive: number;
  /** Child processes still running 1 s after the promise settled (a kill takes a moment to land). */
  left: number[];
}

/** Run the pool in a fresh sandbox, counting its child processes from outside meanwhile. */
async function runPool(
  args: { module: string; inputs: unknown[]; processes: number; timeoutMs?: number },
  callTimeoutMs = 15_000,
): Promise<Seen> {
  const sandbox = await Sandbox.open();
  try {
    let mostAlive = 0;
    let running = true;
    const sampling = (async () => {
      while (running) {
        mostAlive = Math.max(mostAlive, sandbox.processes().length);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const seen = await sandbox
      .call<Omit<Seen, "mostAlive" | "left">>("run", args, { timeoutMs: callTimeoutMs })
      .finally(() => (running = false));
    await sampling;
    let left = sandbox.processes();
    for (let waited = 0; left.length > 0 && waited < 1000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      left = sandbox.processes();
    }
    return { ...seen, mostAlive, left };
  } finally {
    await sandbox.close();
  }
}

const values = (seen: Seen) => seen.results.map((r) => (r.ok ? r.value : r));

test("[2] an async .mjs default export: every result in input order, computed in a child process", async () => {
  const inputs = [10, 11, 12, 13, 14, 15];
  const seen = await runPool({ module: "echo.mjs", inputs, processes: 2 });
  expect(seen.results, "one result per input").toHaveLength(inputs.length);
  expect(
    values(seen).map((v) => (v as { x?: unknown }).x),
    "result i is the value of input i",
  ).toEqual(inputs);
  for (const r of seen.results) {
    expect(r.ok).toBe(true);
    const value = (r as { value: { pid: number } }).value;
    expect(r.pid, "pid: the child that ran the input (the task reports its own process.pid)").toBe(value.pid);
    expect(r.pid, "the input ran in the caller's own process, not in a child").not.toBe(seen.callerPid);
  }
});

test("[1] sync default exports of .cjs and .js modules", async () => {
  const square = await runPool({ module: "square.cjs", inputs: [1, 2, 3], processes: 2 });
  expect(
    values(square).map((v) => (v as { y?: number }).y),
    "square.cjs: x => x * x",
  ).toEqual([1, 4, 9]);
  const double = await runPool({ module: "double.js", inputs: [4, 5], processes: 1 });
  expect(
    values(double).map((v) => (v as { y?: number }).y),
    "double.js: x => 2 * x",
  ).toEqual([8, 10]);
  for (const r of [...square.results, ...double.results]) expect(r.pid).not.toBe(square.callerPid);
});

test("[2] at most `processes` children alive at once, each reused for several inputs", async () => {
  const seen = await runPool({ module: "echo.mjs", inputs: Array.from({ length: 12 }, (_, i) => i), processes: 3 });
  expect(
    seen.results.every((r) => r.ok),
    "every input succeeds",
  ).toBe(true);
  const pids = new Set(seen.results.map((r) => r.pid));
  expect(pids.size, "12 inputs on processes: 3 ran in at most 3 distinct children (reuse them)").toBeLessThanOrEqual(3);
  expect(seen.mostAlive, "child processes alive at the same time, counted from outside").toBeLessThanOrEqual(3);
});

test("[2] `processes` children work at the same time: 3 tasks on processes: 3 all meet", async () => {
  const inputs = ["a", "b", "c"].map((name) => ({ meet: "three", name, want: 3 }));
  const seen = await runPool({ module: "meet.mjs", inputs, processes: 3 });
  expect(
    values(seen).map((v) => (v as { saw?: number }).saw),
    "each task waits (up to 2 s) to see the other two running: start up to `processes` children and keep them all busy",
  ).toEqual([3, 3, 3]);
});

test("[2] a task that throws gives ok: false with its message, and its child goes on with the next inputs", async () => {
  const seen = await runPool({ module: "faulty.cjs", inputs: [1, "throw", 2, 3], processes: 1 });
  const [first, thrown, second, third] = seen.results;
  expect(thrown, "the input that threw").toMatchObject({ ok: false });
  expect((thrown as { error: string }).error, "its error names the message thrown").toContain("bad input: throw");
  expect(
    [first, second, third].map((r) => r?.ok),
    "the other inputs succeed",
  ).toEqual([true, true, true]);
  expect(
    new Set([first, second, third].map((r) => r?.pid)).size,
    "processes: 1 and a throw does not end a process: one child ran them all",
  ).toBe(1);
});

test("[3] a task that ends its process (exit, a crash, a kill) gives ok: false, and a fresh child takes over", async () => {
  const seen = await runPool({ module: "faulty.cjs", inputs: [1, "exit", 2, "crash", 3, "kill", 4], processes: 1 });
  expect(
    seen.results.map((r) => r.ok),
    "results in input order: the three that ended their process fail",
  ).toEqual([true, false, true, false, true, false, true]);
  const okPids = [0, 2, 4, 6].map((i) => seen.results[i]!.pid);
  expect(new Set(okPids).size, "a fresh child after each process that ended: 4 different pids").toBe(4);
  for (const i of [1, 3, 5]) {
    const r = seen.results[i]!;
    if (r.pid !== undefined)
      expect(r.pid, `result ${i}: the pid of the child that died`).toBe(seen.results[i - 1]!.pid);
  }
});

test("[3] a task over timeoutMs gives ok: false naming the timeout; its child is killed and replaced", async () => {
  const seen = await runPool(
    { module: "faulty.cjs", inputs: [1, "hang", 2, "never", 3], processes: 1, timeoutMs: 1500 },
    20_000,
  );
  expect(
    seen.results.map((r) => r.ok),
    "the busy loop and the promise that never settles fail",
  ).toEqual([true, false, true, false, true]);
  for (const i of [1, 3])
    expect((seen.results[i] as { error: string }).error, `result ${i}: the error names the timeout`).toMatch(
      /time(d)?[ -]?out/i,
    );
  const okPids = [0, 2, 4].map((i) => seen.results[i]!.pid);
  expect(new Set(okPids).size, "a fresh child after each timeout: 3 different pids").toBe(3);
  expect(seen.left, "child processes still running after the pool settled (the hung one must be killed)").toEqual([]);
});

test("[2] no child process is left when the promise settles", async () => {
  const seen = await runPool({ module: "echo.mjs", inputs: [1, 2, 3, 4, 5, 6], processes: 3 });
  expect(seen.results.every((r) => r.ok)).toBe(true);
  expect(seen.mostAlive, "the pool's children were seen while it ran").toBeGreaterThan(0);
  expect(seen.left, "child processes still running 1 s after the promise settled").toEqual([]);
});

test("[1] no inputs: an empty array", async () => {
  const seen = await runPool({ module: "echo.mjs", inputs: [], processes: 2 });
  expect(seen.results).toEqual([]);
  expect(seen.left).toEqual([]);
});
