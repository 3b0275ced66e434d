/**
 * Where the hand-written worker runtimes (`*.cjs` beside this file) are. `__dirname` exists where notebooks run
 * (tslab compiles local modules to CommonJS) and under vitest; ESM loaders (tsx) have no `__dirname` and TS 5.0
 * in tslab rejects `import.meta` in CommonJS output, so the fallback reads this file's path from a stack trace.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function locate(): string {
  if (typeof __dirname === "string" && existsSync(join(__dirname, "thread-runtime.cjs"))) return __dirname;
  const stack = new Error().stack ?? "";
  const m = /((?:file:\/\/)?\/[^\s():]*runtime\/paths\.[cm]?[jt]s)/.exec(stack);
  if (m?.[1]) {
    const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    return dirname(file);
  }
  throw new Error(`kernel-helpers: cannot locate the worker runtimes (runtime/*.cjs); stack: ${stack}`);
}

/** The folder of the worker runtimes. */
export const runtimeDir: string = locate();

/** The absolute path of a runtime file, e.g. `runtimeFile("thread-runtime.cjs")`. */
export function runtimeFile(name: string): string {
  return join(runtimeDir, name);
}
