import type * as nbformat from "@jupyterlab/nbformat";

/**
 * tslab reports a failing cell as stderr text plus `execute_reply.status = "error"`, never as an
 * `error` message. These functions turn that text into an nbformat `error` output, so JupyterLab,
 * graders and renderers see an error with a name, a value and a traceback.
 */

/** A TypeScript diagnostic line as tslab prints it: `[file ]LINE:COL - message`. */
const DIAGNOSTIC = /^(?:(\S+) )?(\d+):(\d+) - ([\s\S]*)$/;
/** The first line of `util.inspect(error)`: `Name: message` or `Name [CODE]: message`. */
const ERROR_HEAD = /^([A-Za-z_$][\w$.]*)(?: \[([^\]]+)\])?: ?([\s\S]*)$/;
const FRAME = /^\s+at /;

/** Whether a stderr chunk is a TypeScript diagnostic (a compile error: the cell did not run). */
export function isDiagnostic(text: string): boolean {
  return DIAGNOSTIC.test(text.trimEnd());
}

/** Frames of tslab's own machinery and of Node's internals: noise in a learner's traceback. */
function isNoiseFrame(line: string): boolean {
  return (
    FRAME.test(line) &&
    /node_modules[\\/]tslab[\\/]|node:internal|node:vm|sigintHandlersWrap|processTicksAndRejections/.test(line)
  );
}

/** An `error` output from TypeScript diagnostics (`TSError`, the first diagnostic as the value). */
export function diagnosticsError(chunks: readonly string[]): nbformat.IError {
  const lines = chunks.flatMap((c) => c.trimEnd().split("\n"));
  const first = DIAGNOSTIC.exec(chunks[0]?.trimEnd() ?? "");
  const evalue = first ? `${first[2]}:${first[3]} - ${first[4]}` : (lines[0] ?? "compile error");
  const count = chunks.length;
  return {
    output_type: "error",
    ename: "TSError",
    evalue,
    traceback: [
      `TSError: ${count} TypeScript error${count === 1 ? "" : "s"} (the cell did not run)`,
      ...lines.map((l) => `  ${l}`),
    ],
  };
}

/** An `error` output from `console.error(thrown)` text: `Name: message` then stack frames. */
export function runtimeError(text: string): nbformat.IError {
  let lines = text.trimEnd().split("\n");
  // A synchronous throw is printed with the source line first (`evalmachine.<anonymous>:2`, the
  // line, a caret, a blank line): that context points into compiled code, so it goes.
  if (/^evalmachine\.<anonymous>:\d+$/.test(lines[0] ?? "")) {
    const blank = lines.indexOf("");
    if (blank > 0) lines = lines.slice(blank + 1);
  }
  const frameAt = lines.findIndex((l) => FRAME.test(l));
  const head = (frameAt < 0 ? lines : lines.slice(0, frameAt)).join("\n");
  const match = ERROR_HEAD.exec(head);
  const ename = match ? match[1]! : "Error";
  const evalue = match ? match[3]!.trim() : head.trim();
  return { output_type: "error", ename, evalue, traceback: lines.filter((l) => !isNoiseFrame(l)) };
}
