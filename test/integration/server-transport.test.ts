import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { mkdir } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../../src/execute/index.ts";
import { type KernelSession, startKernel } from "../../src/kernel/index.ts";
import { readNotebook } from "../../src/notebook/index.ts";
import { need, onPath } from "../support/components.ts";
import { alive, codeCells, streamText, tempDir, until, writeCells } from "./executor-support.ts";
import { type JupyterServer, startJupyterServer } from "./server-support.ts";

const hasServer = need(
  "jupyter-server",
  onPath("jupyter-server"),
  "sudo apt-get install jupyter-server (or: pip install jupyter-server)",
);

describe.skipIf(!hasServer)("server transport (@jupyterlab/services against a real jupyter server)", () => {
  let server: JupyterServer;
  let dir: string;
  let root: string;
  let cleanup: () => Promise<void>;
  const sessions: KernelSession[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("server"));
    root = path.join(dir, "root");
    await mkdir(path.join(root, "lessons"), { recursive: true });
    server = await startJupyterServer(dir, root);
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.shutdown()));
    expect(await server.kernels()).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    await cleanup();
  });

  const connect = async (cwd: string) => {
    const session = await startKernel({ cwd, server: { url: server.url, token: server.token } });
    sessions.push(session);
    return session;
  };

  it("runs cells in the kernelspec `tsnb kernel install --prefix` wrote, in the notebook's folder", async () => {
    const kernel = await connect(path.join(root, "lessons"));
    expect((await kernel.execute("process.execPath")).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: `${process.execPath}\n` },
    ]);
    expect((await kernel.execute("process.cwd()")).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: `${path.join(root, "lessons")}\n` },
    ]);
  });

  it("stores displays, updates them, and turns tslab's error text into an error output", async () => {
    const kernel = await connect(root);
    const shown = await kernel.execute('import * as tslab from "tslab"; const d = tslab.newDisplay(); d.text("0%")');
    await kernel.execute('d.text("100%")');
    expect(shown.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
    const failed = await kernel.execute('throw new TypeError("nope")');
    expect(failed.outputs).toMatchObject([{ output_type: "error", ename: "TypeError", evalue: "nope" }]);
    expect((await kernel.execute('"next"')).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "next\n" },
    ]);
  });

  it("interrupts through the server at the timeout", async () => {
    const kernel = await connect(root);
    const r = await kernel.execute("while (true) {}", { timeoutSec: 1 });
    expect(r.status).toBe("timeout");
    expect((await kernel.execute("7")).outputs).toEqual([{ output_type: "stream", name: "stdout", text: "7\n" }]);
  });

  it("runs notebooks with runNotebooks({ server }) and leaves no kernel running", async () => {
    const input = await writeCells(path.join(root, "lessons"), "srv.ipynb", [
      'console.log("via server")',
      "process.cwd()",
    ]);
    const [run] = await runNotebooks([{ input, output: input }], { server: { url: server.url, token: server.token } });
    expect(run).toMatchObject({ ok: true, executed: 2 });
    const cells = codeCells(await readNotebook(input));
    expect(cells.map((c) => streamText(c))).toEqual(["via server\n", `${path.join(root, "lessons")}\n`]);
  });

  it("names an unknown kernelspec in a clear start error", async () => {
    await expect(
      startKernel({ cwd: root, server: { url: server.url, token: server.token, kernelName: "no-such-kernel" } }),
    ).rejects.toThrow(/cannot start kernel "no-such-kernel" in the Jupyter server at http:\/\/127\.0\.0\.1:\d+\/: /);
  });

  it("gives up on an abort while the server starts the kernel, and shuts the late session down", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      startKernel({ cwd: root, server: { url: server.url, token: server.token }, signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ERR_ABORTED", message: "cancelled while the kernel was starting" });
    // The session the server creates after the abort is shut down as soon as it exists.
    await until(async () => (await server.kernels()).length === 0, 30_000, "the server to have no kernel left");
  });

  it("reports a wrong token as a start error", async () => {
    await expect(startKernel({ cwd: root, server: { url: server.url, token: "wrong" } })).rejects.toMatchObject({
      code: "ERR_KERNEL_START",
      message: expect.stringContaining("403"),
    });
  });
});

describe.skipIf(!hasServer)("a Jupyter server killed under its kernel", () => {
  it("the cell in flight ends as died, and the kernel ends itself (the kernelspec preloads the watchdog)", async () => {
    const { dir, cleanup } = await tempDir("server-killed");
    const server = await startJupyterServer(dir, dir);
    let pid: number | undefined;
    try {
      const kernel = await startKernel({ cwd: dir, server: { url: server.url, token: server.token } });
      pid = Number(streamText({ outputs: (await kernel.execute("process.pid")).outputs } as never).trim());
      expect(alive(pid)).toBe(true);
      const waiting = kernel.execute("await new Promise((r) => setTimeout(r, 120_000))", { timeoutSec: 100 });
      server.kill("SIGKILL");
      // The cell in flight ends as soon as the transport finds the server gone, not at its timeout.
      const r = await waiting;
      expect(r.status).toBe("died");
      expect(r.error?.message).toMatch(/^the kernel died \(the Jupyter server stopped answering: /);
      await until(() => !alive(pid!), 10_000, `kernel ${pid} to end after its server was killed`);
      await kernel.shutdown(); // the server is gone: this must neither hang nor throw
    } finally {
      if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
      await server.stop();
      await cleanup();
    }
  });
});

describe("server transport without a server", () => {
  it("says the server cannot be reached (and tsnb does not crash on @jupyterlab/services' pending polls)", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${port}/`;
    await expect(startKernel({ cwd: process.cwd(), server: { url, token: "t" } })).rejects.toMatchObject({
      code: "ERR_KERNEL_START",
      message: `cannot start kernel "tslab" in the Jupyter server at ${url}: cannot reach it (fetch failed); is a server running at that URL?`,
    });
    // An unhandled rejection from a disposed poll would surface here, failing the run.
    await new Promise((r) => setTimeout(r, 200));
  });
});
