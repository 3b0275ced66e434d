import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../src/execute/index.ts";
import { progressPrinter, summaryLine } from "../../src/execute/progress.ts";
import { CellExecutionError } from "../../src/kernel/errors.ts";

/** A stream that records what was written, a terminal or not. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; lines: () => string[] } {
  let text = "";
  const stream = { isTTY, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, lines: () => text.split("\n").slice(0, -1) };
}

const input = path.join(process.cwd(), "lesson.ipynb");
const output = path.join(process.cwd(), "build", "executed", "lesson.ipynb");
const events: ProgressEvent[] = [
  { type: "notebook-start", input, cells: 2 },
  { type: "kernel-ready", input, startMs: 1200 },
  { type: "cell-start", input, cellIndex: 1, ordinal: 0, cells: 2 },
  { type: "cell-end", input, cellIndex: 1, ordinal: 0, cells: 2, status: "ok", elapsedMs: 12 },
  { type: "cell-start", input, cellIndex: 3, ordinal: 1, cells: 2 },
  { type: "cell-end", input, cellIndex: 3, ordinal: 1, cells: 2, status: "error", elapsedMs: 30 },
  {
    type: "notebook-end",
    run: {
      input,
      output,
      ok: false,
      cells: 2,
      executed: 2,
      failedCell: 3,
      elapsedMs: 1540,
      error: new CellExecutionError("Error", "boom", { notebook: "lesson.ipynb", cellIndex: 3 }),
    },
  },
];

describe("tsnb run progress", () => {
  it("prints a line when the kernel is up and one per cell on a terminal, then the notebook's summary", () => {
    const { stream, lines } = fakeStream(true);
    const print = progressPrinter(stream);
    events.forEach(print);
    expect(lines()).toEqual([
      "  lesson.ipynb  kernel ready  1200 ms",
      "  lesson.ipynb  cell 1/2  ok  12 ms",
      "  lesson.ipynb  cell 2/2  error  30 ms",
      "FAIL lesson.ipynb -> build/executed/lesson.ipynb  2/2 cells  1.5 s",
      "     lesson.ipynb, cell 4: Error: boom",
    ]);
  });

  it("prints one quiet line per notebook elsewhere (a pipe, CI)", () => {
    const { stream, lines } = fakeStream(false);
    const print = progressPrinter(stream);
    events.forEach(print);
    expect(lines()).toEqual([
      "FAIL lesson.ipynb -> build/executed/lesson.ipynb  2/2 cells  1.5 s",
      "     lesson.ipynb, cell 4: Error: boom",
    ]);
  });

  it("names only the notebook when it is executed in place", () => {
    expect(summaryLine({ input, output: input, ok: true, cells: 10, executed: 10, elapsedMs: 950 })).toBe(
      "ok   lesson.ipynb  10/10 cells  0.9 s",
    );
  });
});
