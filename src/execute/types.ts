import type { ServerOptions } from "../kernel/index.ts";

/** Options of {@link runNotebooks}. */
export interface RunOptions {
  /** Per-cell limit in seconds: the cell is interrupted and fails with CellTimeoutError. @default 120 */
  timeoutSec?: number;
  /** Kernel start limit in seconds. @default 60 */
  startTimeoutSec?: number;
  /** Keep executing after a failing cell (its `error` output is stored). @default false */
  allowErrors?: boolean;
  /** Notebooks executed in parallel, one kernel each. @default 1 */
  jobs?: number;
  /** Run the kernels in a Jupyter server. Absent: tslab is spawned here (embedded, no Python needed). */
  server?: ServerOptions;
  /** Abort: every kernel is shut down, partial notebooks are written, runs end with RunAbortedError. */
  signal?: AbortSignal;
  /** Progress, per notebook and per cell. */
  onProgress?: (event: ProgressEvent) => void;
}

/** One notebook to execute; `output` may equal `input` (in place). */
export interface NotebookJob {
  input: string;
  output: string;
}

/** How one notebook's execution went. */
export interface NotebookRun {
  input: string;
  output: string;
  /** True when every code cell ran without an unallowed error. */
  ok: boolean;
  /** Code cells with source in the notebook. */
  cells: number;
  /** Code cells that were executed (whatever their outcome). */
  executed: number;
  /** 0-based index into the notebook's `cells` of the cell that stopped the run. */
  failedCell?: number;
  /** CellExecutionError, CellTimeoutError, KernelDiedError, KernelStartError, NotebookFormatError or RunAbortedError. */
  error?: Error;
  elapsedMs: number;
}

/** The status of one executed cell. */
export type CellStatus = "ok" | "error" | "timeout" | "died";

/** Progress of a run, for a terminal or a log. `cellIndex` is 0-based into the notebook's `cells`. */
export type ProgressEvent =
  | { type: "notebook-start"; input: string; cells: number }
  | { type: "kernel-ready"; input: string; startMs: number }
  | { type: "cell-start"; input: string; cellIndex: number; ordinal: number; cells: number }
  | {
      type: "cell-end";
      input: string;
      cellIndex: number;
      ordinal: number;
      cells: number;
      status: CellStatus;
      elapsedMs: number;
    }
  | { type: "notebook-end"; run: NotebookRun };
