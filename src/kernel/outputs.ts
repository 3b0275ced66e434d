import type * as nbformat from "@jupyterlab/nbformat";
import type { IOPubMessage } from "./protocol.ts";
import { diagnosticsError, isDiagnostic, runtimeError } from "./tslab-errors.ts";

/**
 * Turns iopub messages into nbformat outputs as nbclient stores them: consecutive stream text of one
 * name coalesced, `display_data` remembered by display id so `update_display_data` rewrites every
 * output with that id (in any earlier cell), `clear_output(wait)` deferred to the next output.
 * One registry per kernel session, since display ids live as long as the kernel.
 */
export class DisplayRegistry {
  private readonly byId = new Map<string, nbformat.IDisplayData[]>();

  remember(id: string, output: nbformat.IDisplayData): void {
    const list = this.byId.get(id) ?? [];
    list.push(output);
    this.byId.set(id, list);
  }

  update(id: string, data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata): void {
    for (const output of this.byId.get(id) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }

  forget(outputs: readonly nbformat.IOutput[]): void {
    for (const [id, list] of this.byId) {
      const kept = list.filter((o) => !outputs.includes(o));
      if (kept.length) this.byId.set(id, kept);
      else this.byId.delete(id);
    }
  }
}

/**
 * Stream text one cell may store: 1 Mi characters (stdout and stderr together). A cell that floods
 * (`while (true) console.log(i++)` until the timeout) would otherwise grow tsnb's memory and the
 * notebook file without bound; the rest is dropped, with a note saying so.
 */
export const MAX_STREAM_CHARS = 1 << 20;

/** The outputs of one cell, built message by message. */
export class CellOutputs {
  readonly outputs: nbformat.IOutput[] = [];
  private clearPending = false;
  /** Stderr messages, with the stream output their text went into (none when it was dropped). */
  private readonly stderr: { output?: nbformat.IStream; text: string }[] = [];
  private streamChars = 0;
  private truncated = false;

  /** @param maxStreamChars stream text kept per cell. @default MAX_STREAM_CHARS */
  constructor(
    private readonly displays: DisplayRegistry,
    private readonly maxStreamChars = MAX_STREAM_CHARS,
  ) {}

  /** Apply one iopub message. */
  add(message: IOPubMessage): void {
    switch (message.header.msg_type) {
      case "stream": {
        const { name, text } = message.content as { name: "stdout" | "stderr"; text: string };
        this.flushClear();
        if (this.streamChars + text.length > this.maxStreamChars) {
          this.truncate(name);
          // Keep only the latest dropped stderr chunk: tslab writes a runtime error as the last one.
          if (name === "stderr") {
            if (this.stderr.at(-1)?.output === undefined) this.stderr.pop();
            this.stderr.push({ text });
          }
          return;
        }
        this.streamChars += text.length;
        const last = this.outputs.at(-1);
        let output: nbformat.IStream;
        if (last?.output_type === "stream" && (last as nbformat.IStream).name === name) {
          output = last as nbformat.IStream;
          output.text = (output.text as string) + text;
        } else {
          output = { output_type: "stream", name, text };
          this.outputs.push(output);
        }
        if (name === "stderr") this.stderr.push({ output, text });
        return;
      }
      case "display_data":
      case "execute_result": {
        const content = message.content as {
          data: nbformat.IMimeBundle;
          metadata?: nbformat.OutputMetadata;
          transient?: { display_id?: string };
          execution_count?: number;
        };
        this.flushClear();
        const output =
          message.header.msg_type === "execute_result"
            ? ({
                output_type: "execute_result",
                data: content.data,
                metadata: content.metadata ?? {},
                execution_count: content.execution_count ?? null,
              } as nbformat.IExecuteResult)
            : ({
                output_type: "display_data",
                data: content.data,
                metadata: content.metadata ?? {},
              } as nbformat.IDisplayData);
        this.outputs.push(output);
        const id = content.transient?.display_id;
        if (id) this.displays.remember(id, output as nbformat.IDisplayData);
        return;
      }
      case "update_display_data": {
        const content = message.content as {
          data: nbformat.IMimeBundle;
          metadata?: nbformat.OutputMetadata;
          transient?: { display_id?: string };
        };
        const id = content.transient?.display_id;
        if (id) this.displays.update(id, content.data, content.metadata ?? {});
        return;
      }
      case "error": {
        const { ename, evalue, traceback } = message.content as { ename: string; evalue: string; traceback: string[] };
        this.flushClear();
        this.outputs.push({ output_type: "error", ename, evalue, traceback });
        return;
      }
      case "clear_output": {
        if ((message.content as { wait: boolean }).wait) this.clearPending = true;
        else this.clear();
        return;
      }
      default:
        return; // status, execute_input: not outputs
    }
  }

  /**
   * The cell failed with no `error` message (tslab): move the error text out of stderr into an
   * `error` output. Compile errors are all of the cell's diagnostics; a runtime error is the last
   * stderr chunk (`console.error(thrown)` writes it in one piece, right before the reply).
   */
  convertStderrError(): nbformat.IError {
    if (this.outputs.some((o) => o.output_type === "error"))
      return this.outputs.find((o) => o.output_type === "error") as nbformat.IError;
    const diagnostics = this.stderr.filter((s) => isDiagnostic(s.text));
    const taken = diagnostics.length > 0 ? diagnostics : this.stderr.slice(-1);
    const error =
      diagnostics.length > 0
        ? diagnosticsError(diagnostics.map((d) => d.text))
        : runtimeError(taken[0]?.text ?? "the cell failed (no message)");
    for (const { output, text } of taken.reverse()) {
      if (!output) continue; // dropped past the limit: nothing to take out
      const current = output.text as string;
      const at = current.lastIndexOf(text);
      if (at >= 0) output.text = current.slice(0, at) + current.slice(at + text.length);
    }
    for (let i = this.outputs.length - 1; i >= 0; i--) {
      const o = this.outputs[i]!;
      if (o.output_type === "stream" && (o as nbformat.IStream).text === "") this.outputs.splice(i, 1);
    }
    this.outputs.push(error);
    return error;
  }

  /** Past the limit: say once, in the stream, that the rest is dropped. */
  private truncate(name: "stdout" | "stderr"): void {
    if (this.truncated) return;
    this.truncated = true;
    const note = `\n[tsnb: output truncated: this cell wrote more than ${this.maxStreamChars} characters; the rest was dropped]\n`;
    const last = this.outputs.at(-1);
    if (last?.output_type === "stream" && (last as nbformat.IStream).name === name)
      (last as nbformat.IStream).text = ((last as nbformat.IStream).text as string) + note;
    else this.outputs.push({ output_type: "stream", name, text: note });
  }

  /** Append an error output made here (a timeout, a dead kernel). */
  addError(ename: string, evalue: string): void {
    this.outputs.push({ output_type: "error", ename, evalue, traceback: [`${ename}: ${evalue}`] });
  }

  private flushClear(): void {
    if (this.clearPending) this.clear();
  }

  private clear(): void {
    this.clearPending = false;
    this.displays.forget(this.outputs);
    this.outputs.length = 0;
    this.stderr.length = 0;
    this.streamChars = 0;
    this.truncated = false;
  }
}
