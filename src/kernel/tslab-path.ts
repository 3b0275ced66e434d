import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The absolute path of this checkout's `node_modules/tslab/bin/tslab`, resolved the way Node resolves
 * the package (so a hoisted or nested install both work).
 */
export function tslabBin(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("tslab/package.json");
  const bin = path.join(path.dirname(pkg), "bin", "tslab");
  if (!existsSync(bin))
    throw new Error(`tslab is installed at ${path.dirname(pkg)} but has no bin/tslab (reinstall it: npm ci)`);
  return bin;
}
