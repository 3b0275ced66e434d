import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

/**
 * The absolute path of `watchdog.cjs`, preloaded into every kernel we start (`node --require`): the
 * kernel ends itself and its process group when its parent (tsnb, or a Jupyter server) dies without
 * shutting it down, as ipykernel's parent poller does.
 */
export function watchdogPath(): string {
  return fileURLToPath(new URL("./watchdog.cjs", import.meta.url));
}
