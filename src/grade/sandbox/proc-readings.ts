// What the grader can read about a sandbox process from outside it (Linux /proc): its resident
// memory, the CPU time it used, and how long its threads waited for a CPU they were ready to use.
// The submission cannot fake these (they are the kernel's accounts, read by another process).
// Elsewhere (a macOS laptop) every reading is 0: the memory watch then relies on V8's heap limit
// and the call limits are plain wall-clock limits.
import { readdirSync, readFileSync } from "node:fs";

/** Resident memory of process `pid`, in MB (0 when unknown). */
export function rssMb(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return (pages * 4096) / 2 ** 20;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, every thread) process `pid` used so far, in ms (0 when unknown). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/**
 * For each thread of process `pid`, how long it waited on a run queue so far (ready to run, no CPU
 * free), in ms, from /proc/<pid>/task/<tid>/schedstat. Empty when unknown.
 */
export function runQueueWaitMs(pid: number): Map<number, number> {
  const waits = new Map<number, number>();
  for (const [tid, schedstat] of threadFiles(pid, "schedstat")) waits.set(tid, Number(schedstat.split(" ")[1]) / 1e6);
  return waits;
}

/**
 * The file `/proc/<pid>/task/<tid>/<name>` of every thread of process `pid`, as [tid, text]; a thread
 * that ends between the listing and the read is left out. Empty when unknown.
 */
export function threadFiles(pid: number, name: string): Array<[number, string]> {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: Array<[number, string]> = [];
  for (const tid of tids) {
    try {
      out.push([Number(tid), readFileSync(`/proc/${pid}/task/${tid}/${name}`, "utf8")]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * How long the most starved thread of `pid` waited for a CPU since `before` (a reading of
 * {@link runQueueWaitMs}), in ms: the time a busy machine took from the submission, not the
 * submission's own time. Threads started since count from 0.
 */
export function starvedSinceMs(pid: number, before: Map<number, number>): number {
  let most = 0;
  for (const [tid, wait] of runQueueWaitMs(pid)) most = Math.max(most, wait - (before.get(tid) ?? 0));
  return most;
}
