/**
 * What the check cell (in the learner's kernel, check-cell.ts) and its grading process (child.ts)
 * exchange: one request on the child's stdin, one response on its stdout, both JSON. Plain types
 * only: the kernel side is compiled by tslab's TypeScript 5.0.
 */

/** A top-level name the kernel holds: its `typeof`, and its source when it is a function or class. */
export interface LiveDefinitionWire {
  type: string;
  source?: string;
}

export interface CheckRequest {
  /** The exercise id (the solution cells' grade_id). */
  exercise: string;
  /** The kernel's working folder: the notebook's folder. */
  dir: string;
  /** `JPY_SESSION_NAME` when Jupyter Server set it: the notebook's path. */
  session?: string;
  /** The kernel's top-level names, or null when this is not a tslab kernel. */
  live: Record<string, LiveDefinitionWire> | null;
}

export type CheckResponse =
  { ok: true; html: string; text: string; scoreLine: string } | { ok: false; message: string };
