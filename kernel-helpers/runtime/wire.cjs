// @ts-check
"use strict";
/**
 * Worker side of argument transfer: shared primitives arrive as handles (`{ __kernelHelpers: "Lock", buffer, ... }`)
 * and are rebuilt into the same primitive. Their code is loaded only when the caller saw a shared primitive in the
 * arguments (the `shared` flag of a task): from the esbuild bundle the caller names (runtime/bundle.ts), or,
 * without one, from the TypeScript sources through tsx. The walking is threads/wire-worker.ts's (one walker).
 */
const path = require("node:path");

/** @typedef {typeof import("../threads/wire-worker")} WireWorker */

/** @type {Map<string, WireWorker>} */
const loaded = new Map();

/**
 * Rebuilds the shared primitives inside `value`.
 * @template T
 * @param {T} value the structured-cloned value (changed in place)
 * @param {string | undefined} bundle the path of the prebuilt worker code, if any
 * @returns {T}
 */
function fromWire(value, bundle) {
  const key = bundle || "tsx";
  let mod = loaded.get(key);
  if (!mod) {
    if (bundle) {
      mod = /** @type {WireWorker} */ (require(bundle));
    } else {
      require("./typescript.cjs").registerTypeScript();
      mod = /** @type {WireWorker} */ (require(path.join(__dirname, "..", "threads", "wire-worker.ts")));
    }
    loaded.set(key, mod);
  }
  return /** @type {T} */ (mod.fromWire(value));
}

module.exports = { fromWire };
