import { describe, expect, it } from "vitest";
import type { NotebookRun, ProgressEvent } from "../../src/execute/index.ts";
import type { SourceNotebook } from "../../src/site/types.ts";
import { executionProgress } from "../../src/site/cli/report.ts";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    stream: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream,
    text: () => chunks.join(""),
  };
}
const nb = (name: string): SourceNotebook => ({
  kind: "lesson",
  source: `/p/notebooks/${name}`,
  name,
  href: "",
  download: "",
  relative: "",
});
const run = (input: string, ok: boolean): NotebookRun => ({
  input,
  output: "",
  ok,
  cells: 2,
  executed: ok ? 2 : 1,
  elapsedMs: 1500,
  ...(ok ? {} : { error: new Error("cell 1: boom\nstack") }),
});

function play(isTTY: boolean): string {
  const { stream, text } = fakeStream(isTTY);
  const p = executionProgress(stream);
  p.plan([
    { notebook: nb("01-a.ipynb"), reason: "missing" },
    { notebook: nb("02-b.ipynb"), reason: "helpers changed" },
    { notebook: nb("03-c.ipynb"), reason: "source changed" },
  ]);
  const a = "/p/notebooks/01-a.ipynb";
  const events: ProgressEvent[] = [
    { type: "notebook-start", input: a, cells: 2 },
    { type: "cell-start", input: a, cellIndex: 1, ordinal: 0, cells: 2 },
    { type: "cell-end", input: a, cellIndex: 1, ordinal: 0, cells: 2, status: "ok", elapsedMs: 5 },
    { type: "cell-start", input: a, cellIndex: 2, ordinal: 1, cells: 2 },
    { type: "notebook-end", run: run(a, true) },
    { type: "notebook-start", input: "/p/notebooks/02-b.ipynb", cells: 2 },
    { type: "notebook-end", run: run("/p/notebooks/02-b.ipynb", false) },
    // Unreadable: it ends without having started.
    { type: "notebook-end", run: run("/p/notebooks/03-c.ipynb", false) },
  ];
  for (const e of events) p.event(e);
  return text();
}

describe("execution progress", () => {
  it("prints a start and an end line per notebook, with why it runs and how it ended", () => {
    expect(play(false)).toBe(
      [
        "Executing 3 lessons whose executed copy is out of date:",
        "[1/3] 01-a.ipynb: 2 cells (missing)",
        "      ok: 2/2 cells in 1.5 s",
        "[2/3] 02-b.ipynb: 2 cells (helpers changed)",
        "      FAILED: 1/2 cells in 1.5 s",
        "      cell 1: boom",
        "[3/3] 03-c.ipynb",
        "      FAILED: 1/2 cells in 1.5 s",
        "      cell 1: boom",
        "",
      ].join("\n"),
    );
  });

  it("on a terminal also shows the running cell on a line that is erased when it moves on", () => {
    const out = play(true);
    expect(out).toContain(
      "[1/3] 01-a.ipynb: 2 cells (missing)\n      cell 1/2 running…\r\x1b[2K      cell 2/2 running…\r\x1b[2K      ok: 2/2 cells",
    );
  });
});
