import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run as kernelCommand } from "../../src/kernel/command.ts";
import {
  DISPLAY_NAME,
  findKernelSpecs,
  installKernelSpec,
  jupyterUserDataDir,
  kernelsDir,
  tslabKernelSpec,
  tslabOf,
} from "../../src/kernel/kernelspec.ts";
import { tslabBin, watchdogPath } from "../../src/kernel/tslab-path.ts";
import { checkNode, formatCheck } from "../../src/commands/doctor.ts";
import { jupyterDataPath } from "../../src/kernel/jupyter-paths.ts";

let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-spec-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("kernelspec", () => {
  it("starts this checkout's tslab with this Node, both by absolute path", () => {
    const spec = tslabKernelSpec();
    expect(spec).toEqual({
      argv: [process.execPath, "--require", watchdogPath(), tslabBin(), "kernel", "--config-path", "{connection_file}"],
      display_name: DISPLAY_NAME,
      language: "typescript",
      interrupt_mode: "signal",
      metadata: { installed_by: "tsnb kernel install" },
    });
    expect(tslabOf(spec)!.endsWith(path.join("node_modules", "tslab", "bin", "tslab"))).toBe(true);
    expect(existsSync(watchdogPath())).toBe(true);
  });

  it("finds the user data folder as jupyter_core does", () => {
    expect(jupyterUserDataDir({ JUPYTER_DATA_DIR: "/x/data" }, "linux", "/home/u")).toBe("/x/data");
    expect(jupyterUserDataDir({}, "linux", "/home/u")).toBe("/home/u/.local/share/jupyter");
    expect(jupyterUserDataDir({ XDG_DATA_HOME: "/xdg" }, "linux", "/home/u")).toBe("/xdg/jupyter");
    expect(jupyterUserDataDir({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Jupyter");
    expect(kernelsDir({ prefix: "/opt/env" }, {})).toBe("/opt/env/share/jupyter/kernels");
  });

  it("rejects a kernel name Jupyter would not accept", async () => {
    await expect(installKernelSpec(dir, "bad name")).rejects.toThrow(
      "Expected a kernel name of letters, digits, '.', '_' or '-', got `bad name`",
    );
  });

  it("`tsnb kernel install --prefix P --name N` writes P/share/jupyter/kernels/N/kernel.json", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await kernelCommand(["install", "--prefix", dir, "--name", "tslab-test"])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const file = path.join(dir, "share", "jupyter", "kernels", "tslab-test", "kernel.json");
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(tslabKernelSpec());
  });

  it("`tsnb kernel install --user` honours JUPYTER_DATA_DIR", async () => {
    const before = process.env["JUPYTER_DATA_DIR"];
    process.env["JUPYTER_DATA_DIR"] = path.join(dir, "userdata");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await kernelCommand(["install", "--user"])).toBe(0);
    } finally {
      log.mockRestore();
      if (before === undefined) delete process.env["JUPYTER_DATA_DIR"];
      else process.env["JUPYTER_DATA_DIR"] = before;
    }
    expect(
      JSON.parse(await readFile(path.join(dir, "userdata", "kernels", "tslab", "kernel.json"), "utf8")).display_name,
    ).toBe(DISPLAY_NAME);
  });

  it("rejects bad usage of `tsnb kernel`", async () => {
    await expect(kernelCommand(["uninstall"])).rejects.toThrow("unknown subcommand `uninstall` (expected: install)");
    await expect(kernelCommand(["install", "--user", "--prefix", dir])).rejects.toThrow(
      "--user and --prefix exclude each other",
    );
    await expect(kernelCommand(["install", "--name", "a/b"])).rejects.toThrow(
      "--name: a kernel name is letters, digits, '.', '_' or '-', got `a/b`",
    );
  });

  it("finds kernelspecs on JUPYTER_PATH and says what is broken", async () => {
    const base = path.join(dir, "search");
    await installKernelSpec(path.join(base, "kernels"), "tslab");
    await mkdir(path.join(base, "kernels", "stale"), { recursive: true });
    await writeFile(
      path.join(base, "kernels", "stale", "kernel.json"),
      JSON.stringify({ argv: ["/nonexistent/node", "x"], display_name: "old", language: "typescript" }),
    );
    await mkdir(path.join(base, "kernels", "bare"), { recursive: true });
    await writeFile(
      path.join(base, "kernels", "bare", "kernel.json"),
      JSON.stringify({ argv: ["tslab", "kernel"], display_name: "bare", language: "typescript" }),
    );
    const specs = await findKernelSpecs({ JUPYTER_PATH: base, JUPYTER_DATA_DIR: path.join(dir, "none") });
    const byName = Object.fromEntries(specs.map((s) => [s.name, s]));
    expect(byName["tslab"]?.problem).toBeUndefined();
    expect(byName["stale"]?.problem).toBe("/nonexistent/node does not exist");
    expect(byName["bare"]?.problem).toBe("argv[0] `tslab` is looked up on PATH when Jupyter starts the kernel");
  });
});

describe("Jupyter's data path, as jupyter_core computes it", () => {
  const home = "/home/u";
  const base = { PATH: "/nowhere", HOME: home };

  it("puts JUPYTER_PATH first, then the user's folders, the environment's and the system's", () => {
    expect(jupyterDataPath({ env: { ...base, JUPYTER_PATH: "/a/:/b" }, platform: "linux", home })).toEqual([
      "/a",
      "/b",
      "/home/u/.local/share/jupyter",
      "/usr/local/share/jupyter",
      "/usr/share/jupyter",
    ]);
    // A conda env (not base) or a virtualenv comes before the user's folder, as in jupyter_core 5.
    expect(jupyterDataPath({ env: { ...base, CONDA_PREFIX: "/opt/env", CONDA_DEFAULT_ENV: "lesson18-ts", XDG_DATA_HOME: "/xdg" }, platform: "linux", home })).toEqual([
      "/opt/env/share/jupyter",
      "/xdg/jupyter",
      "/home/u/.local/share/jupyter",
      "/usr/local/share/jupyter",
      "/usr/share/jupyter",
    ]);
    expect(jupyterDataPath({ env: { ...base, CONDA_PREFIX: "/opt/conda", CONDA_DEFAULT_ENV: "base" }, platform: "linux", home }).indexOf("/opt/conda/share/jupyter")).toBe(1);
    expect(jupyterDataPath({ env: { ...base, VIRTUAL_ENV: "/v", JUPYTER_PREFER_ENV_PATH: "0" }, platform: "linux", home })[1]).toBe("/v/share/jupyter");
  });

});

describe("tsnb doctor checks", () => {
  it("holds Node to the 20.19 floor", () => {
    expect(checkNode("20.19.0").status).toBe("ok");
    expect(checkNode("22.1.0").status).toBe("ok");
    const old = checkNode("20.18.1");
    expect(old.status).toBe("missing");
    expect(formatCheck(old)).toBe(
      "missing  Node.js: v20.18.1 is older than 20.19\n         fix: install Node 20.19 or later (conda install -c conda-forge nodejs, or https://nodejs.org)",
    );
  });
});
