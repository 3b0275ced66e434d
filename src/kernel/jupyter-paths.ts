import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Jupyter's data search path (where `kernels/` folders are looked for), as jupyter_core's
 * `jupyter_path()` computes it, so `tsnb doctor` finds the kernelspecs JupyterLab finds:
 * `$JUPYTER_PATH`, the user's data folder (and Python's user base), the environment's `share/jupyter`
 * (`$CONDA_PREFIX`, `$VIRTUAL_ENV`, the prefix of the `jupyter` on PATH), then the system folders.
 * When a `jupyter` command exists, its own answer (`jupyter --paths --json`) comes first.
 */

/** What the search path depends on; defaults are this process's. */
export interface JupyterPathOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
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

/** jupyter_core's `envset`: set, and not "no", "n", "false", "off", "0" or "0.0". */
function envset(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !["no", "n", "false", "off", "0", "0.0"].includes(value.toLowerCase());
}

/** The first executable `name` on `env.PATH`, or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const exts = platform === "win32" ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env["PATH"] ?? "").split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The environments' `share/jupyter` folders: `sys.prefix` of the Python that runs Jupyter. We see it as
 * `$CONDA_PREFIX`, `$VIRTUAL_ENV` and the prefix of the `jupyter` on PATH (`<prefix>/bin/jupyter`).
 */
function environmentDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const prefixes = [env["CONDA_PREFIX"], env["VIRTUAL_ENV"]];
  const jupyter = onPath("jupyter", env, platform);
  if (jupyter) prefixes.push(path.dirname(path.dirname(jupyter)));
  return prefixes.filter((p): p is string => !!p).map((p) => path.join(path.resolve(p), "share", "jupyter"));
}

function systemDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === "win32") return env["PROGRAMDATA"] ? [path.join(env["PROGRAMDATA"], "jupyter")] : [];
  return ["/usr/local/share/jupyter", "/usr/share/jupyter"];
}

/** jupyter_core's `jupyter_path()`, computed (no Python run), without duplicates. */
export function jupyterDataPath(options: JupyterPathOptions = {}): string[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  const fromEnv = (env["JUPYTER_PATH"] ?? "").split(path.delimiter).filter(Boolean).map((p) => p.replace(/[\\/]+$/, "") || p);
  const user = [jupyterUserDataDir(env, platform, home)];
  // site.ENABLE_USER_SITE: Python's user base (PYTHONUSERBASE, else ~/.local on Linux).
  if (platform === "linux") user.push(path.join(env["PYTHONUSERBASE"] || path.join(home, ".local"), "share", "jupyter"));
  const system = systemDirs(env, platform);
  const environment = environmentDirs(env, platform).filter((d) => !system.includes(d));
  // jupyter_core 5 puts the environment first in a virtualenv or a conda env other than base.
  const preferEnv =
    envset(env["JUPYTER_PREFER_ENV_PATH"]) ?? (!!env["VIRTUAL_ENV"] || (!!env["CONDA_PREFIX"] && env["CONDA_DEFAULT_ENV"] !== "base"));
  const ordered = [...fromEnv, ...(preferEnv ? [...environment, ...user] : [...user, ...environment]), ...system];
  return [...new Set(ordered)];
}

/** `jupyter --paths --json`'s data folders, or undefined when there is no `jupyter` or it fails. */
export function askJupyter(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): Promise<string[] | undefined> {
  const jupyter = onPath("jupyter", env);
  if (!jupyter) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(jupyter, ["--paths", "--json"], { env, timeout: timeoutMs, encoding: "utf8" }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const data = (JSON.parse(stdout) as { data?: unknown }).data;
        resolve(Array.isArray(data) && data.every((d) => typeof d === "string") ? data : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/**
 * The data folders JupyterLab searches: `jupyter --paths --json` when a `jupyter` is on PATH, followed
 * by the computed folders it did not list (a conda env or virtualenv whose Jupyter is not the one on PATH).
 */
export async function jupyterDataDirs(options: JupyterPathOptions & { ask?: boolean } = {}): Promise<string[]> {
  const computed = jupyterDataPath(options);
  const asked = options.ask === false ? undefined : await askJupyter(options.env ?? process.env);
  return asked ? [...new Set([...asked, ...computed])] : computed;
}
