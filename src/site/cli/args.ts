import path from "node:path";
import {
  JOBS_OPTION,
  OUT_OPTION,
  TIMEOUT_OPTION,
  jobsFlag,
  outFlag,
  parseCommandArgs,
  secondsFlag,
} from "../../cli-args.ts";
import { UsageError } from "../../errors.ts";
import type { SiteOptions } from "../types.ts";

/** `tsnb site` and `npm start` (`tsnb start`) share their options; only the help's first lines differ. */
const OPTIONS = `  -o, --out DIR      where the site goes (default: build/site; replaced on each build)
  --no-execute       render what is stored; execute nothing
  --force            execute every lesson, even those whose executed copy is up to date
  -j, --jobs N       lessons executed in parallel (default: 1, so timings measured in a lesson are not
                     disturbed by another kernel)
  --timeout S        per-cell limit in seconds (default: 120)
  --notebooks DIR    the lesson notebooks; exercises in DIR/exercises (default: notebooks)
  --executed DIR     the executed copies (default: build/executed)
  --untrusted        sanitise HTML/SVG/markdown, drop JavaScript, and give every page a Content-Security-
                     Policy (for notebooks you did not write)
  --serve            serve the site on 127.0.0.1 when it is built (see tsnb serve)
  -p, --port N       the port for --serve (default: a free one)`;

export const SITE_HELP = `Usage: tsnb site [options]

Render the notebooks as a static lesson site: lessons from their executed copies in build/executed/
(executing first any lesson whose copy is missing or older than its source or the kernel helpers),
exercises as the learner gets them (unexecuted). Open build/site/index.html, or run tsnb serve.

${OPTIONS}

Exit status: 0 when every notebook rendered and executed, 1 when one failed (the site is still built,
with the failure shown on its page), 130 on Ctrl-C.`;

export const START_HELP = `Usage: npm start [-- options]   (tsnb start)

The main job: execute every lesson notebook under notebooks/ that is out of date into build/executed/,
print a summary table, and build the site into build/site/ with the lessons and the exercises.

${OPTIONS}`;

/** Parsed `tsnb site` / `tsnb start` arguments. */
export interface SiteArgs {
  options: SiteOptions;
  serve: boolean;
  port: number | undefined;
}

/** Parse a port: an integer 0-65535 (0: a free port). */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port expects an integer from 0 to 65535, got \`${value}\``);
  return n;
}

/** Parse `tsnb site` / `tsnb start` arguments (exported for tests). */
export function parseSiteArgs(argv: string[], cwd = process.cwd()): SiteArgs | "help" {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    allowNegative: true,
    options: {
      ...OUT_OPTION,
      execute: { type: "boolean", default: true },
      force: { type: "boolean" },
      ...JOBS_OPTION,
      ...TIMEOUT_OPTION,
      notebooks: { type: "string" },
      executed: { type: "string" },
      untrusted: { type: "boolean" },
      serve: { type: "boolean" },
      port: { type: "string", short: "p" },
      help: { type: "boolean", short: "h" },
    },
  });
  const v = parsed.values;
  if (v.help) return "help";
  if (v.force && v.execute === false) throw new UsageError("--force and --no-execute exclude each other");
  if (v.port !== undefined && !v.serve) throw new UsageError("--port needs --serve (or use tsnb serve --port N)");
  const options: SiteOptions = {
    root: cwd,
    execute: v.execute !== false,
    force: v.force ?? false,
    trusted: !v.untrusted,
  };
  const out = outFlag(v);
  if (out !== undefined) options.outDir = path.resolve(cwd, out);
  if (v.notebooks !== undefined) options.notebooksDir = path.resolve(cwd, v.notebooks);
  if (v.executed !== undefined) options.executedDir = path.resolve(cwd, v.executed);
  if (v.jobs !== undefined) options.jobs = jobsFlag(v.jobs);
  const timeout = secondsFlag("--timeout", v.timeout);
  if (timeout !== undefined) options.timeoutSec = timeout;
  return { options, serve: v.serve ?? false, port: parsePort(v.port) };
}
