import { UsageError } from "../errors.ts";
import { gradeFiles } from "./batch.ts";
import { EXERCISE_LIST } from "./exercises.ts";
import { DEFAULT_GRADE_OPTIONS } from "./grade.ts";
import { DEFAULT_LIMITS } from "./sandbox/limits.ts";
import { formatCsv } from "./report/csv.ts";
import { formatGradescope } from "./report/gradescope.ts";
import { formatJson } from "./report/json.ts";
import { formatText } from "./report/text.ts";
import type { GradeResult } from "./types.ts";
import { parseCommandArgs } from "../cli-args.ts";

export const HELP = `Usage: tsnb grade SUBMISSION... [--exercise ID] [--format text|json|gradescope|csv] [--jobs N] [--timeout S]

Grade exercise submissions with the exercises' vitest suites. A submission is an exercise notebook
(.ipynb: its solution cells, found by metadata.nbgrader.grade_id) or a .ts file (name the exercise
with --exercise). Each runs in its own sandbox process with time, memory and output limits.

  -e, --exercise ID   grade as this exercise (${EXERCISE_LIST.map((e) => e.id).join(", ")})
  -f, --format F      text (default: each test, points, why it failed), json, gradescope
                      (Gradescope's results.json), csv (a gradebook row per submission)
  -j, --jobs N        submissions graded at once (default: 1)
  --timeout S         limit for one submission's whole suite, in seconds (default: ${DEFAULT_GRADE_OPTIONS.timeoutSec})
  --memory MB         memory limit of a submission's process, worker threads included (default: ${DEFAULT_LIMITS.rssMb})

Example: npx tsnb grade notebooks/exercises/safe-counter.ipynb
Exit status: 0 when grading completed (whatever the score), 1 when a submission could not be read, 2 on bad usage.`;

const FORMATS = { text: formatText, json: formatJson, gradescope: formatGradescope, csv: formatCsv } as const;
type Format = keyof typeof FORMATS;

/** Parse `tsnb grade` arguments (exported for tests). */
export function parseGradeArgs(argv: string[]) {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      exercise: { type: "string", short: "e" },
      format: { type: "string", short: "f" },
      jobs: { type: "string", short: "j" },
      timeout: { type: "string" },
      memory: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return "help" as const;
  if (positionals.length === 0) throw new UsageError("no submission given (tsnb grade SUBMISSION...; see --help)");
  const format = (values.format ?? "text") as Format;
  if (!(format in FORMATS))
    throw new UsageError(`--format expects text, json, gradescope or csv, got \`${values.format}\``);
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs expects an integer from 1 up, got \`${values.jobs}\``);
  const timeoutSec = values.timeout === undefined ? DEFAULT_GRADE_OPTIONS.timeoutSec : Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    throw new UsageError(`--timeout expects a number of seconds above 0, got \`${values.timeout}\``);
  const memoryMb = values.memory === undefined ? undefined : Number(values.memory);
  if (memoryMb !== undefined && !(Number.isInteger(memoryMb) && memoryMb >= 64)) {
    throw new UsageError(`--memory expects a number of MB from 64 up, got \`${values.memory}\``);
  }
  if (values.exercise !== undefined && !EXERCISE_LIST.some((e) => e.id === values.exercise)) {
    throw new UsageError(
      `--exercise: unknown exercise \`${values.exercise}\` (known: ${EXERCISE_LIST.map((e) => e.id).join(", ")})`,
    );
  }
  return { files: positionals, format, jobs, timeoutSec, exercise: values.exercise, memoryMb };
}

/** `tsnb grade`: prints the report on stdout, progress on stderr when it is a terminal. */
export async function run(argv: string[]): Promise<number> {
  const args = parseGradeArgs(argv);
  if (args === "help") {
    console.log(HELP);
    return 0;
  }
  const tty = process.stderr.isTTY;
  const onResult = (r: GradeResult) => {
    if (tty) process.stderr.write(`graded ${r.file}: ${r.score}/${r.maxScore}${r.error ? " (incomplete)" : ""}\n`);
  };
  const results = await gradeFiles(args.files, {
    jobs: args.jobs,
    timeoutSec: args.timeoutSec,
    ...(args.memoryMb !== undefined ? { limits: { rssMb: args.memoryMb } } : {}),
    onResult,
    ...(args.exercise ? { exercise: args.exercise } : {}),
  });
  process.stdout.write(FORMATS[args.format](results));
  const unreadable = results.filter(
    (r) =>
      r.error !== undefined && r.tests.every((t) => t.output.startsWith("not run: the submission could not be read")),
  );
  for (const r of unreadable) process.stderr.write(`tsnb grade: ${r.error}\n`);
  return unreadable.length > 0 ? 1 : 0;
}
