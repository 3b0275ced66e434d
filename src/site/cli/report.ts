import path from "node:path";
import type { ProgressEvent } from "../../execute/index.ts";
import type { SitePage, SiteSummary, SourceNotebook, StaleReason } from "../types.ts";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Progress of the lessons being executed, to stderr. Every notebook gets a start line
 * (`[2/5] 03-threads-vs-processes.ipynb: 14 cells (source changed)`) and an end line; on a terminal
 * the current cell is also shown on a line that rewrites itself, so a slow cell is never silent.
 */
export function executionProgress(stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  const order = new Map<string, number>();
  const reasons = new Map<string, StaleReason>();
  const started = new Set<string>();
  let total = 0;
  let live = false;
  const endLive = () => {
    if (live) stream.write("\r\x1b[2K");
    live = false;
  };
  return {
    /** The lessons about to run, in order. */
    plan(stale: { notebook: SourceNotebook; reason: StaleReason }[]): void {
      total = stale.length;
      stale.forEach(({ notebook, reason }, i) => {
        order.set(notebook.source, i + 1);
        reasons.set(notebook.source, reason);
      });
      stream.write(`Executing ${total} lesson${total === 1 ? "" : "s"} whose executed copy is out of date:\n`);
    },
    event(event: ProgressEvent): void {
      const name = (file: string) => path.basename(file);
      if (event.type === "notebook-start") {
        endLive();
        started.add(event.input);
        const reason = reasons.get(event.input);
        stream.write(
          `[${order.get(event.input) ?? "?"}/${total}] ${name(event.input)}: ${event.cells} cells${reason ? ` (${reason})` : ""}\n`,
        );
      } else if (event.type === "cell-start" && tty) {
        endLive();
        stream.write(`      cell ${event.ordinal + 1}/${event.cells} running…`);
        live = true;
      } else if (event.type === "notebook-end") {
        endLive();
        const run = event.run;
        // A notebook that could not even be read ends without having started.
        if (!started.has(run.input)) stream.write(`[${order.get(run.input) ?? "?"}/${total}] ${name(run.input)}\n`);
        const head = `      ${run.ok ? "ok" : "FAILED"}: ${run.executed}/${run.cells} cells in ${seconds(run.elapsedMs)}`;
        stream.write(run.ok ? `${head}\n` : `${head}\n      ${(run.error?.message ?? "failed").split("\n")[0]}\n`);
      }
    },
  };
}

function statusWord(p: SitePage): string {
  if (p.kind === "exercise") return p.status === "invalid" ? "INVALID" : "exercise";
  switch (p.status) {
    case "executed":
      return "executed";
    case "cached":
      return p.stale ? `not re-run (${p.stale})` : "up to date";
    case "failed":
      return "FAILED";
    case "invalid":
      return "INVALID";
    case "stored":
      return p.stale ? "not executed" : "as stored";
  }
}

/**
 * The summary table printed after a build: one row per notebook with how its page came about, the
 * cells executed and the time, then the failures' messages.
 * ```
 * notebook                        status      cells   time
 * 00-overview.ipynb               executed    12/12   3.9 s
 * 03-threads-vs-processes.ipynb   up to date
 * exercises/safe-counter.ipynb    exercise
 * ```
 */
export function summaryTable(summary: SiteSummary, notebooksRoot: string): string {
  const rows = summary.pages.map((p) => {
    const name = path.relative(notebooksRoot, p.source).split(path.sep).join("/");
    const cells = p.run ? `${p.run.executed}/${p.run.cells}` : "";
    const time = p.run ? seconds(p.run.elapsedMs) : "";
    return [name, statusWord(p), cells, time];
  });
  const header = ["notebook", "status", "cells", "time"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("   ")
      .trimEnd();
  const problems = summary.pages
    .filter((p) => p.status === "failed" || p.status === "invalid")
    .map((p) => `  ${path.relative(notebooksRoot, p.source)}: ${(p.error ?? "failed").split("\n")[0]}`);
  return [line(header), ...rows.map(line), ...(problems.length ? ["", "Failures:", ...problems] : [])].join("\n");
}
