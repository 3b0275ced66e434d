// @ts-check
"use strict";
/**
 * What a target finds in a worker besides its parameters: `require` (resolving from the notebook's folder) and
 * the helpers `currentThread`, `currentProcess`, `sleep`, `sleepSync`. A target written in a tslab cell calls an
 * imported helper as `(0, index_1.currentThread)()` (tslab compiles imports to CommonJS): `forSource` defines
 * such a namespace variable when every property the source reads from it is a helper, so those calls work too.
 */
const path = require("node:path");
// (Not destructured: TypeScript's check of a CommonJS file takes `const { a } = require()` for ESM syntax.)
const workerThreads = require("node:worker_threads");

const CURRENT = Symbol.for("kernel-helpers.current");

/**
 * What this worker knows of itself (set by the runtime that started it).
 * @typedef {{ threadName?: string, processName?: string }} SelfInfo
 */

/**
 * The globals this file installs or reads, as the checker sees them.
 * @type {Record<string | symbol, unknown> & { [CURRENT]?: SelfInfo }}
 */
const g = /** @type {any} */ (globalThis);

/** @returns {SelfInfo} */
function me() {
  return g[CURRENT] || {};
}

/** Helpers that exist here without loading TypeScript. */
const fast = {
  /** @returns {import("../threads/current").ThreadInfo} */
  currentThread() {
    if (workerThreads.isMainThread) return { name: "MainThread", threadId: 0, isMain: true };
    const threadId = workerThreads.threadId;
    return { name: me().threadName || `Thread-${threadId}`, threadId, isMain: false };
  },
  /** @returns {import("../threads/current").ProcessInfo} */
  currentProcess() {
    const processName = me().processName;
    return { name: processName || "MainProcess", pid: process.pid, ppid: process.ppid, isMain: !processName };
  },
  /**
   * @param {number} ms
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<void>}
   */
  sleep(ms, options) {
    return new Promise((resolve, reject) => {
      const signal = options && options.signal;
      if (signal && signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      function onAbort() {
        clearTimeout(timer);
        reject(signal && signal.reason);
      }
      if (signal) signal.addEventListener("abort", onAbort, { once: true });
    });
  },
  /** @param {number} ms */
  sleepSync(ms) {
    // Why Atomics.wait on a private cell: nobody notifies it, so it is a precise blocking sleep of this thread.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  },
};

/** Every name `kernel-helpers/index` exports that a target may reach through a compiled import. */
const HELPER_NAMES = new Set([
  ...Object.keys(fast),
  "Lock",
  "RLock",
  "Semaphore",
  "BoundedSemaphore",
  "Event",
  "Condition",
  "Barrier",
  "AtomicCounter",
  "SharedValue",
  "SharedArray",
  "Queue",
  "SharedQueue",
  "Pipe",
  "Timeline",
  "timeit",
  "HelperError",
  "TimeoutError",
  "LockTimeoutError",
  "AbortError",
  "RemoteError",
]);

// Properties that runtimes probe on any object (promises, JSON, inspection): never a learner's variable.
const NOT_NAMES = new Set(["then", "toJSON", "constructor", "__esModule", "inspect", "asymmetricMatch", "$$typeof"]);

/** @type {Record<string, unknown> | undefined} */
let full;
/**
 * The whole helpers module, loaded through tsx on first use of a name that is not a fast helper.
 * @returns {Record<string, unknown>}
 */
function loadFull() {
  if (full) return full;
  require("./typescript.cjs").registerTypeScript();
  return (full = require(path.join(__dirname, "..", "index.ts")));
}

const namespace = new Proxy(/** @type {Record<string, unknown>} */ (fast), {
  get(target, prop) {
    if (typeof prop === "string" && Object.prototype.hasOwnProperty.call(target, prop)) return target[prop];
    if (typeof prop === "string" && HELPER_NAMES.has(prop)) return loadFull()[prop];
    // Why throw: this namespace stands in for a module of the notebook (tslab's `exports`, an `index_1`); a name
    // it lacks is an outer variable that did not travel, and must fail as the closure error, not as undefined.
    if (typeof prop === "string" && !NOT_NAMES.has(prop)) throw new ReferenceError(`${prop} is not defined`);
    return undefined;
  },
});

let installed = false;
/**
 * Installs `require` and the fast helpers as globals of this worker (once).
 * @param {SelfInfo} info
 */
function install(info) {
  g[CURRENT] = Object.assign(me(), info);
  if (installed) return;
  installed = true;
  if (typeof g.require !== "function") {
    // Why a getter: most targets never call require(); building it costs part of a thread's start.
    Object.defineProperty(globalThis, "require", {
      configurable: true,
      get() {
        const value = require("node:module").createRequire(path.join(process.cwd(), "__target__.js"));
        Object.defineProperty(globalThis, "require", { value, configurable: true, writable: true });
        return value;
      },
    });
  }
  for (const [name, fn] of Object.entries(fast)) {
    if (!(name in globalThis)) g[name] = fn;
  }
  // esbuild's keepNames (tsx, vitest) wraps named inner functions in `__name(fn, "name")`, a helper of the calling
  // module: a target compiled that way calls it, so it is provided here.
  if (!("__name" in globalThis)) {
    /** @type {(target: object, value: string) => object} */
    const __name = (target, value) => Object.defineProperty(target, "name", { value, configurable: true });
    g.__name = __name;
  }
}

/**
 * Defines namespace variables (`index_1`, `__vi_import_0__`, ...) the source reads helpers from.
 * @param {string} source
 */
function forSource(source) {
  /** @type {Map<string, Set<string>>} */
  const props = new Map();
  for (const m of source.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z_$][\w$]*)/g)) {
    const [, ident, prop] = m;
    if (ident === undefined || prop === undefined) continue;
    let used = props.get(ident);
    if (!used) props.set(ident, (used = new Set()));
    used.add(prop);
  }
  for (const [ident, used] of props) {
    if (ident in globalThis) continue;
    if ([...used].every((p) => HELPER_NAMES.has(p))) g[ident] = namespace;
  }
}

module.exports = { install, forSource, fast, CURRENT };
