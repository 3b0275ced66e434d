import { CourseError } from "../errors.ts";

/** Where a cell failed: the notebook file and the 0-based cell index (absent outside a notebook). */
export interface CellPlace {
  notebook?: string | undefined;
  cellIndex?: number | undefined;
}

function place({ notebook, cellIndex }: CellPlace): string {
  if (notebook === undefined) return cellIndex === undefined ? "" : `cell ${cellIndex + 1}: `;
  return `${notebook}${cellIndex === undefined ? "" : `, cell ${cellIndex + 1}`}: `;
}

/** The kernel did not answer `kernel_info` in time, or could not be spawned. Code `ERR_KERNEL_START`. */
export class KernelStartError extends CourseError {
  /** The kernel process exited before it answered (rather than a timeout or a missing folder). */
  readonly exited: boolean;
  /** One of its ports was taken by another process before the kernel could bind it (start again on others). */
  readonly portTaken: boolean;
  constructor(message: string, options?: { cause?: unknown; exited?: boolean; portTaken?: boolean }) {
    super("ERR_KERNEL_START", message, options);
    this.exited = options?.exited ?? false;
    this.portTaken = options?.portTaken ?? false;
  }
}

/** The kernel process exited (crash, SIGKILL, `process.exit` in a cell) while work was pending. Code `ERR_KERNEL_DIED`. */
export class KernelDiedError extends CourseError {
  readonly notebook: string | undefined;
  readonly cellIndex: number | undefined;
  constructor(detail: string, where: CellPlace = {}, options?: { cause?: unknown }) {
    super("ERR_KERNEL_DIED", `${place(where)}the kernel died (${detail})`, options);
    this.notebook = where.notebook;
    this.cellIndex = where.cellIndex;
  }
}

/** A cell ran longer than the per-cell timeout; it was interrupted. Code `ERR_CELL_TIMEOUT`. */
export class CellTimeoutError extends CourseError {
  readonly notebook: string | undefined;
  readonly cellIndex: number | undefined;
  readonly timeoutSec: number;
  constructor(timeoutSec: number, where: CellPlace = {}, detail = "interrupted") {
    super("ERR_CELL_TIMEOUT", `${place(where)}cell timed out after ${timeoutSec} s (${detail})`);
    this.notebook = where.notebook;
    this.cellIndex = where.cellIndex;
    this.timeoutSec = timeoutSec;
  }
}

/** A cell raised an error (and `allowErrors` was off). Code `ERR_CELL_FAILED`. */
export class CellExecutionError extends CourseError {
  readonly notebook: string | undefined;
  readonly cellIndex: number | undefined;
  readonly ename: string;
  readonly evalue: string;
  constructor(ename: string, evalue: string, where: CellPlace = {}) {
    super("ERR_CELL_FAILED", `${place(where)}${ename}: ${evalue}`);
    this.notebook = where.notebook;
    this.cellIndex = where.cellIndex;
    this.ename = ename;
    this.evalue = evalue;
  }
}

/** The run was cancelled (Ctrl-C, an AbortSignal). Code `ERR_ABORTED`. */
export class RunAbortedError extends CourseError {
  constructor(reason = "cancelled") {
    super("ERR_ABORTED", reason);
  }
}
