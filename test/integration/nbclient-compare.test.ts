import { spawn } from "node:child_process";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNotebooks } from "../../src/execute/index.ts";
import { codeCell, joinSource, readNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { need, onPath } from "../support/components.ts";
import { codeCells, tempDir } from "./executor-support.ts";
import { type JupyterServer, startJupyterServer } from "./server-support.ts";

const fixture = path.resolve(import.meta.dirname, "../fixtures/executor/ten-cells.ipynb");
const hasServer = need("jupyter-server", onPath("jupyter-server"), "sudo apt-get install jupyter-server");
const hasNbconvert = need(
  "nbconvert + nbclient",
  onPath("jupyter-nbconvert"),
  "sudo apt-get install jupyter-nbconvert python3-nbclient",
);

/** Outputs without what legitimately differs between executors: stream text coalesced, text as one string. */
function normalize(outputs: nbformat.IOutput[]): unknown[] {
  const result: Record<string, unknown>[] = [];
  for (const o of outputs) {
    if (o.output_type === "stream") {
      const s = o as nbformat.IStream;
      const last = result.at(-1);
      if (last && last["output_type"] === "stream" && last["name"] === s.name)
        last["text"] = (last["text"] as string) + joinSource(s.text);
      else result.push({ output_type: "stream", name: s.name, text: joinSource(s.text) });
    } else if (o.output_type === "display_data" || o.output_type === "execute_result") {
      const d = o as nbformat.IDisplayData;
      result.push({
        output_type: o.output_type,
        data: Object.fromEntries(
          Object.entries(d.data).map(([k, v]) => [
            k,
            typeof v === "string" || Array.isArray(v) ? joinSource(v as string | string[]) : v,
          ]),
        ),
      });
    } else result.push(o);
  }
  return result;
}

describe.skipIf(!hasServer || !hasNbconvert)("the same notebook through embedded, server and Debian's nbclient", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: JupyterServer;
  let input: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir("compare"));
    await mkdir(path.join(dir, "root"));
    input = path.join(dir, "root", "compare.ipynb");
    // The reference notebook, plus a failing cell and a fast cell right after it (inside tslab's abort window).
    const nb = await readNotebook(fixture);
    nb.cells.push(
      codeCell('throw new Error("expected failure")', {}, "fails"),
      codeCell('"after the failure"', {}, "after"),
    );
    await writeNotebook(input, nb);
    server = await startJupyterServer(dir, path.join(dir, "root"));
  });
  afterAll(async () => {
    await server?.stop();
    await cleanup();
  });

  it("gives the same outputs, with a proper error output and no aborted cell on ours", async () => {
    const embeddedOut = path.join(dir, "embedded.ipynb");
    const serverOut = path.join(dir, "server.ipynb");
    const nbclientIn = path.join(dir, "root", "nbclient.ipynb");
    await copyFile(input, nbclientIn);
    const [embedded] = await runNotebooks([{ input, output: embeddedOut }], { allowErrors: true });
    const [viaServer] = await runNotebooks([{ input, output: serverOut }], {
      allowErrors: true,
      server: { url: server.url, token: server.token },
    });
    expect(embedded?.ok).toBe(true);
    expect(viaServer?.ok).toBe(true);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        "jupyter-nbconvert",
        ["--to", "notebook", "--execute", "--allow-errors", "--inplace", nbclientIn],
        { env: server.env, stdio: "ignore" },
      );
      child.on("close", resolve);
    });
    expect(code).toBe(0);

    const [ours, theirs, served] = await Promise.all(
      [embeddedOut, nbclientIn, serverOut].map(async (f) => codeCells(await readNotebook(f))),
    );
    const n = ours!.length;
    // Every cell but the last two: identical outputs across the three. Execution counts: ours take
    // them from execute_reply (tslab sends no execute_input, so Debian's nbclient 0.7 stores null).
    for (let i = 0; i < n - 2; i++) {
      expect(normalize(ours![i]!.outputs), `cell ${i} embedded vs nbclient`).toEqual(normalize(theirs![i]!.outputs));
      expect(normalize(served![i]!.outputs), `cell ${i} server vs nbclient`).toEqual(normalize(theirs![i]!.outputs));
      expect([ours![i]!.execution_count, served![i]!.execution_count]).toEqual([i + 1, i + 1]);
    }
    // The failing cell: nbclient keeps tslab's stderr text; ours is an nbformat error output.
    expect(theirs![n - 2]!.outputs.map((o) => o.output_type)).toEqual(["stream"]);
    for (const cells of [ours!, served!]) {
      expect(cells[n - 2]!.outputs).toMatchObject([
        { output_type: "error", ename: "Error", evalue: "expected failure" },
      ]);
      // The cell right after the failure ran on ours; nbclient's request landed in tslab's abort window.
      expect(normalize(cells[n - 1]!.outputs)).toEqual([
        { output_type: "stream", name: "stdout", text: "after the failure\n" },
      ]);
    }
    expect(theirs![n - 1]!.outputs).toEqual([]);
  });
});
