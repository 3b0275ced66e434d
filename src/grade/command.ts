import { mkdir } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.ts";
import { writeFileAtomic } from "../notebook/index.ts";
import { gradeFiles } from "./batch.ts";
import { EXERCISE_LIST } from "./exercises.ts";
import { DEFAULT_GRADE_OPTIONS } from "./grade.ts";
import { DEFAULT_LIMITS } from "./sandbox/limits.ts";
import { formatCsv } from "./report/csv.ts";
import { formatGradescope } from "./report/gradescope.ts";
import { learnerFromFile, learnerFromMetadata, LEARNER_ID_KEY, type LearnerIdSource } from "./report/learner-id.ts";
import { formatJson } from "./report/json.ts";
import { formatText } from "./report/text.ts";
import type { GradeResult } from "./types.ts";
import {
  JOBS_OPTION,
  OUT_OPTION,
  TIMEOUT_OPTION,
  jobsFlag,
  outFlag,
  parseCommandArgs,
  secondsFlag,
} from "../cli-args.ts";

export const HELP = `Usage: tsnb grade SUBMISSION... [--exercise ID] [--format text|json|gradescope|csv] [--out DIR]
                  [--id-from file|metadata] [--jobs N] [--timeout S]

Grade exercise submissions with the exercises' vitest suites. A submission is an exercise notebook
(.ipynb: its solution cells, found by metadata.nbgrader.grade_id) or a .ts file (name the exercise
with --exercise). Each runs in its own sandbox process with time, memory and output limits.

  -e, --exercise ID   grade as this exercise (${EXERCISE_LIST.map((e) => e.id).join(", ")})
  -f, --format F      text (default: each test, points, why it failed), json, gradescope
                      (Gradescope's results.json: one object per submission), csv (a gradebook:
                      a row per learner and exercise, the learner first)
  -o, --out DIR       with --format gradescope: write DIR/<learner>.json for each submission
                      (needed for several submissions: a results.json holds one)
  --id-from SRC       the csv's learner column: file (default: the submission's name, or its
                      folder's when the name is the exercise id) or metadata (the notebook's
                      metadata.${LEARNER_ID_KEY})
  -j, --jobs N        submissions graded at once (default: 1)
  --timeout S         limit for one submission's whole suite, in seconds (default: ${DEFAULT_GRADE_OPTIONS.timeoutSec})
  --memory MB         memory limit of a submission's process, worker threads included (default: ${DEFAULT_LIMITS.rssMb})

Example: npx tsnb grade notebooks/exercises/safe-counter.ipynb
Exit status: 0 when grading completed (whatever the score), 1 when a submission could not be read, 2 on bad usage.`;

const FORMATS = ["text", "json", "gradescope", "csv"] as const;
type Format = (typeof FORMATS)[number];

/** Parse `tsnb grade` arguments (exported for tests). */
export function parseGradeArgs(argv: string[]) {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      exercise: { type: "string", short: "e" },
      format: { type: "string", short: "f" },
      ...JOBS_OPTION,
      ...TIMEOUT_OPTION,
      memory: { type: "string" },
      ...OUT_OPTION,
      "id-from": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return "help" as const;
  if (positionals.length === 0) throw new UsageError("no submission given (tsnb grade SUBMISSION...; see --help)");
  const format = (values.format ?? "text") as Format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format expects text, json, gradescope or csv, got \`${values.format}\``);
  const jobs = jobsFlag(values.jobs);
  const timeoutSec = secondsFlag("--timeout", values.timeout, DEFAULT_GRADE_OPTIONS.timeoutSec);
  const out = outFlag(values);
  const memoryMb = values.memory === undefined ? undefined : Number(values.memory);
  if (memoryMb !== undefined && !(Number.isInteger(memoryMb) && memoryMb >= 64)) {
    throw new UsageError(`--memory expects a number of MB from 64 up, got \`${values.memory}\``);
  }
  if (values.exercise !== undefined && !EXERCISE_LIST.some((e) => e.id === values.exercise)) {
    throw new UsageError(
      `--exercise: unknown exercise \`${values.exercise}\` (known: ${EXERCISE_LIST.map((e) => e.id).join(", ")})`,
    );
  }
  const idFrom = (values["id-from"] ?? "file") as LearnerIdSource;
  if (idFrom !== "file" && idFrom !== "metadata")
    throw new UsageError(`--id-from expects file or metadata, got \`${values["id-from"]}\``);
  if (values["id-from"] !== undefined && format !== "csv")
    throw new UsageError("--id-from names the learner column of --format csv; add --format csv");
  if (out !== undefined && format !== "gradescope")
    throw new UsageError("--out DIR writes one results.json per submission: it goes with --format gradescope");
  if (format === "gradescope" && positionals.length > 1 && out === undefined)
    throw new UsageError(
      `--format gradescope with ${positionals.length} submissions: a results.json holds one submission, so add --out DIR (one file per submission)`,
    );
  return { files: positionals, format, jobs, timeoutSec, exercise: values.exercise, memoryMb, out, idFrom };
}

/** Where `--out DIR` puts each submission's results.json; refuses two submissions that would share a file. */
export function resultFiles(files: readonly string[], dir: string, exerciseIds: readonly string[]): string[] {
  const seen = new Map<string, string>();
  return files.map((file) => {
    const target = path.resolve(dir, `${learnerFromFile(file, exerciseIds)}.json`);
    const other = seen.get(target);
    if (other !== undefined)
      throw new UsageError(`${other} and ${file} would both be written to ${target}: rename one, or grade them apart`);
    seen.set(target, file);
    return target;
  });
}

/** The csv's learner column, in the order of `results`; a missing metadata id falls back to the file name, with a warning. */
async function learners(results: readonly GradeResult[], source: LearnerIdSource, ids: readonly string[]) {
  return Promise.all(
    results.map(async (r) => {
      const byFile = learnerFromFile(r.file, ids);
      if (source === "file") return byFile;
      const found = await learnerFromMetadata(r.file);
      if ("id" in found) return found.id;
      process.stderr.write(`tsnb grade: ${found.problem}; the learner column says "${byFile}" (its file name)\n`);
      return byFile;
    }),
  );
}

/** `tsnb grade`: prints the report on stdout, progress on stderr when it is a terminal. */
export async function run(argv: string[]): Promise<number> {
  const args = parseGradeArgs(argv);
  if (args === "help") {
    console.log(HELP);
    return 0;
  }
  const ids = EXERCISE_LIST.map((e) => e.id);
  // Checked before grading: a clash found afterwards would waste the whole run.
  const targets = args.out === undefined ? undefined : resultFiles(args.files, args.out, ids);
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
  if (args.format === "gradescope" && targets && args.out !== undefined) {
    await mkdir(args.out, { recursive: true });
    for (const [i, r] of results.entries()) {
      await writeFileAtomic(targets[i]!, formatGradescope([r]));
      if (tty) process.stderr.write(`wrote ${path.relative(process.cwd(), targets[i]!)}\n`);
    }
  } else if (args.format === "gradescope") process.stdout.write(formatGradescope(results));
  else if (args.format === "csv") process.stdout.write(formatCsv(results, await learners(results, args.idFrom, ids)));
  else process.stdout.write((args.format === "json" ? formatJson : formatText)(results));
  const unreadable = results.filter(
    (r) =>
      r.error !== undefined && r.tests.every((t) => t.output.startsWith("not run: the submission could not be read")),
  );
  for (const r of unreadable) process.stderr.write(`tsnb grade: ${r.error}\n`);
  return unreadable.length > 0 ? 1 : 0;
}
