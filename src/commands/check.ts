import { readFile, stat } from "node:fs/promises";
import { parseCommandArgs } from "../cli-args.ts";
import { UsageError } from "../errors.ts";
import { walkFiles } from "../fs-walk.ts";
import { formatNotebook, formatProblem, loadNotebook, writeFileAtomic, type NotebookProblem } from "../notebook/index.ts";

export const HELP = `Usage: tsnb check NOTEBOOK... [--fix]

Validate notebooks as Jupyter's nbformat does: against nbformat's JSON schema for the notebook's
version (3.0, 4.0 to 4.5; a newer 4.x as nbformat validates it), with unique, well-formed cell ids
from 4.5 on. Every problem is printed as FILE:LINE:COLUMN: PATH: MESSAGE. A folder means every .ipynb
below it.

  --fix        upgrade nbformat 3 and 4.0-4.4 to 4.5, add missing cell ids, replace repeated ones, and
               rewrite each notebook exactly as Jupyter (nbformat.writes) writes it; written atomically,
               and a notebook already written so is not touched
  -h, --help   this help

Exit status: 0 every notebook valid (with --fix: and written), 1 a notebook is invalid or unreadable,
2 bad usage.

Examples:
  npx tsnb check notebooks/
  npx tsnb check --fix downloaded.ipynb`;

/** What checking one notebook found, and what --fix did. */
export interface CheckResult {
  file: string;
  problems: NotebookProblem[];
  /** Without --fix: the version of a valid notebook that --fix would upgrade (`"3.0"`, `"4.4"`). */
  upgradable?: string;
  /** With --fix: what was done (`upgraded from nbformat 4.4`, `2 cell ids added or replaced`, `rewritten`). */
  fixed?: string[];
}

/** Check one notebook; with `fix`, rewrite it as nbformat writes it when that changes it and it is valid. */
export async function checkNotebook(file: string, fix = false): Promise<CheckResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { file, problems: [{ path: [], message: e.code === "ENOENT" ? "no such file" : `cannot read (${e.message})` }] };
  }
  const strict = loadNotebook(bytes, { repairIds: false });
  if (!fix) return { file, problems: strict.problems, ...(strict.upgradedFrom && !strict.problems.length ? { upgradable: strict.upgradedFrom } : {}) };
  const repaired = loadNotebook(bytes, { repairIds: true });
  if (repaired.problems.length || !repaired.notebook) return { file, problems: repaired.problems };
  const text = formatNotebook(repaired.notebook);
  if (text === bytes.toString("utf8")) return { file, problems: [], fixed: [] };
  await writeFileAtomic(file, text);
  const fixed: string[] = [];
  if (repaired.upgradedFrom) fixed.push(`upgraded from nbformat ${repaired.upgradedFrom} to 4.5`);
  if (repaired.idsRepaired) fixed.push(`${repaired.idsRepaired} cell id${repaired.idsRepaired === 1 ? "" : "s"} added or replaced`);
  if (!fixed.length) fixed.push("rewritten as Jupyter writes it");
  return { file, problems: [], fixed };
}

/** The notebooks named: files as given, folders walked for .ipynb files (checkpoints skipped). */
async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(p);
      continue;
    }
    const found: string[] = [];
    for await (const { full } of walkFiles(p, (e) => e.name === ".ipynb_checkpoints" || e.name === "node_modules")) {
      if (full.endsWith(".ipynb")) found.push(full);
    }
    files.push(...found.sort());
  }
  return files;
}

/** `tsnb check NOTEBOOK... [--fix]`: exit 0 when every notebook is valid, 1 otherwise. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { fix: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("name at least one notebook (see --help)");
  const files = await expand(positionals);
  let invalid = 0;
  for (const file of files) {
    // One notebook at a time: a failure is reported and the next one is still checked.
    const result = await checkNotebook(file, values.fix).catch((error: Error): CheckResult => ({ file, problems: [{ path: [], message: `cannot write (${error.message})` }] }));
    for (const p of result.problems) console.log(formatProblem(file, p));
    if (result.problems.length) invalid++;
    if (result.fixed?.length) console.log(`${file}: fixed: ${result.fixed.join("; ")}`);
    if (result.upgradable) console.error(`${file}: valid nbformat ${result.upgradable}; --fix upgrades it to 4.5 as JupyterLab does on save`);
  }
  if (files.length > 1 || invalid) console.error(`${files.length} notebook${files.length === 1 ? "" : "s"} checked, ${invalid} invalid`);
  return invalid ? 1 : 0;
}
