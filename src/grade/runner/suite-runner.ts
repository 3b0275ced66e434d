import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { Exercise } from "../exercises.ts";
import type { GradeOptions } from "../types.ts";
import type { GradeRequest, RunnerMessage } from "./protocol.ts";

type TestReport = Extract<RunnerMessage, { type: "test" }>;

/** What one submission's run gave: the runner's reports, and how the run ended. */
export interface RunReport {
  tests: TestReport[];
  /** The runner said `end` (otherwise it died or was stopped first). */
  ended: boolean;
  /** Errors the runner reported with `end` (the suite failed to load, an unhandled rejection). */
  errors: string[];
  /** The whole-submission limit struck (the runner was killed). */
  timedOut: boolean;
  /** When the runner died: its exit code, and the tail of what it printed. */
  exitCode?: number | null;
  output: string;
}

/** Kill a process group (the suite runner and every sandbox it started), ignoring one already gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * A warm suite runner (vitest-runner.mjs) for one exercise: a trusted process, its own process
 * group, that loads vitest and the suite once and then grades one submission after another, each
 * in its own fresh folder with fresh sandbox processes. Anything abnormal (the whole-submission
 * limit, the runner dying) kills its group; the runner is then {@link SuiteRunner.usable} no more
 * and the caller starts a new one.
 */
export class SuiteRunner {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  readonly #ready: Promise<void>;
  #output = "";
  #dead = false;
  #busy = false;
  #onMessage: ((m: RunnerMessage) => void) | undefined;

  constructor(
    readonly exercise: Exercise,
    root: string,
    opts: GradeOptions,
  ) {
    // The exercise and the folder its submissions' folders go in, as arguments: `ps` shows them.
    this.#child = fork(path.join(root, "src/grade/runner/vitest-runner.mjs"), [exercise.id, os.tmpdir()], {
      cwd: root,
      detached: true,
      execArgv: ["--no-warnings"],
      env: {
        ...process.env,
        TSNB_GRADE_SUITE: exercise.suite,
        TSNB_GRADE_ROOT: root,
        TSNB_GRADE_TEST_TIMEOUT_MS: String(opts.testTimeoutMs),
        TSNB_GRADE_CALL_TIMEOUT_MS: String(opts.callTimeoutMs),
        TSNB_GRADE_LIMITS: JSON.stringify(opts.limits ?? {}),
        // What this exercise's sandboxes may do beyond the defaults (Exercise.sandbox).
        TSNB_GRADE_PERMISSIONS: JSON.stringify(exercise.sandbox ?? {}),
        NODE_OPTIONS: "",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString("utf8")).slice(-4000);
    };
    this.#child.stdout?.on("data", keep);
    this.#child.stderr?.on("data", keep);
    let ready = () => {};
    this.#ready = new Promise((resolve) => (ready = resolve));
    this.#child.on("message", (m) => {
      if ((m as RunnerMessage).type === "ready") ready();
      else this.#onMessage?.(m as RunnerMessage);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.on("exit", (code) => {
        this.#dead = true;
        resolve(code);
      });
      this.#child.on("error", (error) => {
        this.#dead = true;
        this.#output += `\nthe suite runner could not start: ${error.message}`;
        resolve(null);
      });
    });
  }

  /** True while the runner is alive and not grading: it may take the next submission. */
  get usable(): boolean {
    return !this.#dead && !this.#busy;
  }

  /**
   * Grade the submission prepared in `workdir`: resolves with the runner's reports once it said
   * `end`, died, or `timeoutMs` passed (from the moment the runner got the request, its start-up
   * included on first use; then the runner is killed).
   */
  async grade(workdir: string, timeoutMs: number): Promise<RunReport> {
    if (!this.usable) throw new Error("grader bug: this suite runner is busy or gone");
    this.#busy = true;
    const tests: TestReport[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void this.close();
    }, timeoutMs);
    try {
      const end = await new Promise<string[] | undefined>((resolve) => {
        this.#onMessage = (m) => {
          if (m.type === "test") tests.push(m);
          else if (m.type === "end") resolve(m.errors);
        };
        void this.#exited.then(() => resolve(undefined));
        // The first request waits for vitest to load: the runner listens for requests only then.
        void this.#ready.then(() => {
          if (this.#dead) return;
          this.#child.send({ type: "grade", workdir } satisfies GradeRequest, (error) => {
            if (error) void this.close(); // the channel closed under us: the exit reports it
          });
        });
      });
      const report: RunReport = { tests, ended: end !== undefined, errors: end ?? [], timedOut, output: "" };
      if (end === undefined) {
        report.exitCode = await this.#exited;
        report.output = this.#output.trim();
      }
      return report;
    } finally {
      clearTimeout(timer);
      this.#onMessage = undefined;
      this.#busy = false;
    }
  }

  /** Kill the runner's whole group (the runner and any sandbox still running) and wait for it. */
  async close(): Promise<void> {
    killGroup(this.#child.pid);
    await this.#exited;
  }
}
