// The grading sandbox on its own: a submission's process may read only its folder and node_modules,
// write only scratch/, connect to 127.0.0.1 only, signal nobody else, start no child process; its
// output is capped; hangs and memory bombs are stopped with the reason. The one exercise that may
// start child processes (process-pool) gets Node children under the same rules, killed with it.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exercises } from "../../src/grade/exercises.ts";
import type { SandboxPermissions } from "../../src/grade/sandbox/limits.ts";
import { probe, Sandbox, SandboxExitError, SandboxTimeoutError } from "../../src/grade/suite.ts";
import { prepareWorkdir, ROOT } from "../../src/grade/workdir.ts";

const PROBES = path.join(ROOT, "test/fixtures/grade/sandbox-probes.ts");
const open: Array<{ sandbox?: Sandbox; dispose(): Promise<void> }> = [];

async function sandboxFor(
  code: string,
  limits: { heapMb?: number; rssMb?: number; outputBytes?: number } = {},
  permissions: SandboxPermissions = {},
) {
  const work = await prepareWorkdir(code, PROBES);
  const entry: { sandbox?: Sandbox; dispose(): Promise<void>; dir: string } = { dispose: work.dispose, dir: work.dir };
  open.push(entry);
  entry.sandbox = await Sandbox.open({ workdir: work.dir, limits, permissions });
  return { sandbox: entry.sandbox, dir: work.dir };
}

afterEach(async () => {
  for (const e of open.splice(0)) {
    await e.sandbox?.close();
    await e.dispose();
  }
});

describe("the sandbox refuses", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reading the grading suites, the reference solutions and the repository", async () => {
    const { sandbox } = await sandboxFor("const x = 1;");
    for (const file of [
      "exercises/safe-counter/suite.grade.ts",
      "exercises/safe-counter/solution.ts",
      "package.json",
      "src/grade/grade.ts",
    ]) {
      expect(await sandbox.call("readFile", { file: path.join(ROOT, file) }), file).toBe("ERR_ACCESS_DENIED");
    }
  });

  it("writing anywhere but scratch/ (its own code and the probes stay as prepared)", async () => {
    const { sandbox } = await sandboxFor("const x = 1;");
    expect(await sandbox.call("writeFile", { file: "probes.js" })).toBe("ERR_ACCESS_DENIED");
    expect(await sandbox.call("writeFile", { file: "submission.js" })).toBe("ERR_ACCESS_DENIED");
    expect(await sandbox.call("writeFile", { file: "/tmp/tsnb-escaped" })).toBe("ERR_ACCESS_DENIED");
    expect(await sandbox.call("writeFile", { file: "scratch/notes.txt" })).toBe("allowed");
  });

  it("signalling its parent and starting child processes", async () => {
    const { sandbox } = await sandboxFor("const x = 1;");
    expect(await sandbox.call("signalParent")).toBe("ERR_SANDBOX_SIGNAL");
    expect(await sandbox.call("spawnChild")).toBe("ERR_ACCESS_DENIED");
  });

  it("connections beyond 127.0.0.1, with net and with fetch, but allows the loopback", async () => {
    const { sandbox } = await sandboxFor("const x = 1;");
    expect(await sandbox.call("connect", { host: "10.255.255.1", port: 80 })).toBe("ERR_SANDBOX_NETWORK");
    expect(await sandbox.call("connect", { host: "example.com", port: 80 })).toBe("ERR_SANDBOX_NETWORK");
    expect(await sandbox.call("fetchUrl", { url: "http://example.com/" })).toBe("ERR_SANDBOX_NETWORK");
    expect(await sandbox.call("connect", { host: "127.0.0.1", port })).toBe("connected");
    expect(await sandbox.call("connect", { host: "localhost", port })).toBe("connected");
  });
});

describe("the sandbox stops", () => {
  it("an endless loop at load, with a timeout naming it", async () => {
    const work = await prepareWorkdir("for (;;) {}", PROBES);
    open.push(work);
    await expect(Sandbox.open({ workdir: work.dir, loadTimeoutMs: 1500 })).rejects.toBeInstanceOf(SandboxTimeoutError);
  });

  it("a call that never answers (a busy loop, a promise never settled), as a timeout", async () => {
    const { sandbox } = await sandboxFor("function spin() { for (;;) {} }");
    await expect(sandbox.call("callFn", { name: "spin" }, { timeoutMs: 800 })).rejects.toBeInstanceOf(
      SandboxTimeoutError,
    );
    await expect(sandbox.call("callFn", { name: "spin" })).rejects.toThrow(/was stopped after 0.8 s/);
    const { sandbox: waiting } = await sandboxFor("function never() { return new Promise(() => {}); }");
    await expect(waiting.call("callFn", { name: "never" }, { timeoutMs: 800 })).rejects.toThrow(
      /no answer within 0.8 s/,
    );
  });

  it("a heap bomb, as out of memory", async () => {
    const bombed = await sandboxFor("const hoard: number[][] = []; for (;;) hoard.push(new Array(1e6).fill(1));", {
      heapMb: 64,
    }).catch((e: Error) => e);
    expect(bombed).toBeInstanceOf(SandboxExitError);
    expect(String((bombed as Error).message)).toMatch(/out of memory/);
  });

  it("memory outside the heap (Buffers), with the memory watch", async () => {
    const bombed = await sandboxFor(
      "const hoard: Buffer[] = []; for (let i = 0; i < 100; i++) { hoard.push(Buffer.alloc(32 * 2 ** 20, 1)); const t = Date.now(); while (Date.now() - t < 20) {} }",
      { rssMb: 300 },
    ).catch((e: Error) => e);
    expect(bombed).toBeInstanceOf(SandboxExitError);
    expect(String((bombed as Error).message)).toMatch(/more than 300 MB/);
  });

  it("keeping more output than the cap, and says how much it dropped", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", { outputBytes: 1000 });
    await sandbox.call("print", { bytes: 50_000 });
    await new Promise((r) => setTimeout(r, 200));
    const out = sandbox.output();
    expect(out.length).toBeLessThan(1200);
    expect(out).toMatch(/49000 more bytes of output dropped/);
  });

  it("nothing when the submission behaves: values come back", async () => {
    const { sandbox } = await sandboxFor("const answer = 6 * 7;");
    expect(await sandbox.call("value", { name: "answer" })).toBe(42);
  });
});

describe("the sandbox a submission's tests share (probe(..., { shared: true }))", () => {
  const alive = (pid: number | undefined) => {
    try {
      process.kill(pid!, 0);
      return true;
    } catch {
      return false;
    }
  };

  it("is one process for tests in a row, replaced when it died or an abandoned call holds it, ended by closeAll", async () => {
    const code = [
      "let calls = 0;",
      "function count() { return ++calls; }",
      "function never() { return new Promise(() => {}); }",
      "function bye() { process.exit(3); }",
    ].join("\n");
    const work = await prepareWorkdir(code, PROBES);
    open.push(work);
    const before = process.env["TSNB_GRADE_WORKDIR"];
    process.env["TSNB_GRADE_WORKDIR"] = work.dir; // what Sandbox.open() reads in a suite runner
    try {
      const first = await Sandbox.shared();
      expect(await probe("callFn", { name: "count" }, { shared: true })).toBe(1);
      expect(await probe("callFn", { name: "count" }, { shared: true }), "the same process: its state stays").toBe(2);
      expect(await Sandbox.shared()).toBe(first);
      // Two tests asking at once get one process.
      const [a, b] = await Promise.all([Sandbox.shared(), Sandbox.shared()]);
      expect(a).toBe(first);
      expect(b).toBe(first);

      // A test cut short left a call running: the next test gets a new process, the old one is killed.
      const abandoned = first.call("callFn", { name: "never" }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
      const second = await Sandbox.shared();
      expect(second).not.toBe(first);
      expect(await abandoned).toBeInstanceOf(SandboxExitError);
      expect(alive(first.pid)).toBe(false);
      expect(await probe("callFn", { name: "count" }, { shared: true }), "a fresh process").toBe(1);

      // The process exited: the next test gets a new one.
      await expect(probe("callFn", { name: "bye" }, { shared: true })).rejects.toThrow(/exited with code 3/);
      const third = await Sandbox.shared();
      expect(third).not.toBe(second);
      expect(await probe("callFn", { name: "count" }, { shared: true })).toBe(1);

      await Sandbox.closeAll();
      expect(alive(third.pid)).toBe(false);
      const fourth = await Sandbox.shared();
      expect(fourth).not.toBe(third);
    } finally {
      await Sandbox.closeAll();
      if (before === undefined) delete process.env["TSNB_GRADE_WORKDIR"];
      else process.env["TSNB_GRADE_WORKDIR"] = before;
    }
  });
});

describe("child processes", () => {
  const CHILDREN = { childProcesses: true };
  /** Whether process `pid` still runs (a zombie, dead but not reaped, counts as gone). */
  const running = (pid: number) =>
    existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

  it("are refused to every exercise but the one that declares them (process-pool), through its declaration", async () => {
    const all = exercises();
    expect(all.filter((e) => e.sandbox?.childProcesses).map((e) => e.id)).toEqual(["process-pool"]);
    for (const e of all) {
      const { sandbox } = await sandboxFor("const x = 1;", {}, e.sandbox);
      expect(await sandbox.call("forkNode"), e.id).toBe(e.id === "process-pool" ? "started" : "ERR_ACCESS_DENIED");
    }
  });

  it("run under the sandbox's rules: no reads outside, no network beyond 127.0.0.1, no signals to others, no NODE_OPTIONS", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", {}, CHILDREN);
    const code = `
      const out = {};
      try { require("node:fs").readFileSync(${JSON.stringify(path.join(ROOT, "exercises/process-pool/solution.ts"))}); out.read = "allowed"; } catch (e) { out.read = e.code; }
      try { require("node:fs").writeFileSync(${JSON.stringify(path.join(ROOT, "escaped.txt"))}, "x"); out.write = "allowed"; } catch (e) { out.write = e.code; }
      try { process.kill(process.ppid, 0); out.signal = "allowed"; } catch (e) { out.signal = e.code; }
      try { require("node:child_process").exec("ls"); out.shell = "allowed"; } catch (e) { out.shell = e.code; }
      out.nodeOptions = process.env.NODE_OPTIONS ?? null;
      const s = require("node:net").connect(80, "example.com");
      s.on("error", (e) => { out.net = e.code; process.send(out); });
      s.on("connect", () => { out.net = "connected"; process.send(out); });`;
    // fork's default execArgv (the sandbox's own flags), none, and a harmless extra all end the same way.
    for (const execArgv of [undefined, [], ["--no-warnings"]]) {
      expect(
        await sandbox.call("forkNode", { code, execArgv, env: { NODE_OPTIONS: "--max-old-space-size=4096" } }),
        JSON.stringify(execArgv),
      ).toEqual({
        read: "ERR_ACCESS_DENIED",
        write: "ERR_ACCESS_DENIED",
        signal: "ERR_SANDBOX_SIGNAL",
        shell: "ERR_SANDBOX_CHILD",
        nodeOptions: null,
        net: "ERR_SANDBOX_NETWORK",
      });
    }
  });

  it("are Node only, with no option that loosens the rules, not detached, not synchronous", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", {}, CHILDREN);
    expect(await sandbox.call("spawnProgram", { file: "/bin/sh", args: ["-c", "true"] })).toBe("ERR_SANDBOX_CHILD");
    expect(await sandbox.call("spawnProgram", { file: "true", sync: true })).toBe("ERR_SANDBOX_CHILD");
    expect(await sandbox.call("spawnProgram", { file: process.execPath, args: ["-e", "1"], sync: true })).toBe(
      "ERR_SANDBOX_CHILD",
    );
    expect(await sandbox.call("spawnProgram", { file: process.execPath, args: ["-e", "1"] })).toBe("allowed");
    for (const execArgv of [
      ["--allow-fs-read=/"],
      ["--no-experimental-permission"],
      ["--max-old-space-size=8000"],
      ["--inspect"],
    ])
      expect(await sandbox.call("forkNode", { execArgv }), JSON.stringify(execArgv)).toBe("ERR_SANDBOX_CHILD");
    expect(await sandbox.call("forkNode", { detached: true })).toBe("ERR_SANDBOX_CHILD");
    expect(await sandbox.call("signalParent")).toBe("ERR_SANDBOX_SIGNAL");
  });

  it("cannot be started from a worker thread that dropped the sandbox's flags (execArgv: [])", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", {}, CHILDREN);
    expect(await sandbox.call("fromBareWorker")).toEqual({ shell: "ERR_SANDBOX_CHILD", net: "ERR_SANDBOX_NETWORK" });
    const { sandbox: plain } = await sandboxFor("const x = 1;");
    expect(await plain.call("fromBareWorker")).toEqual({ shell: "ERR_ACCESS_DENIED", net: "ERR_SANDBOX_NETWORK" });
  });

  it("die with the sandbox, grandchildren too: when it is closed, and when it exits by itself", async () => {
    const busy = "setInterval(() => {}, 1000); for (let t = Date.now(); Date.now() - t < 50; );";
    const { sandbox } = await sandboxFor("const x = 1;", {}, CHILDREN);
    const pids = await sandbox.call<number[]>("startFamily", { count: 2, code: busy });
    expect(pids).toHaveLength(4);
    expect(sandbox.processes().sort()).toEqual([...pids].sort());
    await sandbox.close();
    expect(pids.filter(running), "still running after close()").toEqual([]);

    const { sandbox: leaving } = await sandboxFor("const x = 1;", {}, CHILDREN);
    const orphans = await leaving.call<number[]>("startFamily", { count: 1, code: busy });
    await new Promise((r) => setTimeout(r, 300)); // the memory watch has seen them
    expect(await leaving.call("exitSoon")).toBe("exiting");
    await new Promise((r) => setTimeout(r, 500));
    await expect(
      leaving.call("value", { name: "x" }, { timeoutMs: 3000 }).catch((e: Error) => e),
    ).resolves.toBeInstanceOf(SandboxExitError);
    for (let waited = 0; orphans.some(running) && waited < 2000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(orphans.filter(running), "still running after the sandbox exited").toEqual([]);
  });

  it("a fork bomb: stopped by the memory limit, every process of the tree killed", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", { rssMb: 300 }, CHILDREN);
    // Each process starts two more (depth capped at 7, 255 processes, so that a broken watch cannot
    // take the machine down with it); the tree passes 300 MB within a few generations.
    const bomb = `
      const { fork } = require("node:child_process");
      const depth = Number(process.argv[2] ?? 0);
      if (depth < 7) for (let k = 0; k < 2; k++) fork(__filename, [String(depth + 1)]);
      setInterval(() => {}, 1000);`;
    const seen = new Set<number>();
    const call = sandbox.call("forkNode", { code: bomb }, { timeoutMs: 20_000 }).catch((e: Error) => e);
    for (let i = 0; i < 100 && !(await Promise.race([call, new Promise((r) => setTimeout(() => r(false), 20))])); i++)
      for (const pid of sandbox.processes()) seen.add(pid);
    const outcome = await call;
    expect(outcome).toBeInstanceOf(SandboxExitError);
    expect(String((outcome as Error).message)).toMatch(/more than 300 MB of memory \(with its child processes\)/);
    await sandbox.close();
    expect(seen.size, "the bomb's processes were seen").toBeGreaterThan(2);
    expect([...seen].filter(running), "still running after the sandbox was stopped").toEqual([]);
  });

  it("count in the sandbox's memory limit", async () => {
    const { sandbox } = await sandboxFor("const x = 1;", { rssMb: 300 }, CHILDREN);
    const hoard =
      "const hoard = []; for (let i = 0; i < 12; i++) { hoard.push(Buffer.alloc(32 * 2 ** 20, 1)); for (let t = Date.now(); Date.now() - t < 20; ); } setInterval(() => {}, 1000);";
    const pids = await sandbox.call<number[]>("startFamily", { count: 1, code: hoard }).catch((e: Error) => e);
    // Two processes of 384 MB each: killed as they grow, or right after.
    const outcome = pids instanceof Error ? pids : await sandbox.call("value", { name: "x" }).catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(SandboxExitError);
    expect(String((outcome as Error).message)).toMatch(/more than 300 MB of memory \(with its child processes\)/);
  });
});
