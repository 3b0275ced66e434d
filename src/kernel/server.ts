import type { ExecuteReplyContent, IOPubMessage } from "./protocol.ts";
import type { KernelExit, KernelTransport } from "./transport.ts";

/** Not yet built. */
export class ServerTransport implements KernelTransport {
  readonly kind = "server" as const;
  readonly pid = undefined;
  readonly exited: Promise<KernelExit> = new Promise(() => undefined);
  static async start(_options: { url: string; token: string; kernelName?: string; cwd: string; startTimeoutSec?: number | undefined }): Promise<ServerTransport> {
    throw new Error("server transport not built yet");
  }
  execute(_code: string, _onIOPub: (message: IOPubMessage) => void): Promise<ExecuteReplyContent> {
    throw new Error("not built");
  }
  async interrupt(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
