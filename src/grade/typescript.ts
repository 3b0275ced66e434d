// The TypeScript compiler, as the grader loads it. By require, not import: Node's ESM loader first
// scans typescript.js (9 MB of CommonJS) for its export names, half a second more in every grading
// process (`tsnb grade`, the check cell's child; measured under tsx: 890 ms by import, 360 ms by require).
import { createRequire } from "node:module";
import type TS from "typescript";

export const ts = createRequire(import.meta.url)("typescript") as typeof TS;
export type { TS };
