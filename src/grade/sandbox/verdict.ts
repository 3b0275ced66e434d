// What to tell the learner when a call's time limit strikes. Several limits race (the call's time
// limit, the memory watch, V8's heap limit, the output cap) and on a loaded machine the one that
// fires first is not always the one the submission ran into: a memory bomb starved of CPU reaches
// the time limit before the memory limit. So the verdict is decided by what the process was doing
// at the moment of the kill, read from outside it (see proc-readings.ts), not by which timer won.
import type { SandboxLimits } from "./limits.ts";

/** Readings taken when a call's time limit struck (memory in MB, times in ms, output in bytes). */
export interface KillReadings {
  /** The time limit of the call, and the wall time it took to reach it (longer on a busy machine). */
  limitMs: number;
  elapsedMs: number;
  /** How long the most starved thread waited for a CPU meanwhile. */
  starvedMs: number;
  /** CPU time the process used meanwhile (all threads). */
  cpuMs: number;
  /** Resident memory now, about a second ago, and the lowest seen since the process started. */
  rssNow: number;
  rssSecondAgo: number;
  rssLow: number;
  /** Bytes the process printed meanwhile (kept or dropped). */
  outputBytes: number;
  /** False where /proc cannot be read (not Linux): only the time is known. */
  measured: boolean;
}

export type Verdict = { kind: "memory"; message: string } | { kind: "flood" | "busy" | "idle"; message: string };

/** At or above this share of a memory limit, the process was running out of memory. */
const NEAR = 0.8;
/** Memory that grew by this share of the tighter limit in the last second (and by twice it in all) is a bomb. */
const STEEP = 0.25;
/**
 * Output above this (or above the output cap, if higher) during one call is a flood. Printing to a
 * pipe blocks while the reader is behind, so on a loaded machine a print loop gets out only some
 * 100 KB a second (measured beside two CPU burners): the mark is low, a learner's few debugging
 * lines stay below it.
 */
const FLOOD_BYTES = 32 * 1024;
/** CPU time above this share of the process's own time: it was computing, not waiting. */
const BUSY = 0.5;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const mb = (n: number) => `${Math.round(n)} MB`;
const size = (bytes: number) => (bytes >= 2 ** 20 ? mb(bytes / 2 ** 20) : `${Math.round(bytes / 1024)} KB`);

/**
 * The verdict on a process stopped by a time limit: "flood" when it printed without end (the output
 * may queue up in its memory: the message then says so too), "memory" when its memory was near a
 * limit or growing steeply (it would have run out had it had the CPU), else "busy" (an endless
 * loop) or "idle" (waiting on something that never comes). Messages of
 * kinds other than "memory" start with "no answer within <limit>".
 */
export function killVerdict(r: KillReadings, limits: Pick<SandboxLimits, "rssMb" | "heapMb" | "outputBytes">): Verdict {
  const grown = r.rssNow - r.rssLow;
  const lastSecond = r.rssNow - r.rssSecondAgo;
  const tighter = Math.min(limits.rssMb, limits.heapMb);
  const nearRss = r.rssNow >= NEAR * limits.rssMb;
  const nearHeap = grown >= NEAR * limits.heapMb;
  const steep = lastSecond >= STEEP * tighter && grown >= 2 * STEEP * tighter;
  const load =
    r.starvedMs >= 0.1 * r.elapsedMs
      ? ` (the machine was busy: it waited ${seconds(r.starvedMs)} for a CPU, so the limit struck after ${seconds(r.elapsedMs)})`
      : "";
  const memory = nearRss || nearHeap || steep;
  const where = nearRss
    ? `${mb(r.rssNow)} of its ${mb(limits.rssMb)} memory limit`
    : nearHeap
      ? `${mb(grown)} more than at start, near its ${mb(limits.heapMb)} heap limit`
      : `${mb(r.rssNow)}, ${mb(lastSecond)} more than a second before`;
  const head = `no answer within ${seconds(r.limitMs)}`;
  // A flood first: printing without end is what the code did, even when the output queued up in memory.
  if (r.outputBytes >= Math.max(FLOOD_BYTES, limits.outputBytes))
    return {
      kind: "flood",
      message: `${head}: it printed ${size(r.outputBytes)} of output meanwhile (an endless print loop?)${memory ? `, and held ${where}` : ""}${load}`,
    };
  if (memory)
    return {
      kind: "memory",
      message: `was running out of memory (it held ${where}) when the ${seconds(r.limitMs)} time limit struck${load}`,
    };
  if (!r.measured)
    return { kind: "idle", message: `${head} (an endless loop, a deadlock, or a promise that never settles?)` };
  const own = Math.max(1, r.elapsedMs - r.starvedMs);
  if (r.cpuMs >= BUSY * own)
    return {
      kind: "busy",
      message: `${head}: it kept the CPU busy all the time (an endless loop, or a lock spun on forever?)${load}`,
    };
  return {
    kind: "idle",
    message: `${head}: it sat waiting (a hang, a deadlock, or a promise that never settles?)${load}`,
  };
}
