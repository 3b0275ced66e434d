/** An error of a cell as an error output: its name and message, and the cell line it came from. */
import { format } from "../node/util";

const FRAME = /cell-(\d+)\.ts:(\d+):(\d+)/;

/** The source of each cell run so far, by cell number: an error may come from a function another cell defined. */
export const cellSources = new Map<number, string>();

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Describes `error` thrown by cell `cell` (whose source is `source`). */
export function cellError(error: unknown, cell: number, source: string): CellError {
  if (!(error instanceof Error)) {
    return { ename: "Error", evalue: `Uncaught ${format(error)}`, traceback: [`Uncaught ${format(error)}`] };
  }
  let lines = source.split("\n");
  let line: number | undefined;
  let column = 0;
  let where = "this cell";
  const loc = (error as { loc?: { line: number; column: number } }).loc;
  const position = /\((\d+):(\d+)\)/.exec(error.message);
  if (loc) {
    line = loc.line;
    column = loc.column;
  } else if (error.name === "SyntaxError" && position) {
    line = Number(position[1]);
    column = Number(position[2]);
  } else {
    const frame = FRAME.exec(error.stack ?? "");
    const other = frame ? cellSources.get(Number(frame[1])) : undefined;
    if (frame && (Number(frame[1]) === cell || other !== undefined)) {
      line = Number(frame[2]);
      column = Number(frame[3]) - 1;
      if (Number(frame[1]) !== cell) {
        where = `cell ${frame[1]}`;
        lines = other!.split("\n");
      }
    }
  }
  const traceback = [`${error.name}: ${error.message}`];
  if (line !== undefined && lines[line - 1] !== undefined) {
    const text = lines[line - 1]!;
    traceback.push(`    at line ${line} of ${where}:`, `    ${text}`, `    ${" ".repeat(Math.max(0, Math.min(column, text.length)))}^`);
  }
  const remote = (error as { remoteStack?: string }).remoteStack;
  if (typeof remote === "string") traceback.push(remote);
  return { ename: error.name, evalue: error.message, traceback };
}
