// @ts-check
// Loaded with `--require` into the sandbox process and into every worker thread it starts.
// Node's permission model (set on the command line) already limits file reads to the sandbox
// folder and node_modules, forbids child processes and native addons. This adds what that model
// cannot: no network beyond the loopback interface. It runs before the submission's code, and
// the submission cannot undo it for connections that are made through net (fetch, http, net).
"use strict";
const net = require("node:net");
const dns = require("node:dns");

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

// Signals: the submission may signal its own process only. Without this it could kill the suite
// runner (its parent) or, by guessing pids, the grader. process.kill calls process._kill at call
// time; the raw binding is otherwise out of reach (the permission model denies process.binding).
/** Node's internal kill binding, not in its typings. */
const rawKill = /** @type {{ _kill: (pid: number, signal: number) => number }} */ (/** @type {unknown} */ (process))
  ._kill;
Object.defineProperty(process, "_kill", {
  /** @param {number} pid @param {number} signal */
  value: function _kill(pid, signal) {
    if (Number(pid) !== process.pid) {
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
