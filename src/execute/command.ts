import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.ts";
import { runNotebooks } from "./index.ts";
import { progressPrinter } from "./progress.ts";
import type { NotebookJob, RunOptions } from "./types.ts";
import {
  JOBS_OPTION,
  OUT_OPTION,
  TIMEOUT_OPTION,
  jobsFlag,
  outFlag,
  parseCommandArgs,
  secondsFlag,
} from "../cli-args.ts";

/** Where executed notebooks go when neither `--out` nor `--inplace` is given (relative to the current folder). */
export const DEFAULT_OUTPUT_DIR = path.join("build", "executed");

export const HELP = `Usage: tsnb run NOTEBOOK... [-o/--out DIR | --inplace] [--timeout S] [--start-timeout S]
                         [--allow-errors] [--jobs N] [--server URL [--token T] [--kernel NAME]]

Execute notebooks through the tslab kernel, as Jupyter's nbclient would, and write them with their
outputs. By default tslab is started from this checkout's node_modules: only Node is needed (no
Python, no Jupyter, no kernelspec).

  -o, --out DIR      write each executed notebook as DIR/<name>.ipynb (default: ${DEFAULT_OUTPUT_DIR}/;
                     --output DIR also works)
  -i, --inplace      overwrite each input notebook with its executed version
  --timeout S        per-cell limit in seconds: the cell is interrupted and fails (default: 120)
  --start-timeout S  kernel start limit in seconds (default: 60)
  --allow-errors     keep executing after a failing cell (its error output is stored); a cell tagged
                     raises-exception may always fail
  -j, --jobs N       notebooks in parallel, one kernel each (default: 1)
  --server URL       run the kernels in this Jupyter server instead of spawning tslab here
  --token T          the server's token (default: $JUPYTER_TOKEN)
  --kernel NAME      the server's kernelspec (default: tslab; see \`tsnb kernel install\`)
  -h, --help         this help

The kernel's working directory is the notebook's folder, as in JupyterLab. The notebook is written
atomically as cells run, so a failure (error, timeout, kernel death, Ctrl-C) keeps what ran.
Progress goes to stderr: a line per cell on a terminal, one line per notebook otherwise.

Examples:
  tsnb run notebooks/*.ipynb --jobs 2           # executed copies in ${DEFAULT_OUTPUT_DIR}/
  tsnb run lesson.ipynb --inplace --timeout 30  # outputs stored in lesson.ipynb itself
  tsnb run lesson.ipynb --server http://127.0.0.1:8888/ --token "$TOKEN"

Exit status: 0 when every notebook ran, 1 when one failed, 2 on bad usage, 130 on Ctrl-C (128 + the
signal's number for SIGTERM and SIGHUP).`;

/** Parse `tsnb run` arguments into jobs and options (exported for tests). */
export function parseRunArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { jobs: NotebookJob[]; options: RunOptions } | "help" {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...OUT_OPTION,
      output: { type: "string" }, // the first spelling, kept
      inplace: { type: "boolean", short: "i" },
      ...TIMEOUT_OPTION,
      "start-timeout": { type: "string" },
      "allow-errors": { type: "boolean" },
      ...JOBS_OPTION,
      server: { type: "string" },
      token: { type: "string" },
      kernel: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length === 0) throw new UsageError("no notebook given (tsnb run NOTEBOOK...; see --help)");
  const out = outFlag(values);
  if (out !== undefined && values.inplace) throw new UsageError("--out and --inplace exclude each other");
  const jobsCount = jobsFlag(values.jobs);
  if ((values.token !== undefined || values.kernel !== undefined) && values.server === undefined)
    throw new UsageError("--token and --kernel need --server URL");
  const token = values.token ?? env["JUPYTER_TOKEN"];
  if (values.server !== undefined && token === undefined)
    throw new UsageError("--server needs --token T (or $JUPYTER_TOKEN)");

  const outDir = out ?? DEFAULT_OUTPUT_DIR;
  const seen = new Map<string, string>();
  const jobs = positionals.map((input) => {
    if (!input.endsWith(".ipynb")) throw new UsageError(`${input}: not a notebook (expected a .ipynb file)`);
    const output = values.inplace ? input : path.join(outDir, path.basename(input));
    const clash = seen.get(path.resolve(output));
    if (clash !== undefined)
      throw new UsageError(
        `${clash} and ${input} would both be written to ${output} (use --inplace, or run them separately)`,
      );
    seen.set(path.resolve(output), input);
    return { input: path.resolve(input), output: path.resolve(output) };
  });
  const options: RunOptions = {
    timeoutSec: secondsFlag("--timeout", values.timeout, 120),
    startTimeoutSec: secondsFlag("--start-timeout", values["start-timeout"], 60),
    allowErrors: values["allow-errors"] ?? false,
    jobs: jobsCount,
  };
  if (values.server !== undefined)
    options.server = { url: values.server, token: token!, kernelName: values.kernel ?? "tslab" };
  return { jobs, options };
}

/** `tsnb run`. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseRunArgs(argv);
  if (parsed === "help") {
    console.log(HELP);
    return 0;
  }
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  // First Ctrl-C (SIGINT), SIGTERM or SIGHUP (terminal closed): shut every kernel down and write what
  // ran. A second: leave now; the kernels' watchdog (watchdog.cjs) then ends them within a second.
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + os.constants.signals[signal]);
    received = signal;
    process.stderr.write(`\ntsnb run: ${signal}, shutting the kernels down...\n`);
    controller.abort();
  };
  const handled = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of handled) process.on(signal, onSignal);
  try {
    const runs = await runNotebooks(parsed.jobs, {
      ...parsed.options,
      signal: controller.signal,
      onProgress: progressPrinter(),
    });
    // The shell's convention: 128 + the signal's number (130 for Ctrl-C).
    if (received) return 128 + os.constants.signals[received];
    const failed = runs.filter((r) => !r.ok).length;
    if (runs.length > 1)
      process.stderr.write(
        `${runs.length - failed} of ${runs.length} notebooks ran${failed ? `, ${failed} failed` : ""}\n`,
      );
    return failed ? 1 : 0;
  } finally {
    for (const signal of handled) process.off(signal, onSignal);
  }
}
