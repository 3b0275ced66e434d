import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A real `jupyter server` for one test file, on 127.0.0.1 with a random port and token. */
export interface JupyterServer {
  url: string;
  token: string;
  /** JUPYTER_* variables pointing at the temporary prefix, runtime, data and config folders. */
  env: NodeJS.ProcessEnv;
  /** Kernels the server is running now (its REST API). */
  kernels(): Promise<unknown[]>;
  /** Signal the server process (e.g. SIGKILL, to see what its kernels do when it dies). */
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Start Debian's `jupyter-server` in `root`, with the kernelspec `tsnb kernel install --prefix` writes
 * (found through JUPYTER_PATH) and private runtime/data/config folders under `dir`.
 */
export async function startJupyterServer(dir: string, root: string): Promise<JupyterServer> {
  const prefix = path.join(dir, "prefix");
  // As a learner does it: the CLI, not the function behind it.
  const install = spawnSync(
    process.execPath,
    [path.join(repoRoot, "bin", "tsnb.js"), "kernel", "install", "--prefix", prefix],
    {
      encoding: "utf8",
    },
  );
  if (install.status !== 0)
    throw new Error(
      `tsnb kernel install --prefix ${prefix} failed (exit ${install.status}):\n${install.stdout}${install.stderr}`,
    );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_CONFIG_DIR: path.join(dir, "config"),
  };
  await Promise.all(["runtime", "data", "config"].map((d) => mkdir(path.join(dir, d), { recursive: true })));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    "--allow-root",
    "--ServerApp.open_browser=False",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    `--ServerApp.token=${token}`,
    `--ServerApp.root_dir=${root}`,
  ];
  const child: ChildProcess = spawn("jupyter-server", args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const url = `http://127.0.0.1:${port}/`;
  const api = (p: string) => fetch(`${url}${p}`, { headers: { Authorization: `token ${token}` } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`jupyter-server exited (${child.signalCode ?? child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`jupyter-server did not answer on ${url} within 60 s:\n${log}`);
    try {
      if ((await api("api/status")).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    token,
    env,
    kernels: async () => (await (await api("api/kernels")).json()) as unknown[],
    kill: (signal) => child.kill(signal),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM"); // jupyter-server shuts its kernels down on SIGTERM
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
