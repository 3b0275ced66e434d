import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseCommandArgs } from "../../cli-args.ts";
import { UsageError } from "../../errors.ts";
import { writeFileAtomic } from "../../notebook/index.ts";
import { exercises } from "../exercises.ts";
import { isVisibility, type Visibility } from "../report/test-name.ts";
import { ROOT } from "../workdir.ts";
import { autograderEntries } from "./bundle.ts";
import type { AutograderConfig } from "./config.ts";
import { zipBytes } from "./zip.ts";

export const HELP = `Usage: tsnb gradescope build --out autograder.zip [--exercise ID...] [options]

Write the autograder zip Gradescope asks for (a programming assignment's "Configure Autograder"):
setup.sh and run_autograder at its root, the grader, the exercises' suites and probes, the probe
library, and a package-lock.json with only the grader's dependencies. On Gradescope, setup.sh installs
Node 22 when the image has no Node >= 20.19, then runs npm ci; run_autograder grades every exercise
notebook of a submission and writes one results.json (score 0 and what to fix for an empty, broken,
hanging or crashing submission; an exercise not handed in scores 0).

  -o, --out FILE          where to write the zip (required; written atomically)
  -e, --exercise ID       an exercise of the assignment (repeat for several; default: all:
                          ${"${ids}"})
  --visibility V          of the whole result: visible (default), hidden, after_due_date, after_published
  --test-visibility V     of tests their suite does not mark (default: visible); a suite marks one
                          with "[points] (hidden) name" or "(after_due_date)"
  --stdout-visibility V   of run_autograder's log (default: hidden)
  --format F              md (default) or text: how feedback is written in results.json
  --timeout S             limit for one exercise's whole suite, in seconds (default: 120)

Example: npx tsnb gradescope build --out autograder.zip --exercise safe-counter --exercise bounded-queue
Exit status: 0 when the zip was written, 2 on bad usage.`;

/** Parse `tsnb gradescope build` arguments (exported for tests). */
export function parseBuildArgs(argv: string[], known: readonly string[]) {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === undefined) return "help" as const;
  if (sub !== "build")
    throw new UsageError(`unknown subcommand \`${sub}\` (tsnb gradescope build --out FILE; see --help)`);
  const { values, positionals } = parseCommandArgs({
    args: rest,
    allowPositionals: false,
    options: {
      out: { type: "string", short: "o" },
      exercise: { type: "string", short: "e", multiple: true },
      visibility: { type: "string" },
      "test-visibility": { type: "string" },
      "stdout-visibility": { type: "string" },
      format: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  void positionals;
  if (values.help) return "help" as const;
  if (values.out === undefined) throw new UsageError("--out FILE is required (where the autograder zip goes)");
  if (!values.out.endsWith(".zip")) throw new UsageError(`--out expects a .zip file, got \`${values.out}\``);
  const chosen = values.exercise ?? [...known];
  for (const id of chosen)
    if (!known.includes(id))
      throw new UsageError(`--exercise: unknown exercise \`${id}\` (known: ${known.join(", ")})`);
  const vis = (flag: string, value: string | undefined, fallback: Visibility): Visibility => {
    if (value === undefined) return fallback;
    if (!isVisibility(value))
      throw new UsageError(`--${flag} expects visible, hidden, after_due_date or after_published, got \`${value}\``);
    return value;
  };
  const format = values.format ?? "md";
  if (format !== "md" && format !== "text") throw new UsageError(`--format expects md or text, got \`${format}\``);
  const timeoutSec = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    throw new UsageError(`--timeout expects a number of seconds above 0, got \`${values.timeout}\``);
  const config: AutograderConfig = {
    exercises: [...new Set(chosen)],
    visibility: vis("visibility", values.visibility, "visible"),
    testVisibility: vis("test-visibility", values["test-visibility"], "visible"),
    stdoutVisibility: vis("stdout-visibility", values["stdout-visibility"], "hidden"),
    format,
    timeoutSec,
  };
  return { out: values.out, config };
}

/** `tsnb gradescope build`. */
export async function run(argv: string[]): Promise<number> {
  const known = exercises().map((e) => e.id);
  const args = parseBuildArgs(argv, known);
  if (args === "help") {
    console.log(HELP.replace("${ids}", known.join(", ")));
    return 0;
  }
  const entries = await autograderEntries(ROOT, args.config);
  const bytes = zipBytes(entries);
  await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
  await writeFileAtomic(args.out, bytes);
  console.log(
    `wrote ${args.out}: ${entries.length} files, ${(bytes.length / 1024).toFixed(0)} KiB, exercises ${args.config.exercises.join(", ")}`,
  );
  return 0;
}
