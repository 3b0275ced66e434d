// The processes a sandbox started (an exercise whose declaration lets it start child processes):
// found from outside through Linux /proc, so the submission can neither hide nor fake them. The
// sandbox's memory limit covers the whole tree, and the tree dies with the sandbox. Elsewhere (a
// macOS laptop) nothing is found: children then end with the runner's process group.
import { readFileSync } from "node:fs";
import { threadFiles } from "./proc-readings.ts";

interface ProcStat {
  state: string;
  /** Start time in clock ticks since boot: with the pid, names a process even after pid reuse. */
  start: number;
}

function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: read the fields after its last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, start: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** Direct children of `pid`, started by any of its threads (a worker thread may spawn too). */
function childrenOf(pid: number): number[] {
  return threadFiles(pid, "children").flatMap(([, text]) =>
    text
      .split(" ")
      .filter((c) => c.trim())
      .map(Number),
  );
}

/** Every descendant of `pid` that is still running (zombies, dead but not yet reaped, excluded). */
export function liveDescendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of childrenOf(p)) {
      if (stat(c)?.state !== "Z") out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function residentMb(pid: number): number {
  try {
    return (Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096) / 2 ** 20;
  } catch {
    return 0;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Watches a sandbox's descendants: remembers each one it sees (pid and start time), sums their
 * resident memory, and kills them all (`killAll`), including those whose parent already died.
 */
export class ProcessTree {
  readonly #root: number;
  /** Every descendant seen so far, pid -> start time. */
  readonly #seen = new Map<number, number>();
  /** The processes the last killAll signalled. */
  #killed: number[] = [];

  constructor(root: number) {
    this.#root = root;
  }

  /** Live descendants now (pids), remembering them for `killAll`. */
  scan(): number[] {
    const pids = liveDescendants(this.#root);
    for (const pid of pids) if (!this.#seen.has(pid)) this.#seen.set(pid, stat(pid)?.start ?? -1);
    return pids;
  }

  /** Resident memory of the descendants, in MB (the root's own not included). */
  descendantsMb(): number {
    return this.scan().reduce((sum, pid) => sum + residentMb(pid), 0);
  }

  /**
   * SIGKILL the root and every descendant. Each process is stopped (SIGSTOP) before its children are
   * read, and the tree is walked twice: a process cannot start another one between our reading of
   * its children and its death. Descendants seen earlier whose parent died (reparented, out of the
   * tree) are killed too, when their start time shows the pid was not reused.
   */
  killAll(): void {
    const found = new Set<number>();
    for (let pass = 0; pass < 2; pass++) {
      const walk = (p: number) => {
        signal(p, "SIGSTOP");
        found.add(p);
        for (const c of childrenOf(p)) if (!found.has(c)) walk(c);
      };
      if (stat(this.#root)) walk(this.#root);
    }
    for (const [pid, start] of this.#seen) if (!found.has(pid) && stat(pid)?.start === start) found.add(pid);
    for (const pid of found) signal(pid, "SIGKILL");
    this.#killed = [...found];
  }

  /** Resolves once every process the last killAll signalled is gone (a zombie counts as gone), or after `timeoutMs`. */
  async gone(timeoutMs = 2000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const running = (pid: number) => {
      const s = stat(pid);
      return s !== undefined && s.state !== "Z";
    };
    while (this.#killed.some(running) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
}
