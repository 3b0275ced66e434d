// The grading sandbox on its own: a submission's process may read only its folder and node_modules,
// write only scratch/, connect to 127.0.0.1 only, signal nobody else, start no child process; its
// output is capped; hangs and memory bombs are stopped with the reason.
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Sandbox, SandboxExitError, SandboxTimeoutError } from "../../src/grade/suite.ts";
import { prepareWorkdir, ROOT } from "../../src/grade/workdir.ts";

const PROBES = path.join(ROOT, "test/fixtures/grade/sandbox-probes.ts");
const open: Array<{ sandbox?: Sandbox; dispose(): Promise<void> }> = [];

async function sandboxFor(code: string, limits: { heapMb?: number; rssMb?: number; outputBytes?: number } = {}) {
  const work = await prepareWorkdir(code, PROBES);
  const entry: { sandbox?: Sandbox; dispose(): Promise<void>; dir: string } = { dispose: work.dispose, dir: work.dir };
  open.push(entry);
  entry.sandbox = await Sandbox.open({ workdir: work.dir, limits });
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
