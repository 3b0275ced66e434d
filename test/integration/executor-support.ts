import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { codeCell, newNotebook, writeNotebook } from "../../src/notebook/index.ts";

/** A temporary folder for one test file; removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `tsnb-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Write a notebook of code cells and return its path. */
export async function writeCells(dir: string, name: string, sources: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeNotebook(file, newNotebook(sources.map((s, i) => codeCell(s, {}, `cell${i}`))));
  return file;
}

/** The code cells of a notebook. */
export function codeCells(nb: nbformat.INotebookContent): nbformat.ICodeCell[] {
  return nb.cells.filter((c): c is nbformat.ICodeCell => c.cell_type === "code");
}

/** The concatenated text of a cell's stream outputs of one name. */
export function streamText(cell: nbformat.ICodeCell, name: "stdout" | "stderr" = "stdout"): string {
  return cell.outputs
    .filter((o) => o.output_type === "stream" && (o as nbformat.IStream).name === name)
    .map((o) => {
      const t = (o as nbformat.IStream).text;
      return Array.isArray(t) ? t.join("") : t;
    })
    .join("");
}

/** Whether a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Poll until `check` holds, or fail after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pids of processes whose command line contains `marker` (Linux /proc; empty elsewhere). */
export async function processesWith(marker: string): Promise<number[]> {
  const { readdir, readFile } = await import("node:fs/promises");
  const entries = await readdir("/proc").catch(() => [] as string[]);
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(marker)) pids.push(Number(entry));
  }
  return pids;
}
