/**
 * The `require` of the browser runtime: Node's built-in modules as shims (emulated), the ones a browser cannot
 * give (processes, files, sockets) as modules that explain themselves, `tslab`'s display API, and the course's
 * helpers (`../kernel-helpers/index`, loaded on first use from helpers.js).
 */
import { Buffer } from "./buffer";
import * as events from "./events";
import { os } from "./os";
import { path } from "./path-module";
import { perfHooks } from "./perf-hooks";
import { process } from "./process";
import { realm } from "./realm";
import { asyncHooks, url, v8, vm } from "./small";
import timersPromises from "./timers-promises";
import { timers } from "./timers";
import { NEEDS_NODE, NeedsNodeError, unsupportedModule } from "./unsupported";
import util from "./util";
import { workerThreads } from "./worker-threads";

/** The modules a cell may import that are emulated here (shown on the page). */
export const EMULATED = ["worker_threads", "os", "perf_hooks", "timers", "timers/promises", "events", "util", "path", "async_hooks", "buffer"];

const crypto = {
  randomUUID: () => globalThis.crypto.randomUUID(),
  getRandomValues: <T extends ArrayBufferView>(array: T) => globalThis.crypto.getRandomValues(array as never) as T,
  randomInt(min: number, max?: number): number {
    if (max === undefined) [min, max] = [0, min];
    return min + Math.floor(Math.random() * (max - min));
  },
  webcrypto: globalThis.crypto,
};

const builtins: Record<string, () => unknown> = {
  worker_threads: () => workerThreads,
  os: () => os,
  perf_hooks: () => perfHooks,
  timers: () => timers,
  "timers/promises": () => timersPromises,
  events: () => events,
  util: () => util,
  path: () => path,
  "path/posix": () => path,
  vm: () => vm,
  url: () => url,
  v8: () => v8,
  async_hooks: () => asyncHooks,
  process: () => process,
  buffer: () => ({ Buffer }),
  assert: () => assert,
  "assert/strict": () => assert,
  module: () => ({ createRequire: () => realm.require, builtinModules: Object.keys(builtins) }),
};

function assert(value: unknown, message?: string): asserts value {
  if (!value) throw Object.assign(new Error(message ?? "The expression evaluated to a falsy value"), { name: "AssertionError", code: "ERR_ASSERTION" });
}
assert.ok = assert;
assert.equal = (a: unknown, b: unknown, m?: string) => assert(a == b, m ?? `${util.inspect(a)} == ${util.inspect(b)}`);
assert.strictEqual = (a: unknown, b: unknown, m?: string) => assert(Object.is(a, b), m ?? `Expected values to be strictly equal: ${util.inspect(a)} !== ${util.inspect(b)}`);
assert.deepStrictEqual = (a: unknown, b: unknown, m?: string) => assert(util.isDeepStrictEqual(a, b), m ?? `Expected values to be deeply equal: ${util.inspect(a)} vs ${util.inspect(b)}`);
assert.throws = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    return;
  }
  throw Object.assign(new Error("Missing expected exception."), { name: "AssertionError" });
};

const cache = new Map<string, unknown>();

/** What `../kernel-helpers/index` loads: helpers.js sets this global when it runs. */
export interface HelpersBundle {
  index: Record<string, unknown>;
  wireWorker: Record<string, unknown>;
  runtimes: Record<string, () => unknown>;
}

/** Loads helpers.js into this realm (synchronously: `importScripts`) once, and returns it. */
export function helpersBundle(): HelpersBundle {
  const g = globalThis as unknown as { __tsnbHelpers?: HelpersBundle; importScripts(url: string): void };
  if (!g.__tsnbHelpers) g.importScripts(new URL("helpers.js", realm.threadScript).href);
  if (!g.__tsnbHelpers) throw new Error("kernel-helpers: the browser build (helpers.js) did not load");
  return g.__tsnbHelpers;
}

/** Whether a specifier names the course helpers (`../kernel-helpers/index`, `../kernel-helpers`, ...). */
export function isHelpers(specifier: string): boolean {
  return /(^|\/)kernel-helpers(\/index(\.ts|\.js)?)?$/.test(specifier);
}

/** Node's `require` for cells and thread sources in the browser. */
export function requireModule(specifier: string): unknown {
  const name = specifier.replace(/^node:/, "");
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  let value: unknown;
  if (builtins[name]) value = builtins[name]!();
  else if ((NEEDS_NODE as readonly string[]).includes(name)) value = name === "crypto" ? withUnsupported("crypto", crypto) : unsupportedModule(name);
  else if (name === "tslab") value = realm.tslab;
  else if (isHelpers(name)) value = helpersBundle().index;
  else if (/(^|\/)wire-worker(\.ts)?$/.test(name)) value = helpersBundle().wireWorker;
  else if (/kernel-helpers\/index\.ts$/.test(name)) value = helpersBundle().index;
  else {
    const runtime = /([\w-]+\.cjs)$/.exec(name)?.[1];
    const runtimes = runtime ? helpersBundle().runtimes : undefined;
    if (runtime && runtimes?.[runtime]) value = runtimes[runtime]!();
    else
      throw Object.assign(
        new Error(
          `Cannot find module '${specifier}': cells running in your browser can import Node's emulated modules (${EMULATED.map((m) => `node:${m}`).join(", ")}), tslab and ../kernel-helpers/index; other packages need Node (JupyterLab, or \`npx tsnb run\`)`,
        ),
        { code: "MODULE_NOT_FOUND" },
      );
  }
  cache.set(name, value);
  return value;
}

function withUnsupported(module: string, known: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(known, {
    get(target, prop) {
      if (typeof prop === "symbol" || prop in target || prop === "then") return target[prop as string];
      return () => {
        throw new NeedsNodeError(module, prop);
      };
    },
  });
}
