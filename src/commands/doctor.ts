import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { findKernelSpecs, kernelSearchDirs, tslabOf } from "../kernel/kernelspec.ts";
import { tslabBin, watchdogPath } from "../kernel/tslab-path.ts";
import { parseCommandArgs } from "../cli-args.ts";

/** One line of `tsnb doctor`: `ok`, `warn` (optional part missing) or `missing` (required), with the fix. */
export interface Check {
  status: "ok" | "warn" | "missing";
  name: string;
  detail: string;
  fix?: string;
}

const NODE_FLOOR = [20, 19] as const;

/** Node >= 20.19: its require(esm) lets tslab's CommonJS cells load ESM-only packages. */
export function checkNode(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const ok = major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1]);
  return ok
    ? { status: "ok", name: "Node.js", detail: `v${version} (${process.execPath})` }
    : {
        status: "missing",
        name: "Node.js",
        detail: `v${version} is older than ${NODE_FLOOR.join(".")}`,
        fix: "install Node 20.19 or later (conda install -c conda-forge nodejs, or https://nodejs.org)",
      };
}

function checkModule(
  name: string,
  describe: (mod: Record<string, unknown>, pkg: { version: string }) => string,
): Check {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require(`${name}/package.json`) as { version: string };
    const mod = require(name) as Record<string, unknown>;
    return { status: "ok", name, detail: describe(mod, pkg) };
  } catch (error) {
    return {
      status: "missing",
      name,
      detail: `cannot load (${(error as Error).message.split("\n")[0]})`,
      fix: "npm ci (in this checkout)",
    };
  }
}

/** The version line a command prints (the last line, or the first matching `pick`); undefined when it fails. */
function version(command: string, args: string[], pick?: RegExp): string | undefined {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: 15_000 });
  if (r.status !== 0) return undefined;
  const lines = `${r.stdout}\n${r.stderr}`
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return pick ? lines.find((l) => pick.test(l)) : lines.at(-1);
}

function checkCommand(name: string, command: string, args: string[], fix: string): Check {
  const v = version(command, args);
  return v
    ? { status: "ok", name, detail: `${command} ${v}` }
    : { status: "warn", name, detail: `${command} not found`, fix };
}

/** The kernelspecs Jupyter would find, and whether "tslab" starts an existing Node and tslab. */
async function checkKernelSpecs(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const specs = await findKernelSpecs(env);
  const install = 'npx tsnb kernel install --user (or --prefix "$CONDA_PREFIX")';
  const tslab = specs.find((s) => s.name === "tslab");
  const checks: Check[] = [];
  if (!tslab)
    checks.push({
      status: "warn",
      name: "kernelspec tslab",
      detail: `not installed in any folder Jupyter searches (${(await kernelSearchDirs(env, false)).join(", ")}); only \`tsnb run\` without --server works`,
      fix: install,
    });
  else if (tslab.problem)
    checks.push({ status: "warn", name: "kernelspec tslab", detail: `${tslab.file}: ${tslab.problem}`, fix: install });
  else {
    const spec = tslab.spec!;
    const starts = tslabOf(spec) ?? spec.argv[1] ?? "";
    let mine = false;
    try {
      mine = path.resolve(starts) === path.resolve(tslabBin());
    } catch {
      // tslab is not installed here; reported by the tslab check
    }
    const detail = `${tslab.file} -> ${spec.argv[0]} ${starts}`;
    if (!mine)
      checks.push({ status: "ok", name: "kernelspec tslab", detail: `${detail} (another tslab than this checkout's)` });
    else if (!spec.argv.includes(watchdogPath()))
      checks.push({
        status: "warn",
        name: "kernelspec tslab",
        detail: `${detail}: installed by an older tsnb (its kernel outlives a killed Jupyter server)`,
        fix: install,
      });
    else checks.push({ status: "ok", name: "kernelspec tslab", detail });
  }
  const others = specs.filter((s) => s.name !== "tslab");
  if (others.length)
    checks.push({
      status: "ok",
      name: "other kernelspecs",
      detail: others.map((s) => `${s.name}${s.problem ? ` (broken: ${s.problem})` : ""}`).join(", "),
    });
  return checks;
}

function checkChromium(): Check {
  const candidates = [
    process.env["CHROME_PATH"],
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
  ].filter((c): c is string => !!c);
  for (const c of candidates) {
    const v = version(c, ["--version"], /chrom/i);
    if (v) return { status: "ok", name: "Chromium", detail: v };
  }
  return {
    status: "warn",
    name: "Chromium",
    detail: "no chromium, chromium-browser or google-chrome on PATH (the site's browser tests need one)",
    fix: "sudo apt-get install chromium, or set CHROME_PATH",
  };
}

/** Start the embedded tslab kernel once and run a cell: the real test of the executor's setup. */
async function checkKernelStarts(): Promise<Check> {
  const { startKernel } = await import("../kernel/index.ts");
  const started = Date.now();
  try {
    const kernel = await startKernel({ cwd: process.cwd(), startTimeoutSec: 30 });
    try {
      const r = await kernel.execute("1 + 1", { timeoutSec: 20 });
      if (r.status !== "ok")
        return {
          status: "missing",
          name: "tslab kernel",
          detail: `started but a cell failed (${r.status})`,
          fix: "npm ci",
        };
    } finally {
      await kernel.shutdown();
    }
    return {
      status: "ok",
      name: "tslab kernel",
      detail: `starts and runs a cell with only Node (${Date.now() - started} ms)`,
    };
  } catch (error) {
    return {
      status: "missing",
      name: "tslab kernel",
      detail: (error as Error).message,
      fix: "npm ci; then npx tsnb doctor again",
    };
  }
}

/** Every check, in the order printed. */
export async function runChecks(options: { kernel: boolean; env?: NodeJS.ProcessEnv } = { kernel: true }): Promise<Check[]> {
  const checks: Check[] = [
    checkNode(),
    checkModule("tslab", (_, pkg) => `${pkg.version} (${tslabBin()})`),
    checkModule("zeromq", (mod, pkg) => `${pkg.version} (libzmq ${String(mod["version"])})`),
  ];
  if (options.kernel && checks.every((c) => c.status === "ok")) checks.push(await checkKernelStarts());
  checks.push(
    checkCommand(
      "Jupyter server",
      "jupyter-server",
      ["--version"],
      "sudo apt-get install jupyter-server, or conda install -c conda-forge jupyterlab (for --server and JupyterLab)",
    ),
    checkCommand(
      "nbconvert",
      "jupyter-nbconvert",
      ["--version"],
      "sudo apt-get install jupyter-nbconvert (only for comparing with Jupyter's executor)",
    ),
    ...(await checkKernelSpecs(options.env ?? process.env)),
    checkChromium(),
  );
  return checks;
}

/** Format a check as one line: `ok       Node.js  v20.20.2 ...` plus an indented fix. */
export function formatCheck(check: Check): string {
  const head = `${check.status.padEnd(8)} ${check.name}: ${check.detail}`;
  return check.fix && check.status !== "ok" ? `${head}\n         fix: ${check.fix}` : head;
}

export const HELP = `Usage: tsnb doctor [--no-kernel]

Check what the course needs, one line each: ok, warn (optional, e.g. Jupyter for --server) or
missing (required), with the fix. Checked: Node (20.19 or later), tslab and zeromq in node_modules,
a real tslab kernel start and cell, jupyter-server and nbconvert, the kernelspecs in every folder
Jupyter searches (JUPYTER_PATH, the user data folder, $CONDA_PREFIX or $VIRTUAL_ENV, the system
folders, and what \`jupyter --paths --json\` lists), Chromium.

  --no-kernel  skip starting the tslab kernel (about a second)
  -h, --help   this help

Exit status: 0 when nothing required is missing, 1 otherwise.`;

/** \`tsnb doctor [--no-kernel]\`: exit 1 when something required is missing. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: { "no-kernel": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const checks = await runChecks({ kernel: !values["no-kernel"] });
  for (const check of checks) console.log(formatCheck(check));
  return checks.some((c) => c.status === "missing") ? 1 : 0;
}
