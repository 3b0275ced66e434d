import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
// Not the notebook module: installing a kernelspec needs no notebook validators loaded.
import { writeFileAtomic } from "../write-atomic.ts";
import { jupyterDataDirs, jupyterDataPath, jupyterUserDataDir } from "./jupyter-paths.ts";

export { jupyterUserDataDir };
import { tslabBin, watchdogPath } from "./tslab-path.ts";

/** What `tsnb kernel install` writes: Jupyter's `kernel.json`. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  metadata?: Record<string, unknown>;
}

export const DISPLAY_NAME = "TypeScript (tslab, lesson 18)";

/**
 * A kernelspec that starts this checkout's tslab with this Node, both by absolute path (no PATH
 * lookup), with the watchdog preloaded: a kernel whose Jupyter server was killed ends itself.
 */
export function tslabKernelSpec(node = process.execPath, tslab = tslabBin(), watchdog = watchdogPath()): KernelSpec {
  return {
    argv: [node, "--require", watchdog, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // tslab interrupts on SIGINT (it has no interrupt_request handler).
    interrupt_mode: "signal",
    metadata: { installed_by: "tsnb kernel install" },
  };
}

/** The kernels folder for `--prefix P` (`P/share/jupyter/kernels`) or the user's data folder. */
export function kernelsDir(target: { prefix?: string | undefined }, env: NodeJS.ProcessEnv = process.env): string {
  return target.prefix !== undefined
    ? path.resolve(target.prefix, "share", "jupyter", "kernels")
    : path.join(jupyterUserDataDir(env), "kernels");
}

/** Valid kernelspec names, as jupyter_client accepts them. */
export const KERNEL_NAME = /^[a-z0-9._-]+$/i;

/** Write `<dir>/<name>/kernel.json` atomically; returns the file written. */
export async function installKernelSpec(
  dir: string,
  name: string,
  spec: KernelSpec = tslabKernelSpec(),
): Promise<string> {
  if (!KERNEL_NAME.test(name))
    throw new TypeError(`Expected a kernel name of letters, digits, '.', '_' or '-', got \`${name}\``);
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, "kernel.json");
  await writeFileAtomic(file, `${JSON.stringify(spec, null, 1)}\n`);
  return file;
}

/** Folders Jupyter searches for kernelspecs, in its order, computed without running Jupyter (see jupyter-paths.ts). */
export function kernelSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  return jupyterDataPath({ env }).map((d) => path.join(d, "kernels"));
}

/** The kernels folders JupyterLab searches: `jupyter --paths --json` first (when `ask` and a jupyter exists). */
export async function kernelSearchDirs(env: NodeJS.ProcessEnv = process.env, ask = true): Promise<string[]> {
  return (await jupyterDataDirs({ env, ask })).map((d) => path.join(d, "kernels"));
}

/** One kernelspec found on disk, with what is wrong with it, if anything. */
export interface FoundKernelSpec {
  name: string;
  file: string;
  spec?: KernelSpec;
  /** e.g. `argv[0] /usr/bin/node does not exist`; absent when the spec looks runnable. */
  problem?: string;
}

/**
 * Every kernelspec on Jupyter's search path (the first of a name wins, as in Jupyter); `ask`: also ask
 * the `jupyter` on PATH for its paths.
 */
export async function findKernelSpecs(env: NodeJS.ProcessEnv = process.env, ask = true): Promise<FoundKernelSpec[]> {
  const found = new Map<string, FoundKernelSpec>();
  for (const dir of await kernelSearchDirs(env, ask)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (found.has(name)) continue;
      const file = path.join(dir, name, "kernel.json");
      if (!existsSync(file)) continue;
      found.set(name, await inspectSpec(name, file));
    }
  }
  return [...found.values()];
}

async function inspectSpec(name: string, file: string): Promise<FoundKernelSpec> {
  let spec: KernelSpec;
  try {
    spec = JSON.parse(await readFile(file, "utf8")) as KernelSpec;
  } catch (error) {
    return { name, file, problem: `kernel.json is not valid JSON (${(error as Error).message})` };
  }
  if (!Array.isArray(spec.argv) || spec.argv.length === 0)
    return { name, file, spec, problem: "kernel.json has no argv" };
  const missing = spec.argv.find((a) => path.isAbsolute(a) && !existsSync(a));
  if (missing) return { name, file, spec, problem: `${missing} does not exist` };
  if (!path.isAbsolute(spec.argv[0]!))
    return {
      name,
      file,
      spec,
      problem: `argv[0] \`${spec.argv[0]}\` is looked up on PATH when Jupyter starts the kernel`,
    };
  return { name, file, spec };
}

/** The tslab a kernelspec starts: the argument naming a `tslab` script (undefined for another kernel). */
export function tslabOf(spec: KernelSpec): string | undefined {
  return spec.argv.find((a) => path.basename(a) === "tslab" && path.isAbsolute(a));
}
