import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { SandboxExitError, SandboxTimeoutError, SubmissionLoadError, SubmissionThrewError } from "./errors.ts";
import { DEFAULT_LIMITS, type SandboxLimits, type SandboxPermissions } from "./limits.ts";
import type { CallMessage, HostMessage } from "./protocol.ts";
import { cpuMs, rssMb } from "./proc-readings.ts";
import { ProcessTree } from "./process-tree.ts";
import { armTimeLimit } from "./time-limit.ts";
import { killVerdict, type Verdict } from "./verdict.ts";
import { decodeWire, encodeWire } from "./wire-codec.cjs";

/**
 * The grader may lower every call's limit (TSNB_GRADE_CALL_TIMEOUT_MS, from GradeOptions.callTimeoutMs):
 * a suite's own timeoutMs is an upper bound for slow-but-correct code, never more than this cap.
 */
function callLimit(requested: number | undefined): number {
  const cap = Number(process.env["TSNB_GRADE_CALL_TIMEOUT_MS"] ?? Number.POSITIVE_INFINITY);
  return Math.min(requested ?? 10_000, cap > 0 ? cap : Number.POSITIVE_INFINITY);
}

/** Limits the grader set for this run (TSNB_GRADE_LIMITS, JSON of Partial<SandboxLimits>). */
function limitsFromEnv(): Partial<SandboxLimits> {
  try {
    return JSON.parse(process.env["TSNB_GRADE_LIMITS"] ?? "{}") as Partial<SandboxLimits>;
  } catch {
    return {};
  }
}

/** Permissions the grader gave this exercise's sandboxes (TSNB_GRADE_PERMISSIONS, JSON of SandboxPermissions). */
function permissionsFromEnv(): SandboxPermissions {
  try {
    return JSON.parse(process.env["TSNB_GRADE_PERMISSIONS"] ?? "{}") as SandboxPermissions;
  } catch {
    return {};
  }
}

/** Node's permission flag: `--permission` from Node 22.13/23.5, `--experimental-permission` before. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has("--permission")
  ? "--permission"
  : "--experimental-permission";

/** How often the memory watch reads the process's resident memory, and how many readings it keeps. */
const MEMORY_EVERY_MS = 100;
const MEMORY_KEPT = 15;

/**
 * One sandbox process running a submission, driven by a grading suite. The process may read only
 * its own folder and node_modules (Node's permission model), may start worker threads but no child
 * processes (unless its exercise allows them: {@link SandboxPermissions}), may connect to 127.0.0.1 only (preload), and is killed on a timeout, on exceeding its
 * memory limits, or when closed. What it prints is captured (capped) for the report, never parsed.
 */
export class Sandbox {
  /** Sandboxes whose process is still running, in this suite's thread (see closeAll). */
  static readonly #running = new Set<Sandbox>();
  /** The sandbox the tests of this run share (see shared), or the opening of it. */
  static #shared: Promise<Sandbox> | undefined;
  readonly #child: ChildProcess;
  readonly #limits: SandboxLimits;
  #output = "";
  #dropped = 0;
  #exit: Promise<string>;
  #exitReason: string | undefined;
  #ready: Promise<void>;
  #nextId = 1;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #uncaught: string[] = [];
  #memoryTimer: NodeJS.Timeout;
  /** Resident memory readings (newest last, MB) and the lowest one seen: what a verdict reads. */
  #rss: Array<{ at: number; mb: number }> = [];
  #rssLow = Number.POSITIVE_INFINITY;
  /** Bytes printed so far, kept or dropped. */
  #printed = 0;
  #killedFor: string | undefined;
  /** The processes the submission started, where its exercise allows child processes. */
  #tree: ProcessTree | undefined;
  /** A time limit killed the process: the limit's own rejection reports it, not the exit. */
  #limitStruck = false;

  private constructor(workdir: string, limits: SandboxLimits, permissions: SandboxPermissions) {
    this.#limits = limits;
    const nodeModules = path.join(process.env["TSNB_GRADE_ROOT"] ?? process.cwd(), "node_modules");
    this.#child = fork(path.join(workdir, "host.cjs"), [], {
      cwd: workdir,
      env: {
        NODE_PATH: nodeModules,
        PATH: process.env["PATH"] ?? "",
        HOME: path.join(workdir, "scratch"),
        TMPDIR: path.join(workdir, "scratch"),
        NODE_OPTIONS: "",
      },
      execArgv: [
        PERMISSION_FLAG,
        `--allow-fs-read=${workdir}/*`,
        `--allow-fs-read=${nodeModules}/*`,
        // The folder itself is read-only to the submission (a test must not rewrite the code or the
        // probes the next test loads); it may write in scratch/ only.
        `--allow-fs-write=${path.join(workdir, "scratch")}/*`,
        "--allow-worker",
        ...(permissions.childProcesses ? ["--allow-child-process"] : []),
        "--no-warnings",
        `--max-old-space-size=${limits.heapMb}`,
        "--require",
        path.join(workdir, "preload.cjs"),
      ],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // JSON carrying wire-codec.cjs text both ways (undefined, Maps, Dates... survive in the text).
      serialization: "json",
    });
    const capture = (chunk: Buffer) => {
      this.#printed += chunk.length;
      const room = this.#limits.outputBytes - this.#output.length;
      if (room > 0) this.#output += chunk.toString("utf8", 0, Math.min(room, chunk.length));
      this.#dropped += Math.max(0, chunk.length - Math.max(room, 0));
    };
    if (permissions.childProcesses && this.#child.pid !== undefined) this.#watchTree(this.#child.pid, limits);
    this.#child.stdout?.on("data", capture);
    this.#child.stderr?.on("data", capture);
    // Memory outside the V8 heap (Buffers, worker heaps) is not bounded by --max-old-space-size.
    this.#memoryTimer = setInterval(() => {
      if (!this.#child.pid) return;
      const mb = rssMb(this.#child.pid);
      if (mb === 0) return; // not Linux, or already gone
      this.#rss.push({ at: performance.now(), mb });
      if (this.#rss.length > MEMORY_KEPT) this.#rss.shift();
      this.#rssLow = Math.min(this.#rssLow, mb);
      if (mb > limits.rssMb) this.#kill(`used more than ${limits.rssMb} MB of memory`);
    }, MEMORY_EVERY_MS);
    this.#memoryTimer.unref();
    Sandbox.#running.add(this);
    this.#exit = new Promise((resolve) => {
      this.#child.on("exit", (code, signal) => {
        Sandbox.#running.delete(this);
        clearInterval(this.#memoryTimer);
        // V8's own report of a full heap wins over a kill that came while it was aborting.
        const oom = /heap out of memory|Allocation failed/i.test(this.#output);
        this.#exitReason = oom
          ? `ran out of memory (heap limit ${limits.heapMb} MB)`
          : (this.#killedFor ??
            (this.#uncaught.length > 0 && code === 70
              ? `crashed on an uncaught error (${this.#uncaught[0]})`
              : signal
                ? `was killed by ${signal}`
                : `exited with code ${code} (process.exit?)`));
        const error = new SandboxExitError(
          `the submission's process ${this.#exitReason} before answering${this.#tail()}`,
        );
        for (const p of this.#pending.values()) p.reject(error);
        this.#pending.clear();
        resolve(this.#exitReason);
      });
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#child.on("message", (raw) => {
        // The host sends text from wire-codec.cjs (it says why); anything else is not the host's.
        if (typeof raw !== "string") return;
        let m: HostMessage;
        try {
          m = decodeWire(raw) as HostMessage;
        } catch {
          return;
        }
        if (!m || typeof m !== "object") return;
        if (m.type === "ready") {
          if (m.loadError)
            reject(
              new SubmissionLoadError(`your code threw while loading: ${m.loadError.name}: ${m.loadError.message}`),
            );
          else resolve();
        } else if (m.type === "result") {
          const p = this.#pending.get(m.id);
          this.#pending.delete(m.id);
          if (!p) return;
          if (m.ok) p.resolve(m.value);
          else p.reject(new SubmissionThrewError(`your code threw: ${m.error.name}: ${m.error.message}`));
        } else if (m.type === "uncaught") {
          if (this.#uncaught.length < 5) this.#uncaught.push(`${m.error.name}: ${m.error.message}`);
        }
      });
      this.#exit.then((reason) => {
        if (!this.#limitStruck)
          reject(new SandboxExitError(`the submission's process ${reason} while loading${this.#tail()}`));
      });
    });
    this.#ready.catch(() => {});
  }

  #tail(): string {
    const out = this.output().trim();
    return out ? `\n--- its output ---\n${out.slice(-1500)}` : "";
  }

  #kill(reason: string): void {
    this.#killedFor ??= reason;
    if (this.#tree) this.#tree.killAll();
    else this.#child.kill("SIGKILL");
  }

  /**
   * Children of the submission: their memory counts in the sandbox's limit, and they die with it,
   * also when the sandbox process itself exits first (they would otherwise run on, reparented).
   */
  #watchTree(pid: number, limits: SandboxLimits): void {
    const tree = new ProcessTree(pid);
    this.#tree = tree;
    const timer = setInterval(() => {
      if (rssMb(pid) + tree.descendantsMb() > limits.rssMb)
        this.#kill(`used more than ${limits.rssMb} MB of memory (with its child processes)`);
    }, 100);
    timer.unref();
    this.#child.on("exit", () => {
      clearInterval(timer);
      tree.killAll();
    });
  }

  /** Pids of the processes the submission started that are still running (empty unless the exercise allows children). */
  processes(): number[] {
    return this.#tree?.scan() ?? [];
  }

  /** The sandbox process's pid. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /**
   * Arm a time limit of `limitMs` (the process's own time: see time-limit.ts). When it strikes, the
   * process is killed and `reject` gets the verdict on what it was doing: out of memory (status
   * "error"), or no answer (status "timeout": a flood, an endless loop, a wait). Returns a canceller.
   */
  #armLimit(limitMs: number, loading: boolean, reject: (error: Error) => void, onStrike = () => {}): () => void {
    const pid = this.#child.pid;
    if (pid === undefined) return () => {}; // it never started: the exit handler reports that
    const cpuBefore = cpuMs(pid);
    const printedBefore = this.#printed;
    return armTimeLimit(pid, limitMs, ({ elapsedMs, starvedMs }) => {
      const now = performance.now();
      const rssNow = rssMb(pid);
      const secondAgo = this.#rss.find((r) => r.at >= now - 1000) ?? { mb: rssNow };
      const verdict = killVerdict(
        {
          limitMs,
          elapsedMs,
          starvedMs,
          cpuMs: cpuMs(pid) - cpuBefore,
          rssNow,
          rssSecondAgo: secondAgo.mb,
          rssLow: Math.min(this.#rssLow, rssNow),
          outputBytes: this.#printed - printedBefore,
          measured: rssNow > 0,
        },
        this.#limits,
      );
      this.#limitStruck = true;
      onStrike();
      const ownReason = verdict.kind === "memory" ? verdict.message : `was stopped after ${limitMs / 1000} s`;
      this.#kill(ownReason);
      void this.#exit.then((reason) => reject(this.#limitError(verdict, reason, ownReason, loading)));
    });
  }

  /** The error a struck time limit reports, once the process is gone (its exit may tell more). */
  #limitError(verdict: Verdict, reason: string, ownReason: string, loading: boolean): Error {
    const when = loading ? "while loading" : "before answering";
    // Another limit got there first (the memory watch, V8's heap limit), or the verdict is memory.
    if (reason !== ownReason || verdict.kind === "memory")
      return new SandboxExitError(`the submission's process ${reason} ${when}${this.#tail()}`);
    return new SandboxTimeoutError(
      `${loading ? "your code did not finish loading: " : ""}${verdict.message}${this.#tail()}`,
    );
  }

  /** Start a sandbox for the submission prepared in `workdir` (default: `$TSNB_GRADE_WORKDIR`). */
  static async open(
    options: {
      workdir?: string;
      limits?: Partial<SandboxLimits>;
      loadTimeoutMs?: number;
      /** Beyond the defaults; `tsnb grade` passes the exercise's own (TSNB_GRADE_PERMISSIONS). */
      permissions?: SandboxPermissions;
    } = {},
  ): Promise<Sandbox> {
    const workdir = options.workdir ?? process.env["TSNB_GRADE_WORKDIR"];
    if (!workdir) throw new Error("TSNB_GRADE_WORKDIR is not set: run grading suites through `tsnb grade`");
    const sandbox = new Sandbox(
      workdir,
      { ...DEFAULT_LIMITS, ...limitsFromEnv(), ...options.limits },
      options.permissions ?? permissionsFromEnv(),
    );
    const limit = callLimit(options.loadTimeoutMs);
    let cancel = () => {};
    try {
      await Promise.race([
        sandbox.#ready,
        new Promise((_, reject) => {
          cancel = sandbox.#armLimit(limit, true, reject);
        }),
      ]);
    } catch (error) {
      await sandbox.close();
      throw error;
    } finally {
      cancel();
    }
    return sandbox;
  }

  /**
   * The sandbox that the tests of this submission's run share, where the suite says isolation
   * between its tests is not needed (`probe(..., { shared: true })`): one process start for them
   * all, not one per test (60-200 ms each on 2 shared cores). Still fresh per submission: closeAll
   * ends it when the suite's file ends. A test never inherits a process that died (a limit killed
   * it, the submission exited: a new one opens, and reports a load error again) or one still busy
   * with a call an earlier test abandoned (it is killed and replaced). Calls chain on the previous
   * opening: two tests asking at once (concurrent tests) get the same process, never two.
   */
  static shared(): Promise<Sandbox> {
    const previous = Sandbox.#shared;
    const next = (async () => {
      const current = await previous?.catch(() => undefined);
      if (current && current.#exitReason === undefined && current.#pending.size === 0) return current;
      await current?.close();
      return Sandbox.open();
    })();
    Sandbox.#shared = next;
    return next;
  }

  /**
   * Run the exercise's probe `name` on the submission; resolves with what the probe returned.
   * The process is killed if it does not answer within `timeoutMs` (a hang or a deadlock).
   */
  call<T = unknown>(name: string, args: unknown = {}, options: { timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = callLimit(options.timeoutMs);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#exitReason !== undefined)
        return reject(new SandboxExitError(`the submission's process ${this.#exitReason}${this.#tail()}`));
      // The pending entry goes before the kill: the exit must not answer this call as a plain exit.
      const cancel = this.#armLimit(timeoutMs, false, reject, () => this.#pending.delete(id));
      this.#pending.set(id, {
        resolve: (v) => (cancel(), resolve(v as T)),
        reject: (e) => (cancel(), reject(e)),
      });
      this.#child.send(encodeWire({ type: "call", id, probe: name, args } satisfies CallMessage));
    });
  }

  /** What the submission printed so far (capped), with a note of how much was dropped. */
  output(): string {
    const extra = this.#uncaught.length ? `\n[uncaught in your code: ${this.#uncaught.join("; ")}]` : "";
    return this.#output + (this.#dropped > 0 ? `\n[... ${this.#dropped} more bytes of output dropped]` : "") + extra;
  }

  /**
   * Close every sandbox still running: a test cut short (vitest's test timeout) leaves its sandbox
   * behind, and a warm suite runner must not carry one into the next submission's run.
   */
  static async closeAll(): Promise<void> {
    Sandbox.#shared = undefined;
    await Promise.all([...Sandbox.#running].map((s) => s.close()));
  }

  /** Kill the process (if still running) and wait for it to be gone. */
  async close(): Promise<void> {
    if (this.#exitReason === undefined) this.#kill("was closed");
    await this.#exit;
    await this.#tree?.gone();
  }
}

/** Options of {@link probe}. */
export interface ProbeOptions {
  /** The call's time limit (capped by the grader's `--call-timeout`). @default 10000 */
  timeoutMs?: number;
  /**
   * Run in the sandbox this submission's tests share ({@link Sandbox.shared}) instead of a process
   * of its own: for tests whose probes build everything they use afresh, so no test can pass or
   * fail by what an earlier one left in the process. @default false
   */
  shared?: boolean;
}

/** Open a sandbox, run one probe, close (or run it in the shared sandbox): the common case of a test. */
export async function probe<T = unknown>(name: string, args: unknown = {}, options: ProbeOptions = {}): Promise<T> {
  const { shared = false, ...callOptions } = options;
  if (shared) return (await Sandbox.shared()).call<T>(name, args, callOptions);
  const sandbox = await Sandbox.open();
  try {
    return await sandbox.call<T>(name, args, callOptions);
  } finally {
    await sandbox.close();
  }
}
