/**
 * `currentThread()` and `currentProcess()`: who is running. Inside a target they read what the worker runtime
 * recorded (runtime/globals.cjs keeps the same record under the same global symbol).
 */
import { isMainThread, threadId } from "node:worker_threads";

const CURRENT = Symbol.for("kernel-helpers.current");

interface CurrentRecord {
  threadName?: string;
  processName?: string;
}

function record(): CurrentRecord {
  return ((globalThis as Record<symbol, unknown>)[CURRENT] as CurrentRecord | undefined) ?? {};
}

/** What `currentThread()` returns. */
export interface ThreadInfo {
  /** `MainThread` on the main thread; the `Thread`'s name in its target; `<pool>-worker-<id>` in a pool task. */
  name: string;
  /** Node's `threadId`: 0 on the main thread. */
  threadId: number;
  isMain: boolean;
}

/** What `currentProcess()` returns. */
export interface ProcessInfo {
  /** `MainProcess` in the kernel; the `Process`'s name in its target. */
  name: string;
  pid: number;
  /** The parent's pid (Python's `os.getppid()`). */
  ppid: number;
  /** False in a process started by `Process`, `runInProcess` or a `ProcessPool`. */
  isMain: boolean;
}

/**
 * The thread running this code (Python's `threading.current_thread()`); works inside a thread's target.
 * @example
 * new Thread({ target: () => console.log(currentThread().name), name: "Worker-1" }).start(); // Worker-1
 */
export function currentThread(): ThreadInfo {
  if (isMainThread) return { name: "MainThread", threadId: 0, isMain: true };
  return { name: record().threadName ?? `Thread-${threadId}`, threadId, isMain: false };
}

/**
 * The process running this code (Python's `multiprocessing.current_process()` with `os.getpid()/getppid()`).
 * @example
 * await runInProcess(() => { const p = currentProcess(); return `${p.name} pid ${p.pid} parent ${p.ppid}`; });
 */
export function currentProcess(): ProcessInfo {
  const name = record().processName;
  return { name: name ?? "MainProcess", pid: process.pid, ppid: process.ppid, isMain: name === undefined };
}
