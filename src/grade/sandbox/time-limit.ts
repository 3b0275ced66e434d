// A time limit that counts the sandbox's own time: wall time minus the time the machine kept its
// threads waiting for a CPU. On a quiet machine the two are the same; with other processes burning
// the cores (a CI runner, `--jobs 2` beside other work) a fixed wall-clock budget would cut off
// correct code and call slow-but-fine code a hang. The stretch is bounded, so a submission that
// starves itself (more busy threads than cores) cannot buy more than MAX_STRETCH x the limit.
import { runQueueWaitMs, starvedSinceMs } from "./proc-readings.ts";

/** The limit never stretches beyond this many times its wall-clock length. */
export const MAX_STRETCH = 3;

/** When a limit struck: the wall time it took, and how long the process waited for a CPU meanwhile. */
export interface LimitStruck {
  elapsedMs: number;
  starvedMs: number;
}

/**
 * Call `expire` once process `pid` has had `limitMs` of its own time (at most MAX_STRETCH x
 * `limitMs` of wall time). Returns a function that cancels the limit.
 */
export function armTimeLimit(pid: number, limitMs: number, expire: (at: LimitStruck) => void): () => void {
  const started = performance.now();
  const waitsBefore = runQueueWaitMs(pid);
  let timer: NodeJS.Timeout;
  const check = () => {
    const elapsedMs = performance.now() - started;
    const starvedMs = starvedSinceMs(pid, waitsBefore);
    const left = limitMs - (elapsedMs - starvedMs);
    if (left > 5 && elapsedMs < MAX_STRETCH * limitMs)
      timer = setTimeout(check, Math.min(left, MAX_STRETCH * limitMs - elapsedMs));
    else expire({ elapsedMs, starvedMs });
  };
  timer = setTimeout(check, limitMs);
  return () => clearTimeout(timer);
}
