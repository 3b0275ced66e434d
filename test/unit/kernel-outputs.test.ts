import { describe, expect, it } from "vitest";
import { CellOutputs, DisplayRegistry } from "../../src/kernel/outputs.ts";
import type { IOPubMessage } from "../../src/kernel/protocol.ts";
import { runtimeError } from "../../src/kernel/tslab-errors.ts";

const msg = (msg_type: string, content: unknown) =>
  ({ header: { msg_type }, parent_header: {}, metadata: {}, content }) as unknown as IOPubMessage;
const stream = (name: "stdout" | "stderr", text: string) => msg("stream", { name, text });

describe("CellOutputs (outputs as nbclient stores them)", () => {
  it("coalesces consecutive streams of one name only", () => {
    const cell = new CellOutputs(new DisplayRegistry());
    for (const m of [stream("stdout", "a"), stream("stdout", "b\n"), stream("stderr", "e\n"), stream("stdout", "c\n")])
      cell.add(m);
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "e\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("updates displays by id across cells, and drops transient from stored outputs", () => {
    const displays = new DisplayRegistry();
    const first = new CellOutputs(displays);
    first.add(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }));
    const second = new CellOutputs(displays);
    second.add(
      msg("update_display_data", {
        data: { "text/plain": "100%" },
        metadata: { done: true },
        transient: { display_id: "bar" },
      }),
    );
    second.add(
      msg("update_display_data", {
        data: { "text/plain": "ignored" },
        metadata: {},
        transient: { display_id: "unknown" },
      }),
    );
    expect(first.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "100%" }, metadata: { done: true } },
    ]);
    expect(second.outputs).toEqual([]);
  });

  it("clears at once, or at the next output with wait: true", () => {
    const cell = new CellOutputs(new DisplayRegistry());
    cell.add(stream("stdout", "old\n"));
    cell.add(msg("clear_output", { wait: true }));
    expect(cell.outputs).toHaveLength(1);
    cell.add(stream("stdout", "new\n"));
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "new\n" }]);
    cell.add(msg("clear_output", { wait: false }));
    expect(cell.outputs).toEqual([]);
  });

  it("keeps at most the stream limit per cell, notes the truncation once, and still finds tslab's error text", () => {
    const cell = new CellOutputs(new DisplayRegistry(), 10);
    for (const m of [
      stream("stdout", "12345"),
      stream("stdout", "6789"),
      stream("stdout", "overflow\n"),
      stream("stdout", "more\n"),
      stream("stderr", "flood\n"),
    ])
      cell.add(m);
    cell.add(stream("stderr", "Error: late failure\n    at <anonymous>:1:7\n"));
    const note = "\n[tsnb: output truncated: this cell wrote more than 10 characters; the rest was dropped]\n";
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: `123456789${note}` }]);
    cell.convertStderrError();
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: `123456789${note}` },
      expect.objectContaining({ output_type: "error", ename: "Error", evalue: "late failure" }),
    ]);
  });

  it("counts the limit afresh after clear_output (a progress display may write forever)", () => {
    const cell = new CellOutputs(new DisplayRegistry(), 10);
    for (let i = 0; i < 5; i++) {
      cell.add(msg("clear_output", { wait: true }));
      cell.add(stream("stdout", `step ${i}\n`));
    }
    expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "step 4\n" }]);
  });

  it("stores execute_result and error messages", () => {
    const cell = new CellOutputs(new DisplayRegistry());
    cell.add(msg("execute_result", { data: { "text/plain": "3" }, metadata: {}, execution_count: 4 }));
    cell.add(msg("error", { ename: "E", evalue: "v", traceback: ["E: v"] }));
    expect(cell.outputs).toEqual([
      { output_type: "execute_result", data: { "text/plain": "3" }, metadata: {}, execution_count: 4 },
      { output_type: "error", ename: "E", evalue: "v", traceback: ["E: v"] },
    ]);
  });

  it("moves tslab's error text out of stderr into an error output, keeping earlier stderr", () => {
    const cell = new CellOutputs(new DisplayRegistry());
    cell.add(stream("stderr", "a warning\n"));
    cell.add(
      stream(
        "stderr",
        "TypeError: x is not a function\n    at evalmachine.<anonymous>:3:1\n    at Script.runInThisContext (node:vm:135:14)\n",
      ),
    );
    cell.convertStderrError();
    expect(cell.outputs).toEqual([
      { output_type: "stream", name: "stderr", text: "a warning\n" },
      {
        output_type: "error",
        ename: "TypeError",
        evalue: "x is not a function",
        traceback: ["TypeError: x is not a function", "    at evalmachine.<anonymous>:3:1"],
      },
    ]);
  });

  it("gathers every TypeScript diagnostic of a cell into one TSError", () => {
    const cell = new CellOutputs(new DisplayRegistry());
    cell.add(stream("stderr", "1:7 - Type 'string' is not assignable to type 'number'.\n"));
    cell.add(stream("stderr", "2:1 - Cannot find name 'nope'.\n"));
    const error = cell.convertStderrError();
    expect(cell.outputs).toEqual([error]);
    expect(error).toEqual({
      output_type: "error",
      ename: "TSError",
      evalue: "1:7 - Type 'string' is not assignable to type 'number'.",
      traceback: [
        "TSError: 2 TypeScript errors (the cell did not run)",
        "  1:7 - Type 'string' is not assignable to type 'number'.",
        "  2:1 - Cannot find name 'nope'.",
      ],
    });
  });
});

describe("runtimeError (parsing console.error(thrown) text)", () => {
  it("drops the source-context header of a synchronous throw", () => {
    const text =
      'evalmachine.<anonymous>:2\nthrow new Error("boom");\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n    at sigintHandlersWrap (node:vm:280:12)\n';
    expect(runtimeError(text)).toEqual({
      output_type: "error",
      ename: "Error",
      evalue: "boom",
      traceback: ["Error: boom", "    at evalmachine.<anonymous>:2:7"],
    });
  });

  it("reads a coded error name and a multi-line message", () => {
    expect(runtimeError("Error [ERR_X]: line one\nline two\n    at f (x.ts:1:1)\n")).toMatchObject({
      ename: "Error",
      evalue: "line one\nline two",
    });
  });

  it("keeps a thrown non-Error value as the value", () => {
    expect(runtimeError("just a string\n")).toEqual({
      output_type: "error",
      ename: "Error",
      evalue: "just a string",
      traceback: ["just a string"],
    });
  });
});
