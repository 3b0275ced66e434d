import { mkdir } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { CellExecutionError, RunAbortedError } from "../kernel/errors.ts";
import type { KernelSession } from "../kernel/session.ts";
import { joinSource, readNotebook, writeNotebook } from "../notebook/index.ts";
import type { NotebookJob, NotebookRun, RunOptions } from "./types.ts";

/** Write the partial notebook at most this often while cells run (and always at the end). */
const WRITE_EVERY_MS = 500;

/**
 * Execute one notebook in a kernel that `kernel` resolves to (started for the notebook's folder).
 * Never throws: every failure ends up in the returned NotebookRun, and the notebook as far as it
 * got is written to `job.output` (untouched when nothing ran: unreadable notebook, kernel not started).
 */
export async function runNotebook(
  job: NotebookJob,
  kernel: () => Promise<KernelSession>,
  options: RunOptions,
): Promise<NotebookRun> {
  const started = Date.now();
  const timeoutSec = options.timeoutSec ?? 120;
  const report = options.onProgress ?? (() => undefined);
  const result: NotebookRun = { input: job.input, output: job.output, ok: false, cells: 0, executed: 0, elapsedMs: 0 };
  const finish = (extra: Partial<NotebookRun>): NotebookRun => {
    Object.assign(result, extra, { elapsedMs: Date.now() - started });
    report({ type: "notebook-end", run: result });
    return result;
  };

  let nb: nbformat.INotebookContent;
  try {
    nb = await readNotebook(job.input);
  } catch (error) {
    return finish({ error: error as Error });
  }
  const code = nb.cells.flatMap((cell, index) =>
    cell.cell_type === "code" ? [{ cell: cell as nbformat.ICodeCell, index }] : [],
  );
  const runnable = code.filter(({ cell }) => joinSource(cell.source).trim() !== "");
  result.cells = runnable.length;
  report({ type: "notebook-start", input: job.input, cells: runnable.length });
  // Stale outputs in cells this run does not reach would pass for this run's: clear them all first.
  for (const { cell } of code) {
    cell.outputs = [];
    cell.execution_count = null;
  }

  let lastWrite = 0;
  const save = async (force: boolean) => {
    if (!force && Date.now() - lastWrite < WRITE_EVERY_MS) return;
    lastWrite = Date.now();
    await writeNotebook(job.output, nb);
  };
  try {
    await mkdir(path.dirname(path.resolve(job.output)), { recursive: true });
  } catch (error) {
    return finish({ error: error as Error });
  }

  let session: KernelSession;
  const kernelStarted = Date.now();
  try {
    session = await kernel();
  } catch (error) {
    // Nothing ran: leave the output file as it was (with --inplace, the notebook keeps its outputs).
    return finish({ error: error as Error });
  }
  report({ type: "kernel-ready", input: job.input, startMs: Date.now() - kernelStarted });

  const end = await runCells(session, runnable, job, options, timeoutSec, result, () => save(false));
  try {
    await save(true);
  } catch (error) {
    return finish({
      ok: false,
      error: (end.error as Error | undefined) ?? (error as Error),
      failedCell: end.failedCell,
    });
  }
  return finish(end);
}

type Runnable = { cell: nbformat.ICodeCell; index: number }[];

/** Execute the cells in order; what the run ended with (ok, or the error and the cell). */
async function runCells(
  session: KernelSession,
  runnable: Runnable,
  job: NotebookJob,
  options: RunOptions,
  timeoutSec: number,
  result: NotebookRun,
  checkpoint: () => Promise<void>,
): Promise<Partial<NotebookRun>> {
  const report = options.onProgress ?? (() => undefined);
  for (const [ordinal, { cell, index }] of runnable.entries()) {
    if (options.signal?.aborted)
      return { error: new RunAbortedError(`${job.input}: cancelled before cell ${index + 1}`), failedCell: index };
    const where = { notebook: job.input, cellIndex: index };
    report({ type: "cell-start", input: job.input, cellIndex: index, ordinal, cells: runnable.length });
    const cellStarted = Date.now();
    const outcome = await session.execute(joinSource(cell.source), { timeoutSec, where });
    cell.outputs = outcome.outputs;
    cell.execution_count = outcome.executionCount;
    result.executed += 1;
    report({
      type: "cell-end",
      input: job.input,
      cellIndex: index,
      ordinal,
      cells: runnable.length,
      status: outcome.status,
      elapsedMs: Date.now() - cellStarted,
    });
    if (options.signal?.aborted)
      return { error: new RunAbortedError(`${job.input}: cancelled in cell ${index + 1}`), failedCell: index };
    if (outcome.status !== "ok") {
      const allowed =
        options.allowErrors || (cell.metadata["tags"] as string[] | undefined)?.includes("raises-exception");
      if (outcome.status === "died" || session.dead || !allowed)
        return { error: outcome.error ?? cellError(outcome.outputs, where), failedCell: index };
    }
    await checkpoint();
  }
  return { ok: true };
}

function cellError(outputs: nbformat.IOutput[], where: { notebook: string; cellIndex: number }): CellExecutionError {
  const error = outputs.find((o) => o.output_type === "error") as nbformat.IError | undefined;
  return new CellExecutionError(error?.ename ?? "Error", error?.evalue ?? "the cell failed", where);
}
