// @ts-check
"use strict";
/**
 * TypeScript in a worker, on demand: tsx's CommonJS loader, registered once, so `require("x.ts")` works. Only `.ts`
 * module targets and the helpers' sources (when the worker bundle is missing) need it; a plain target never pays.
 */

let registered = false;

/** Registers tsx's CommonJS loader once in this worker. */
function registerTypeScript() {
  if (registered) return;
  require("tsx/cjs/api").register();
  registered = true;
}

module.exports = { registerTypeScript };
