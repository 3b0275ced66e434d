import path from "node:path";
import type { NotebookRun, ProgressEvent } from "./types.ts";

/**
 * `tsnb run`'s progress: on a terminal a line when the kernel is up and one per cell
 * (`a.ipynb  cell 3/10  ok  12 ms`), elsewhere one quiet line per notebook. Written to stderr;
 * stdout stays free for scripts.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (event: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  const rel = (file: string) => path.relative(process.cwd(), file) || file;
  return (event) => {
    if (event.type === "kernel-ready" && tty) {
      stream.write(`  ${rel(event.input)}  kernel ready  ${event.startMs} ms\n`);
    } else if (event.type === "cell-end" && tty) {
      stream.write(
        `  ${rel(event.input)}  cell ${event.ordinal + 1}/${event.cells}  ${event.status}  ${event.elapsedMs} ms\n`,
      );
    } else if (event.type === "notebook-end") {
      stream.write(`${summaryLine(event.run)}\n`);
    }
  };
}

/** `ok   a.ipynb -> build/executed/a.ipynb  10/10 cells  1.8 s` or `FAIL a.ipynb ... : message`. */
export function summaryLine(run: NotebookRun): string {
  const rel = (file: string) => path.relative(process.cwd(), file) || file;
  const where = run.output === run.input ? rel(run.input) : `${rel(run.input)} -> ${rel(run.output)}`;
  const head = `${run.ok ? "ok  " : "FAIL"} ${where}  ${run.executed}/${run.cells} cells  ${(run.elapsedMs / 1000).toFixed(1)} s`;
  return run.ok ? head : `${head}\n     ${run.error?.message ?? "failed"}`;
}
