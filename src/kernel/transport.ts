import type { ExecuteReplyContent, IOPubMessage } from "./protocol.ts";

/** Why a kernel went away. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Human-readable, e.g. `killed by SIGKILL`, `exit code 3`, `status dead`. */
  detail: string;
}

/**
 * One running kernel, whatever carries its messages. Two implementations: `EmbeddedTransport`
 * (tslab spawned here, ZeroMQ) and `ServerTransport` (a Jupyter server, `@jupyterlab/services`).
 */
export interface KernelTransport {
  readonly kind: "embedded" | "server";
  /** The kernel's process id, when it runs on this machine and is known. */
  readonly pid: number | undefined;
  /**
   * Send an `execute_request`; call `onIOPub` for every iopub message it causes; resolve with the
   * `execute_reply` content once the reply and the kernel's `idle` status both arrived (so no output
   * is missed). Never resolves if the kernel dies: race it with `exited`.
   */
  execute(code: string, onIOPub: (message: IOPubMessage) => void): Promise<ExecuteReplyContent>;
  /** Interrupt the running cell (SIGINT or `interrupt_request`, as the kernelspec says). */
  interrupt(): Promise<void>;
  /** Shut down politely, then by force; resolves when the kernel is gone. Idempotent. */
  shutdown(): Promise<void>;
  /** Resolves when the kernel went away for any reason, including `shutdown()`. */
  readonly exited: Promise<KernelExit>;
}
