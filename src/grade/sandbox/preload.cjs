// @ts-check
// Loaded with `--require` into the sandbox process and into every worker thread it starts.
// Node's permission model (set on the command line) already limits file reads to the sandbox
// folder and node_modules, forbids child processes and native addons. This adds what that model
// cannot: no network beyond the loopback interface. It runs before the submission's code, and
// the submission cannot undo it for connections that are made through net (fetch, http, net).
"use strict";
const net = require("node:net");
const dns = require("node:dns");

// The sandbox's own flags, as the grader put them on our command line (or, in a child process or a
// worker thread, as children.cjs or the Worker wrapper below passed them on).
/**
 * @param {readonly string[]} argv
 * @returns {readonly string[]}
 */
function sandboxFlags(argv) {
  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (/^--(experimental-)?permission$|^--allow-|^--max-old-space-size=|^--no-warnings$/.test(a)) out.push(a);
    else if (a === "--require" && argv[i + 1] === __filename) out.push(a, argv[++i] ?? "");
  }
  return Object.freeze(out);
}
const SANDBOX_FLAGS = sandboxFlags(process.execArgv);

// Child processes, where the exercise allows them (`--allow-child-process`): children.cjs makes
// every child live under these same rules. Elsewhere the permission model refuses them outright.
/** @type {Set<number>} */
const ownChildren = process.permission?.has("child") ? require("./children.cjs").install(SANDBOX_FLAGS) : new Set();

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);
/** @param {unknown} host */
function denied(host) {
  /** @type {NodeJS.ErrnoException} */
  const error = new Error(`the grader sandbox allows network connections to 127.0.0.1 only, not to ${host}`);
  error.code = "ERR_SANDBOX_NETWORK";
  return error;
}
/**
 * Where a `socket.connect(...)` call connects: a host name or address, or "__ipc__" for a local
 * socket path (net's overloads: (options), (port, host), (path), and the internal ([options, cb])).
 * @param {unknown[]} args
 * @returns {unknown}
 */
function hostOf(args) {
  const first = args[0];
  if (Array.isArray(first)) return hostOf(first);
  if (first && typeof first === "object") {
    const options = /** @type {{ path?: unknown; host?: unknown }} */ (first);
    return options.path !== undefined ? "__ipc__" : (options.host ?? "localhost");
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return "__ipc__"; // a unix socket path
  return typeof args[1] === "string" ? args[1] : "localhost";
}
const connect = net.Socket.prototype.connect;
/** @type {(this: net.Socket, ...args: unknown[]) => net.Socket} */
const guardedConnect = function (...args) {
  const host = hostOf(args);
  if (host !== "__ipc__" && !LOOPBACK.has(String(host).replace(/^\[|\]$/g, ""))) {
    const error = denied(host);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return /** @type {(...a: unknown[]) => net.Socket} */ (connect).apply(this, args);
};
net.Socket.prototype.connect = /** @type {typeof connect} */ (guardedConnect);
Object.defineProperty(net.Socket.prototype, "connect", { writable: false, configurable: false });

// Name lookups: only loopback names resolve, so no DNS query leaves the machine.
/**
 * @param {(...args: any[]) => unknown} original
 * @returns {any} the guarded function, in place of dns's own (its overloads are not worth restating)
 */
function guardLookup(original) {
  /** @type {(this: unknown, hostname: string, ...rest: unknown[]) => unknown} */
  return function (hostname, ...rest) {
    if (LOOPBACK.has(hostname)) return original.call(this, hostname, ...rest);
    const callback = rest[rest.length - 1];
    const error = denied(hostname);
    if (typeof callback === "function") process.nextTick(() => callback(error));
    else throw error;
  };
}
dns.lookup = guardLookup(dns.lookup);
for (const name of /** @type {const} */ (["resolve", "resolve4", "resolve6", "resolveAny"]))
  dns[name] = guardLookup(dns[name]);
const lookupPromise = /** @type {(hostname: string, ...rest: any[]) => Promise<unknown>} */ (dns.promises.lookup);
dns.promises.lookup = /** @type {typeof dns.promises.lookup} */ (
  /** @type {(hostname: string, ...rest: any[]) => Promise<unknown>} */
  async (hostname, ...rest) => {
    if (LOOPBACK.has(hostname)) return lookupPromise(hostname, ...rest);
    throw denied(hostname);
  }
);

// Worker threads run this preload only when they inherit the process's execArgv: a worker started
// with `execArgv: []` would run without the network guard, and without `process.permission` (so,
// where children are allowed, without their guard). Every worker gets the sandbox's flags in front
// of the options it asks for.
const workerThreads = require("node:worker_threads");
const NativeWorker = workerThreads.Worker;
const WORKER_FLAGS = SANDBOX_FLAGS.filter((flag) => !flag.startsWith("--max-old-space-size="));
/**
 * @param {string | URL} filename
 * @param {import("node:worker_threads").WorkerOptions} [options]
 */
function Worker(filename, options) {
  // (not the heap limit: a worker takes no --max-old-space-size; its heap is inside the process's memory watch)
  const execArgv = options?.execArgv ? [...WORKER_FLAGS, ...options.execArgv] : undefined;
  return Reflect.construct(
    NativeWorker,
    [filename, execArgv ? { ...options, execArgv } : options],
    new.target ?? Worker,
  );
}
Worker.prototype = NativeWorker.prototype;
// The native class stays out of reach: a worker's constructor property names the wrapper. The module's
// `Worker` stays assignable, as Node's is: the trusted probes, loaded first, wrap it to count threads
// (`class Counted extends Worker`), and whatever a submission puts there can only construct through
// this wrapper, since nothing reachable holds the native class any more.
Object.defineProperty(NativeWorker.prototype, "constructor", { value: Worker, writable: false, configurable: false });
Object.defineProperty(workerThreads, "Worker", { value: Worker, writable: true, enumerable: true, configurable: true });

// Signals: the submission may signal its own process (and the children it started) only. Without this it could kill the suite
// runner (its parent) or, by guessing pids, the grader. process.kill calls process._kill at call
// time; the raw binding is otherwise out of reach (the permission model denies process.binding).
/** Node's internal kill binding, not in its typings. */
const rawKill = /** @type {{ _kill: (pid: number, signal: number) => number }} */ (/** @type {unknown} */ (process))
  ._kill;
Object.defineProperty(process, "_kill", {
  /** @param {number} pid @param {number} signal */
  value: function _kill(pid, signal) {
    if (Number(pid) !== process.pid && !ownChildren.has(Number(pid))) {
      /** @type {NodeJS.ErrnoException} */
      const error = new Error("the grader sandbox allows a submission to signal its own process only");
      error.code = "ERR_SANDBOX_SIGNAL";
      throw error;
    }
    return rawKill.call(process, pid, signal);
  },
  writable: false,
  configurable: false,
});
