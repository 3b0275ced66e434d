import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../../src/execute/index.ts";
import { readNotebook } from "../../src/notebook/index.ts";
import { alive, codeCells, streamText, tempDir } from "./executor-support.ts";

// The kernel helpers through the real tslab kernel: targets written in cells (compiled by tslab's TypeScript
// 5.0 to CommonJS), imports from another cell, output of threads and processes in the cell that ran them.
const smoke = path.resolve(import.meta.dirname, "../fixtures/helpers/smoke.ipynb");
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir("helpers-smoke")));
afterAll(() => cleanup());

describe("kernel helpers in tslab (smoke notebook)", () => {
  it("runs a Thread, a Lock, a ThreadPool and a ProcessPool defined in cells, with their output in the cell", async () => {
    const output = path.join(dir, "smoke.ipynb");
    const [run] = await runNotebooks([{ input: smoke, output }], { timeoutSec: 120 });
    expect(run?.error).toBeUndefined();
    expect(run).toMatchObject({ ok: true });
    const cells = codeCells(await readNotebook(output));
    const text = cells.map((c) => streamText(c));
    // The thread's lines are in its cell, before the join's line: printed before the cell finished.
    expect(text[1]).toBe("Worker-A: step 0\nWorker-A: step 1\nWorker-A: step 2\njoined: 42\n");
    expect(text[2]).toBe("locked total: 40000 (expected 40000)\n");
    expect(text[3]).toBe("squares: 1,4,9,16,25,36,49,64; recorded 8 tasks\n");
    const shown = cells[3]?.outputs.find((o) => o.output_type === "display_data") as
      { data: Record<string, string | string[]> } | undefined;
    const html = shown?.data["text/html"];
    expect(Array.isArray(html) ? html.join("") : html).toMatch(
      /^<svg [^>]*>.*smoke: 8 tasks on 2 threads.*ThreadPool-\d+-worker-1.*ThreadPool-\d+-worker-2.*<\/svg>$/s,
    );
    const lines = text[4]?.split("\n") ?? [];
    const pids = (lines.find((l) => l.startsWith("pids: ")) ?? "").slice(6).split(",").map(Number);
    expect(lines.slice(0, 2)).toEqual([
      expect.stringMatching(/^child says \d+, parent is the kernel: true$/),
      "exit code 0, same pid back: true",
    ]);
    expect(
      lines
        .slice(2)
        .filter((l) => !l.startsWith("pids: "))
        .sort(),
    ).toEqual(["", "child pids differ from the kernel's: true", "task 1 in a child", "task 2 in a child"]);
    expect(pids).toHaveLength(2);
    expect(text[6]).toContain("ERR_CLOSURE: target `anonymous` uses `outside` from other cells");
    expect(text[7]).toBe("mapLimit: 1,2,3; lag over 100 ms: true; timeit: true\n");
    // Nothing the notebook started outlives the kernel.
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
