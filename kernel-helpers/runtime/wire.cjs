"use strict";
/**
 * Worker side of argument transfer: shared primitives arrive as handles (`{ __kernelHelpers: "Lock", buffer, ... }`)
 * and are rebuilt into the same primitive. Their code is loaded only when the caller saw a shared primitive in the
 * arguments (the `shared` flag of a task): from the esbuild bundle the caller names (runtime/bundle.ts), or,
 * without one, from the TypeScript sources through tsx.
 */
const path = require("node:path");

const loaded = new Map();

/** Rebuilds the shared primitives inside `value`; `bundle` is the path of the prebuilt worker code, if any. */
function fromWire(value, bundle) {
  const key = bundle || "tsx";
  let mod = loaded.get(key);
  if (!mod) {
    if (bundle) {
      mod = require(bundle);
    } else {
      require("./target.cjs").registerTypeScript();
      mod = require(path.join(__dirname, "..", "threads", "wire-worker.ts"));
    }
    loaded.set(key, mod);
  }
  return mod.fromWire(value);
}

module.exports = { fromWire };
