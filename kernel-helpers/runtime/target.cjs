// @ts-check
"use strict";
/**
 * The part of every worker runtime (thread, pool thread, child process) that turns a target description into a
 * function, runs it, and describes its failure. Plain JavaScript written by hand, so a worker starts without a
 * TypeScript loader (worker start is the cost a learner feels most); TypeScript is loaded only for `.ts` module
 * targets and for shared primitives (see wire.cjs).
 *
 * A target description is `{ kind: "source", source, name }` (a function's text) or
 * `{ kind: "module", path, export, name }` (an absolute path).
 */
const path = require("node:path");
const vm = require("node:vm");
const globalsInstall = require("./globals.cjs");
const typescript = require("./typescript.cjs");

/** @typedef {import("../protocol").TargetSpec} TargetSpec */
/** @typedef {import("../protocol").WireError} WireError */
/** @typedef {(...args: unknown[]) => unknown} TargetFunction */

/** @type {Map<string, TargetFunction>} */
const compiled = new Map();

/**
 * A function's text as an expression: method shorthand (`name(a) {}`) becomes a function expression.
 * @param {string} source
 */
function asExpression(source) {
  const s = source.trim();
  if (/^(async\s+)?function\b/.test(s) || /^(async\s*)?(\(|[A-Za-z_$][\w$]*\s*=>)/.test(s)) return s;
  const method = /^(async\s+)?(\*\s*)?([A-Za-z_$][\w$]*)\s*\(/.exec(s);
  if (method) return `${method[1] || ""}function${method[2] ? "*" : ""} ${method[3]}${s.slice(method[0].length - 1)}`;
  return s;
}

/**
 * Compiles a function's source in this worker's global scope (cached: a pool runs the same task many times).
 * @param {{ source: string, name?: string }} target
 * @returns {TargetFunction}
 */
function fromSource(target) {
  let fn = compiled.get(target.source);
  if (fn) return fn;
  globalsInstall.forSource(target.source);
  fn = vm.runInThisContext(`(${asExpression(target.source)}\n)`, { filename: `target:${target.name || "anonymous"}` });
  if (typeof fn !== "function") throw new TypeError(`the target's source did not evaluate to a function`);
  compiled.set(target.source, fn);
  return fn;
}

/**
 * Loads a module target's export (`.ts` through tsx, `.mjs` through import()).
 * @param {Extract<TargetSpec, { kind: "module" }>} target
 * @returns {Promise<TargetFunction>}
 */
async function fromModule(target) {
  const key = `${target.path}#${target.export}`;
  let fn = compiled.get(key);
  if (fn) return fn;
  const ext = path.extname(target.path);
  let mod;
  if (ext === ".mjs") {
    mod = await import(require("node:url").pathToFileURL(target.path).href);
  } else {
    if (/^\.[cm]?tsx?$/.test(ext)) typescript.registerTypeScript();
    mod = require(target.path);
  }
  const name = target.export || "default";
  fn = mod && mod[name];
  if (typeof fn !== "function" && name === "default" && typeof mod === "function") fn = mod;
  if (typeof fn !== "function") {
    const names = mod && typeof mod === "object" ? Object.keys(mod).filter((k) => k !== "__esModule") : [];
    throw Object.assign(
      new TypeError(
        `module '${target.path}' has no function export '${name}' (its exports: ${names.length ? names.join(", ") : "none"})`,
      ),
      { code: "ERR_BAD_TARGET" },
    );
  }
  compiled.set(key, fn);
  return fn;
}

/**
 * The target as a function (a promise for module targets). A bare string is a function's source (pool tasks).
 * @param {TargetSpec | string} target
 * @returns {TargetFunction | Promise<TargetFunction>}
 */
function loadTarget(target) {
  if (typeof target === "string") {
    const fn = compiled.get(target);
    return fn || fromSource({ source: target, name: sourceName(target) });
  }
  return target.kind === "module" ? fromModule(target) : fromSource(target);
}

/**
 * A function's name read from its source (`function crunch(`, `async crunch(`), for stack traces.
 * @param {string} source
 */
function sourceName(source) {
  const m = /^\s*(?:async\s+)?(?:function\s*\*?\s*)?([A-Za-z_$][\w$]*)\s*\(/.exec(source);
  return m && m[1] && m[1] !== "function" ? m[1] : "anonymous";
}

/** Milliseconds since the epoch, sub-millisecond, comparable between threads and processes. */
function now() {
  return performance.timeOrigin + performance.now();
}

/**
 * Describes an error for the other side. A ReferenceError naming a variable that the target's source uses is a
 * closure that did not travel: marked `closure` so the caller can explain it.
 * @param {unknown} error
 * @param {TargetSpec | string | undefined} target
 * @returns {WireError}
 */
function serializeError(error, target) {
  if (!(error instanceof Error)) {
    let shown;
    try {
      shown = require("node:util").inspect(error, { depth: 2 });
    } catch {
      shown = String(error);
    }
    return { name: "Error", message: `the target threw a non-Error value: ${shown}`, stack: undefined };
  }
  /** @type {WireError} */
  const out = { name: error.name, message: error.message, stack: trimStack(error.stack) };
  const code = /** @type {{ code?: unknown }} */ (error).code;
  if (typeof code === "string") out.code = code;
  const source = typeof target === "string" ? target : target && target.kind === "source" ? target.source : undefined;
  if (error instanceof ReferenceError && source !== undefined) {
    const m = /^([A-Za-z_$][\w$]*) is not defined$/.exec(error.message);
    const name = m && m[1] && m[1].replace(/\$/g, "\\$");
    // The name as a free variable, or read from tslab's `exports` (a name defined in another cell).
    if (m && m[1] && new RegExp(`(^|[^\\w$.]|\\bexports\\.)${name}\\b`).test(source)) out.closure = m[1];
  }
  return out;
}

/**
 * Drops the runtime's own frames (after the target's) from a stack: they say nothing about the learner's code.
 * @param {string | undefined} stack
 */
function trimStack(stack) {
  if (typeof stack !== "string") return stack;
  return stack
    .split("\n")
    .filter((line) => !(/^\s+at /.test(line) && (line.includes(__dirname) || /[\\/]piscina[\\/]/.test(line))))
    .join("\n");
}

// Why track writes: a flush costs a round trip to the parent, paid only when the target printed something.
let dirty = false;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write;
  /** @type {any} */ (stream).write = function (/** @type {unknown[]} */ ...args) {
    dirty = true;
    return Reflect.apply(write, this, args);
  };
}

/** Resolves once everything this worker printed has reached the parent (at once when it printed nothing). */
async function flushStdio() {
  if (!dirty) return;
  await flushAll();
  dirty = false;
}

function flushAll() {
  return Promise.all(
    [process.stdout, process.stderr].map(
      (stream) =>
        /** @type {Promise<void>} */ (
          new Promise((resolve) => {
            if (!stream || stream.destroyed || stream.writableEnded) return resolve();
            stream.write("", () => resolve());
          })
        ),
    ),
  );
}

/** Whether the worker printed something not yet flushed. */
function isDirty() {
  return dirty;
}

module.exports = { loadTarget, serializeError, flushStdio, isDirty, now };
