import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { writeFileAtomic } from "../notebook/index.ts";
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

/** Jupyter's per-user data folder: $JUPYTER_DATA_DIR, else the platform's default (as jupyter_core computes it). */
export function jupyterUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = os.homedir(),
): string {
  if (env["JUPYTER_DATA_DIR"]) return path.resolve(env["JUPYTER_DATA_DIR"]);
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return path.join(env["APPDATA"] ?? path.join(home, "AppData", "Roaming"), "jupyter");
  return path.join(env["XDG_DATA_HOME"] || path.join(home, ".local", "share"), "jupyter");
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

/** Folders Jupyter searches for kernelspecs, in its order: $JUPYTER_PATH, the user's, then system prefixes. */
export function kernelSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env["JUPYTER_PATH"] ?? "").split(path.delimiter).filter(Boolean);
  const system = process.platform === "win32" ? [] : ["/usr/local/share/jupyter", "/usr/share/jupyter"];
  return [...fromEnv, jupyterUserDataDir(env), ...system].map((d) => path.join(d, "kernels"));
}

/** One kernelspec found on disk, with what is wrong with it, if anything. */
export interface FoundKernelSpec {
  name: string;
  file: string;
  spec?: KernelSpec;
  /** e.g. `argv[0] /usr/bin/node does not exist`; absent when the spec looks runnable. */
  problem?: string;
}

/** Every kernelspec on the search path (the first of a name wins, as in Jupyter). */
export async function findKernelSpecs(env: NodeJS.ProcessEnv = process.env): Promise<FoundKernelSpec[]> {
  const found = new Map<string, FoundKernelSpec>();
  for (const dir of kernelSearchPath(env)) {
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
