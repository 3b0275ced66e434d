/**
 * Every child process the helpers started and that still runs, so none outlives the kernel: when this process
 * exits (a kernel restart, the end of a script), the live children are killed. The other half of "no orphans"
 * is in runtime/process-runtime.cjs (a child exits when its parent dies, even from SIGKILL).
 */
import { fork, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { runtimeFile } from "../runtime/paths";

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

/**
 * Forks the process runtime with piped output (forwarded into the cell by the caller) and IPC with structured
 * clones, and tracks the child until it exits.
 */
export function forkRuntime(name: string, options: { pool?: boolean } = {}): ChildProcess {
  if (!hooked) {
    hooked = true;
    process.once("exit", killAll);
  }
  const child = fork(runtimeFile("process-runtime.cjs"), [], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    env: {
      ...process.env,
      KH_PROCESS_NAME: name,
      KH_POOL: options.pool ? "1" : "0",
      KH_PARENT_PID: String(process.pid),
    },
    // A learner's NODE_OPTIONS (e.g. --inspect) must not break every child.
    execArgv: [],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** How many children started by the helpers are alive (for tests: nothing may be left after close()). */
export function liveChildren(): number {
  return live.size;
}

/** Python's `exitcode`: the exit code, or `-N` when killed by signal N. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return typeof n === "number" ? -n : -1;
}
