// Executes every lesson notebook through the embedded executor (as `npm start` and CI do), two at a
// time, each in a fresh kernel with its folder as working directory, and checks what each printed.
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks, type NotebookRun } from "../../src/execute/index.ts";
import { joinSource, readNotebook } from "../../src/notebook/index.ts";
import { keyLineChecks } from "./key-lines.ts";
import { lessonNotebooks, repoRoot } from "./notebooks.ts";

const notebooks = lessonNotebooks();
const outDir = path.join(repoRoot, ".tsnb-tmp", `lesson-test-${process.pid}`);
const runs = new Map<string, { run: NotebookRun; nb: nbformat.INotebookContent }>();

/** Everything a notebook printed or displayed as text, in cell order. */
function printed(nb: nbformat.INotebookContent): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    for (const out of cell.outputs as nbformat.IOutput[]) {
      if (out.output_type === "stream") parts.push(joinSource((out as nbformat.IStream).text));
      else if (out.output_type === "execute_result" || out.output_type === "display_data") {
        const data = (out as nbformat.IDisplayData).data;
        if (data["text/plain"] !== undefined) parts.push(joinSource(data["text/plain"] as nbformat.MultilineString));
      }
    }
  }
  return parts.join("");
}

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  const jobs = notebooks.map((input) => ({ input, output: path.join(outDir, path.basename(input)) }));
  const results = await runNotebooks(jobs, { jobs: 2, timeoutSec: 120 });
  for (const run of results) {
    const nb = run.executed > 0 ? await readNotebook(run.output).catch(() => undefined) : undefined;
    runs.set(path.basename(run.input), { run, nb: nb ?? { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } });
  }
  // How long each took (a figure for the lesson's budget, not an assertion: timing on shared cores is noise).
  console.log(results.map((r) => `${path.basename(r.input)}: ${(r.elapsedMs / 1000).toFixed(1)} s${r.ok ? "" : " (failed)"}`).join("\n"));
}, 15 * 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe("the lesson notebooks, executed", () => {
  it("include a notebook for each of the first sections", () => {
    const names = notebooks.map((f) => path.basename(f));
    for (const prefix of ["00-", "01-", "02-", "03-", "04-", "05-"]) expect(names.some((n) => n.startsWith(prefix)), prefix).toBe(true);
  });

  describe.each(notebooks.map((f) => path.basename(f)))("%s", (name) => {
    it("runs top to bottom in a fresh kernel with no error output", () => {
      const { run, nb } = runs.get(name)!;
      const errors = nb.cells.flatMap((c, i) =>
        c.cell_type === "code" ? (c.outputs as nbformat.IOutput[]).filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${String((o as nbformat.IError).ename)}: ${String((o as nbformat.IError).evalue)}`) : [],
      );
      expect(errors).toEqual([]);
      expect(run.error?.message, `failed at cell ${run.failedCell}`).toBeUndefined();
      expect(run.ok).toBe(true);
      expect(run.executed).toBe(run.cells);
    });

    const check = Object.entries(keyLineChecks).find(([prefix]) => name.startsWith(prefix))?.[1];
    it.skipIf(!check)("prints the lesson's key lines, consistent with its own computation", () => {
      check!(printed(runs.get(name)!.nb));
    });
  });
});
