import { mkdir } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.ts";
import { readNotebook, writeNotebook } from "../notebook/index.ts";
import { releaseNotebook } from "./release.ts";
import { OUT_OPTION, outFlag, parseCommandArgs } from "../cli-args.ts";

export const HELP = `Usage: tsnb release NOTEBOOK... --out DIR

Turn instructor notebooks into learner notebooks: in code cells, the lines from // BEGIN SOLUTION to
// END SOLUTION become \`throw new Error("not implemented");\`; outputs are cleared; every other cell,
// cell ids and all metadata (nbgrader's solution-cell metadata included) are kept.
Writes DIR/<name>.ipynb for each notebook (atomically); the sources are never changed.`;

/** `tsnb release`. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { ...OUT_OPTION, help: { type: "boolean", short: "h" } },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("no notebook given (tsnb release NOTEBOOK... --out DIR)");
  const out = outFlag(values);
  if (out === undefined) throw new UsageError("--out DIR is required (where the learner notebooks go)");
  const targets = new Map<string, string>();
  for (const input of positionals) {
    if (!input.endsWith(".ipynb")) throw new UsageError(`${input}: not a notebook (expected a .ipynb file)`);
    const output = path.resolve(out, path.basename(input));
    if (output === path.resolve(input))
      throw new UsageError(`${input}: --out would overwrite the instructor notebook; choose another folder`);
    if (targets.has(output))
      throw new UsageError(`${targets.get(output)} and ${input} would both be written to ${output}`);
    targets.set(output, input);
  }
  // Read and release everything first: one bad notebook writes nothing.
  const released = [];
  for (const [output, input] of targets)
    released.push({ output, nb: releaseNotebook(await readNotebook(input), input) });
  await mkdir(path.resolve(out), { recursive: true });
  for (const { output, nb } of released) await writeNotebook(output, nb);
  for (const output of targets.keys()) console.log(`released ${path.relative(process.cwd(), output)}`);
  return 0;
}
