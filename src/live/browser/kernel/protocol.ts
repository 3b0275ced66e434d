/** The messages between a lesson page (loader.ts) and its kernel worker (kernel.ts). */
export type ToKernel = { t: "run"; id: number; code: string; cell: number };

/** Jupyter's output kinds, as the page renders them. */
export type FromKernel =
  | { t: "ready"; emulated: string[]; needsNode: string[] }
  | { t: "stream"; id: number; name: "stdout" | "stderr"; text: string }
  | { t: "display"; id: number; data: Record<string, string> }
  | { t: "result"; id: number; text: string }
  | { t: "error"; id: number; ename: string; evalue: string; traceback: string[] }
  | { t: "done"; id: number; ok: boolean };
