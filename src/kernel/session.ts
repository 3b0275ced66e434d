import type * as nbformat from "@jupyterlab/nbformat";
import type { CourseError } from "../errors.ts";
import { CellTimeoutError, KernelDiedError, type CellPlace } from "./errors.ts";
import { CellOutputs, DisplayRegistry } from "./outputs.ts";
import type { ExecuteReplyContent } from "./protocol.ts";
import type { KernelExit, KernelTransport } from "./transport.ts";

/** What one `execute` produced. */
export interface ExecuteResult {
  /**
   * `ok`; `error` (the cell raised: an `error` output is among `outputs`); `timeout` (interrupted
   * after `timeoutSec`; the kernel lives on unless `error` is a KernelDiedError); `died` (the kernel
   * process went away).
   */
  status: "ok" | "error" | "timeout" | "died";
  /** nbformat outputs, as nbclient stores them. Later `update_display_data` may still rewrite them. */
  outputs: nbformat.IOutput[];
  executionCount: number | null;
  /** CellTimeoutError or KernelDiedError for `timeout` and `died`. */
  error?: CourseError;
}

/** Options of one `execute`. */
export interface ExecuteOptions {
  /** Interrupt the cell after this many seconds. @default no limit */
  timeoutSec?: number;
  /** Named in error messages. */
  where?: CellPlace;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** How long tslab keeps answering `abort` after an error (200 ms in tslab 1.0.22), plus margin. */
const ABORT_WINDOW_MS = 250;
/** How long an interrupted cell gets to answer before the kernel is declared stuck and killed. */
const INTERRUPT_GRACE_MS = 5000;

/**
 * A running tslab kernel: execute cells one after another, interrupt, shut down.
 * @example
 * const kernel = await startKernel({ cwd: process.cwd() });
 * const { outputs } = await kernel.execute("1 + 1");   // [{ output_type: "stream", name: "stdout", text: "2\n" }]
 * await kernel.shutdown();
 */
export class KernelSession {
  private readonly displays = new DisplayRegistry();
  private exit: KernelExit | undefined;

  constructor(readonly transport: KernelTransport) {
    void transport.exited.then((e) => (this.exit = e));
  }

  /** The kernel's process id when it runs here (embedded). */
  get pid(): number | undefined {
    return this.transport.pid;
  }

  /** Whether the kernel process has gone away. */
  get dead(): boolean {
    return this.exit !== undefined;
  }

  /**
   * Execute one cell. Requests tslab answers `abort` (they arrived inside its ~200 ms window after
   * an error and never ran) are sent again after the window, so every cell really runs.
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const where = options.where ?? {};
    const cell = new CellOutputs(this.displays);
    if (this.exit) return this.died(cell, where);
    const deadline = options.timeoutSec ? Date.now() + options.timeoutSec * 1000 : undefined;
    for (let attempt = 0; ; attempt++) {
      const reply = this.transport.execute(code, (m) => cell.add(m));
      const outcome = await this.race(reply, deadline);
      if (outcome.kind === "died") return this.died(cell, where);
      if (outcome.kind === "timeout") return this.timedOut(cell, reply, options.timeoutSec!, where);
      const content = outcome.reply;
      const count = content.execution_count ?? null;
      if ((content.status === "abort" || content.status === "aborted") && attempt < 40) {
        await sleep(ABORT_WINDOW_MS);
        continue;
      }
      if (content.status === "ok") return { status: "ok", outputs: cell.outputs, executionCount: count };
      if (content.ename && !cell.outputs.some((o) => o.output_type === "error")) {
        cell.add({
          header: { msg_type: "error" },
          content: { ename: content.ename, evalue: content.evalue ?? "", traceback: content.traceback ?? [] },
        } as never);
      } else {
        cell.convertStderrError();
      }
      return { status: "error", outputs: cell.outputs, executionCount: count };
    }
  }

  private async race(reply: Promise<ExecuteReplyContent>, deadline: number | undefined) {
    type Outcome = { kind: "reply"; reply: ExecuteReplyContent } | { kind: "died" } | { kind: "timeout" };
    const racers: Promise<Outcome>[] = [
      reply.then((r) => ({ kind: "reply", reply: r })),
      this.transport.exited.then(() => ({ kind: "died" })),
    ];
    let timer: NodeJS.Timeout | undefined;
    if (deadline !== undefined)
      racers.push(
        new Promise((r) => (timer = setTimeout(() => r({ kind: "timeout" }), Math.max(0, deadline - Date.now())))),
      );
    try {
      return await Promise.race(racers);
    } finally {
      clearTimeout(timer);
    }
  }

  private async timedOut(
    cell: CellOutputs,
    reply: Promise<ExecuteReplyContent>,
    timeoutSec: number,
    where: CellPlace,
  ): Promise<ExecuteResult> {
    await this.transport.interrupt();
    const after = await this.race(reply, Date.now() + INTERRUPT_GRACE_MS);
    if (after.kind === "reply") {
      // The interrupt worked: drop tslab's "Interrupted asynchronously" text, say what happened.
      if (after.reply.status !== "ok") cell.convertStderrError();
      const error = new CellTimeoutError(timeoutSec, where);
      cell.outputs.splice(0, cell.outputs.length, ...cell.outputs.filter((o) => o.output_type !== "error"));
      cell.addError(error.name, error.message);
      // The interrupted cell ended in an error: let tslab's abort window pass before the next request.
      await sleep(ABORT_WINDOW_MS);
      return { status: "timeout", outputs: cell.outputs, executionCount: after.reply.execution_count ?? null, error };
    }
    // Deaf to SIGINT (e.g. blocked in Atomics.wait or a native call): stop it for good.
    const error = new CellTimeoutError(timeoutSec, where, "the kernel did not respond to the interrupt and was killed");
    await this.transport.shutdown();
    cell.addError(error.name, error.message);
    return { status: "timeout", outputs: cell.outputs, executionCount: null, error };
  }

  private died(cell: CellOutputs, where: CellPlace): ExecuteResult {
    const error = new KernelDiedError(this.exit?.detail ?? "unknown", where);
    cell.addError(error.name, error.message);
    return { status: "died", outputs: cell.outputs, executionCount: null, error };
  }

  /** Interrupt the running cell. */
  interrupt(): Promise<void> {
    return this.transport.interrupt();
  }

  /** Shut the kernel down (politely, then by force). Idempotent. */
  shutdown(): Promise<void> {
    return this.transport.shutdown();
  }
}
