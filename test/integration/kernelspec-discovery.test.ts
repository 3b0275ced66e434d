import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jupyterDataPath } from "../../src/kernel/jupyter-paths.ts";
import { need, onPath } from "../support/components.ts";

// Kernelspec discovery against the real `jupyter` (jupyter_core) and the real `tsnb doctor`.
const hasJupyter = need("jupyter (jupyter_core)", onPath("jupyter"), "sudo apt-get install jupyter-core (it comes with jupyter-server)");
const cli = path.resolve(import.meta.dirname, "../../bin/tsnb.js");

let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-kernelspecs-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("kernelspecs where JupyterLab finds them", () => {
  it.skipIf(!hasJupyter)("agrees with `jupyter --paths --json` on this machine", async () => {
    const env = { PATH: process.env["PATH"], HOME: path.join(dir, "home"), JUPYTER_PATH: `${path.join(dir, "p1")}${path.delimiter}${path.join(dir, "p2")}`, JUPYTER_DATA_DIR: path.join(dir, "data") };
    const r = spawnSync("jupyter", ["--paths", "--json"], { env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const data = (JSON.parse(r.stdout) as { data: string[] }).data;
    expect(jupyterDataPath({ env, home: env.HOME })).toEqual([...new Set(data)]);
  });

  it("`tsnb doctor` sees the kernelspec `tsnb kernel install --prefix P` wrote when CONDA_PREFIX=P", async () => {
    const prefix = path.join(dir, "conda-env");
    const env = { ...process.env, JUPYTER_DATA_DIR: path.join(dir, "empty-user-data"), JUPYTER_PATH: "", CONDA_DEFAULT_ENV: "lesson18-ts" };
    const install = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", prefix, "--name", "tslab"], { env, encoding: "utf8" });
    expect(install.status, install.stderr).toBe(0);
    const file = path.join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json");
    const withEnv = spawnSync(process.execPath, [cli, "doctor", "--no-kernel"], { env: { ...env, CONDA_PREFIX: prefix }, encoding: "utf8" });
    expect(withEnv.stdout).toContain(`ok       kernelspec tslab: ${file} -> ${process.execPath}`);
    // The same folder outside the environment: not on Jupyter's path, and doctor says so.
    const without = spawnSync(process.execPath, [cli, "doctor", "--no-kernel"], { env: { ...env, CONDA_PREFIX: path.join(dir, "other-env") }, encoding: "utf8" });
    expect(without.stdout).not.toContain(file);
  });
});
