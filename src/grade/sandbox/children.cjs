// @ts-check
// Loaded by preload.cjs when the sandbox may start child processes (an exercise that declares it,
// e.g. process-pool): every child must live under the sandbox's own rules. Node's permission model
// alone would let a child run anything, unrestricted (`--allow-child-process` "may be used to
// circumvent the permission model"), so this guard, installed before the submission's code runs:
// - lets only Node start (fork(), or spawn(process.execPath, ...)), never a shell or another program;
// - puts the sandbox's own flags first on the child's command line (the permission model with the
//   same folders, the heap limit, this preload: loopback network only, signals to itself and its
//   own children), and refuses options that would widen them (another --allow-*, a larger heap,
//   --no-experimental-permission ...) and NODE_OPTIONS in the child's environment;
// - refuses detached children and other users (the grader kills the whole process tree: see
//   process-tree.ts), the synchronous variants, and process.execve (Node 23.11+: would replace a
//   process with any program).
// The check sits on the native handle's spawn method, which every asynchronous way of starting a
// process (spawn, fork, exec, execFile, cluster) goes through, and is locked in place.
"use strict";
const childProcess = require("node:child_process");
const path = require("node:path");

/** @param {string} what */
function denied(what) {
  const error = new Error(
    `the grader sandbox lets your code start Node.js child processes only, under the sandbox's rules: ${what}`,
  );
  /** @type {any} */ (error).code = "ERR_SANDBOX_CHILD";
  return error;
}

/** The sandbox's flags, put first on every child's command line (set by install). */
/** @type {readonly string[]} */
let SANDBOX_ARGV = [];
/** @type {string | undefined} */
let PRELOAD;

// Options a learner's child may add after the sandbox's: none of them loosens a rule.
const HARMLESS =
  /^--(no-warnings|no-deprecation|enable-source-maps|expose-gc|trace-warnings|trace-uncaught|unhandled-rejections=[\w-]+|input-type=[\w-]+)$/;
const WITH_CODE = new Set(["-e", "--eval", "-p", "--print"]);

/**
 * The child's argv ([argv0, ...options, script, ...args]) with the sandbox's flags first. The
 * sandbox's own flags (what fork() passes on by default) are dropped where they appear, then added once.
 * @param {string[]} args
 */
function sandboxArgs(args) {
  const rest = args.slice(1);
  /** @type {string[]} */
  const kept = [];
  let i = 0;
  while (i < rest.length) {
    const a = rest[i] ?? "";
    if (!a.startsWith("-") || a === "-" || a === "--") break; // the script (or stdin, or the end of options)
    if (a === "--require" && rest[i + 1] === PRELOAD) i += 2;
    else if (SANDBOX_ARGV.includes(a) && a !== "--require") i += 1;
    else if (HARMLESS.test(a)) kept.push(rest[i++] ?? "");
    else if (WITH_CODE.has(a)) {
      kept.push(a, rest[i + 1] ?? "");
      i += 2;
    } else throw denied(`the Node option ${a} is not allowed in the sandbox`);
  }
  return [args[0] ?? process.execPath, ...SANDBOX_ARGV, ...kept, ...rest.slice(i)];
}

/** @param {string} file */
function nodeBinary(file) {
  if (file === process.execPath || file === "node" || path.basename(file) === "node") return process.execPath;
  throw denied(`not ${JSON.stringify(file)} (use fork(), or spawn(process.execPath, [...]); no shell)`);
}

/** @param {string[] | undefined} envPairs */
function sandboxEnv(envPairs) {
  // NODE_OPTIONS is read before the command line: an --allow-fs-read=/ there would widen the rules.
  return (envPairs ?? []).filter((pair) => !pair.startsWith("NODE_OPTIONS="));
}

/**
 * Install the guard in this process (or worker thread).
 * @param {readonly string[]} sandboxArgv the sandbox's own flags (preload.cjs: sandboxFlags)
 * @returns {Set<number>} the pids of the children started here that are still running
 */
function install(sandboxArgv) {
  SANDBOX_ARGV = sandboxArgv;
  PRELOAD = sandboxArgv[sandboxArgv.indexOf("--require") + 1];
  /** Pids of the children this process started and that have not exited: it may signal them. */
  const children = new Set();

  // Node 20-22 pass one options object to the handle's spawn; Node 24 passes its fields one by one:
  // (file, args, cwd, envPairs, stdio, flags, uid, gid), with detached as a bit of flags.
  const DETACHED_FLAG = 1; // processConstants.kProcessFlagDetached (measured: detached: true gives flags 1)
  const probe = new childProcess.ChildProcess();
  const handleProto = Object.getPrototypeOf(/** @type {any} */ (probe)._handle);
  const nativeSpawn = handleProto.spawn;
  Object.defineProperty(handleProto, "spawn", {
    value: function spawn(/** @type {any[]} */ ...a) {
      if (a.length === 1 && a[0] && typeof a[0] === "object") {
        const options = a[0];
        if (options.detached) throw denied("not detached (the grader must be able to stop your children)");
        if (options.uid !== undefined || options.gid !== undefined) throw denied("not as another user");
        options.file = nodeBinary(String(options.file));
        options.args = sandboxArgs(options.args ?? []);
        options.envPairs = sandboxEnv(options.envPairs);
      } else {
        if (Number(a[5]) & DETACHED_FLAG) throw denied("not detached (the grader must be able to stop your children)");
        if (a[6] !== undefined || a[7] !== undefined) throw denied("not as another user");
        a[0] = nodeBinary(String(a[0]));
        a[1] = sandboxArgs(a[1] ?? []);
        a[3] = sandboxEnv(a[3]);
      }
      const result = nativeSpawn.apply(this, a);
      const pid = this.pid;
      if (typeof pid === "number") {
        children.add(pid);
        const onexit = this.onexit;
        this.onexit = function (/** @type {any[]} */ ...e) {
          children.delete(pid);
          return onexit?.apply(this, e);
        };
      }
      return result;
    },
    writable: false,
    configurable: false,
  });

  for (const name of ["spawnSync", "execSync", "execFileSync"]) {
    Object.defineProperty(childProcess, name, {
      value: () => {
        throw denied(`not with ${name} (it would block the sandbox; use the asynchronous form)`);
      },
      writable: false,
      configurable: false,
    });
  }
  if (typeof (/** @type {any} */ (process).execve) === "function")
    Object.defineProperty(process, "execve", {
      value: () => {
        throw denied("not with process.execve");
      },
      writable: false,
      configurable: false,
    });
  return children;
}

module.exports = { install };
