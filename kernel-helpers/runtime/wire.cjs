"use strict";
/**
 * Worker side of argument transfer: shared primitives arrive as handles (`{ __kernelHelpers: "Lock", buffer, ... }`)
 * and are rebuilt into the same primitive. The primitives are TypeScript (kernel-helpers/sync, viz), so they are
 * loaded through tsx, and only when the caller saw a shared primitive in the arguments (the `shared` flag of a
 * task): a plain thread or task pays nothing.
 */
const path = require("node:path");

let worker;

/** Rebuilds the shared primitives inside `value`. */
function fromWire(value) {
  if (!worker) {
    require("./target.cjs").registerTypeScript();
    worker = require(path.join(__dirname, "..", "threads", "wire-worker.ts"));
  }
  return worker.fromWire(value);
}

module.exports = { fromWire };
