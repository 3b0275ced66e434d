/** A programmatic tslab kernel session: start, execute cells, interrupt, shut down. */
import { EmbeddedTransport } from "./embedded.ts";
import { KernelSession } from "./session.ts";

export { KernelSession, type ExecuteResult, type ExecuteOptions } from "./session.ts";
export {
  KernelDiedError,
  CellTimeoutError,
  KernelStartError,
  CellExecutionError,
  RunAbortedError,
  type CellPlace,
} from "./errors.ts";
export type { KernelTransport, KernelExit } from "./transport.ts";
export { EmbeddedTransport } from "./embedded.ts";

/** Where to find a Jupyter server (absent: the embedded transport). */
export interface ServerOptions {
  /** e.g. `http://127.0.0.1:8888/` */
  url: string;
  token: string;
  /** The kernelspec to start. @default "tslab" */
  kernelName?: string;
}

/** Options of {@link startKernel}. */
export interface StartKernelOptions {
  /** The kernel's working directory (for a notebook: its folder). */
  cwd: string;
  /** Give up when the kernel has not answered `kernel_info` after this many seconds. @default 60 */
  startTimeoutSec?: number;
  /** The kernel's environment (embedded only). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Run the kernel in a Jupyter server instead of spawning it here. */
  server?: ServerOptions;
  /** Give up starting: the kernel is shut down and the promise rejects with RunAbortedError (`ERR_ABORTED`). */
  signal?: AbortSignal | undefined;
}

/**
 * Start a tslab kernel and wait until it answers.
 * @throws KernelStartError (`ERR_KERNEL_START`) when it exits or stays silent; RunAbortedError when `signal` aborts.
 * @example
 * const kernel = await startKernel({ cwd: "notebooks" });
 * const result = await kernel.execute('console.log("hi")', { timeoutSec: 10 });
 * await kernel.shutdown();
 */
export async function startKernel(options: StartKernelOptions): Promise<KernelSession> {
  if (options.server) {
    const { ServerTransport } = await import("./server.ts");
    return new KernelSession(
      await ServerTransport.start({
        ...options.server,
        cwd: options.cwd,
        startTimeoutSec: options.startTimeoutSec,
        signal: options.signal,
      }),
    );
  }
  return new KernelSession(await EmbeddedTransport.start(options));
}
