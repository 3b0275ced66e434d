import { createRequire } from "node:module";
import path from "node:path";
import {
  KernelAPI,
  KernelManager,
  type KernelMessage,
  ServerConnection,
  type Session,
  SessionManager,
} from "@jupyterlab/services";
import { KernelStartError, RunAbortedError } from "./errors.ts";
import type { ExecuteReplyContent, IOPubMessage } from "./protocol.ts";
import { quietServicesLogs } from "./quiet-services.ts";
import type { KernelExit, KernelTransport } from "./transport.ts";

/** Options of the server transport. */
export interface ServerTransportOptions {
  /** The Jupyter server, e.g. `http://127.0.0.1:8888/`. */
  url: string;
  token: string;
  /** @default "tslab" */
  kernelName?: string | undefined;
  /** The kernel's working directory; the server runs the kernel there when it lies under the server's root (see `root`). */
  cwd: string;
  /** The server's root folder, to turn `cwd` into a server path. @default process.cwd() (a server started where tsnb runs) */
  root?: string | undefined;
  /** @default 60 */
  startTimeoutSec?: number | undefined;
  /** Give up starting (rejects with RunAbortedError; a session created later is shut down). */
  signal?: AbortSignal | undefined;
}

// Node 20 has no global WebSocket (22 has): @jupyterlab/services takes the `ws` package's constructor.
const WebSocketImpl = createRequire(import.meta.url)("ws") as typeof WebSocket;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * A kernel inside a Jupyter server, through `@jupyterlab/services` (REST + the kernel WebSocket):
 * a session is created for the notebook's folder, so the kernel runs where JupyterLab would run it.
 */
export class ServerTransport implements KernelTransport {
  readonly kind = "server" as const;
  readonly pid = undefined;
  readonly exited: Promise<KernelExit>;
  private markExited!: (exit: KernelExit) => void;
  private shuttingDown: Promise<void> | undefined;

  private constructor(
    private readonly session: Session.ISessionConnection,
    private readonly managers: { dispose(): void }[],
    private readonly settings: ServerConnection.ISettings,
    private readonly releaseLogs: () => void,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    const kernel = session.kernel!;
    // The server restarts a kernel that died (autorestarting): for a run that is a death all the same,
    // since the new kernel has lost every earlier cell's state.
    kernel.statusChanged.connect((_, status) => {
      if (status === "dead" || status === "autorestarting" || status === "restarting")
        this.markExited({ code: null, signal: null, detail: `kernel status ${status}` });
    });
    kernel.connectionStatusChanged.connect((_, status) => {
      if (this.shuttingDown) return;
      if (status === "disconnected")
        this.markExited({ code: null, signal: null, detail: "lost the connection to the Jupyter server" });
      // The WebSocket dropped and the library retries for a minute or more with backoff, while a cell
      // waits for a reply that will never come if the server itself is gone: ask the server now.
      else if (status === "connecting") void this.checkServer(kernel.id);
    });
  }

  /** Create a session with the kernelspec `kernelName`, and wait for the kernel's `kernel_info_reply`. */
  static async start(options: ServerTransportOptions): Promise<ServerTransport> {
    const kernelName = options.kernelName ?? "tslab";
    const serverSettings = ServerConnection.makeSettings({
      baseUrl: options.url,
      token: options.token,
      appendToken: true,
      WebSocket: WebSocketImpl,
    });
    const kernelManager = new KernelManager({ serverSettings });
    const sessionManager = new SessionManager({ kernelManager, serverSettings });
    // Their `ready` rejects when they are disposed before the server first answered (unreachable
    // server, wrong URL): nobody else awaits it, and an unhandled rejection would crash tsnb.
    kernelManager.ready.catch(() => undefined);
    sessionManager.ready.catch(() => undefined);
    const folder =
      options.root !== undefined
        ? underRoot(options.root, options.cwd)
        : await serverFolder(serverSettings, options.cwd);
    const timeoutMs = (options.startTimeoutSec ?? 60) * 1000;
    let session: Session.ISessionConnection | undefined;
    const releaseLogs = quietServicesLogs();
    try {
      const started = sessionManager.startNew(
        {
          path: `${folder ? `${folder}/` : ""}tsnb-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.ipynb`,
          type: "notebook",
          name: "tsnb run",
          kernel: { name: kernelName },
        },
        { kernelConnectionOptions: { handleComms: false } },
      );
      // Ends the waits below: the start timeout, or the caller's abort.
      const givingUp = new Promise<"timeout" | "aborted">((resolve) => {
        void sleep(timeoutMs).then(() => resolve("timeout"));
        if (options.signal?.aborted) resolve("aborted");
        options.signal?.addEventListener("abort", () => resolve("aborted"), { once: true });
      });
      const created = await Promise.race([started, givingUp]);
      if (typeof created === "string") {
        // The server may still create the session after we gave up: shut it down then, or its kernel
        // would live on in the server with nobody to use it.
        started.then((late) => late.shutdown()).catch(() => undefined);
        if (created === "aborted") throw new RunAbortedError("cancelled while the kernel was starting");
        throw new KernelStartError(
          `the Jupyter server at ${options.url} did not start kernel "${kernelName}" within ${timeoutMs / 1000} s`,
        );
      }
      session = created;
      const kernel = session.kernel;
      if (!kernel)
        throw new KernelStartError(`the Jupyter server at ${options.url} started a session without a kernel`);
      const info = await Promise.race([kernel.info, givingUp]);
      if (info === "aborted") throw new RunAbortedError("cancelled while the kernel was starting");
      if (info === "timeout")
        throw new KernelStartError(
          `kernel "${kernelName}" in ${options.url} did not answer kernel_info within ${timeoutMs / 1000} s`,
        );
      return new ServerTransport(session, [sessionManager, kernelManager], serverSettings, releaseLogs);
    } catch (error) {
      await session?.shutdown().catch(() => undefined);
      sessionManager.dispose();
      kernelManager.dispose();
      releaseLogs();
      if (error instanceof KernelStartError || error instanceof RunAbortedError) throw error;
      throw new KernelStartError(
        `cannot start kernel "${kernelName}" in the Jupyter server at ${options.url}: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  async execute(code: string, onIOPub: (message: IOPubMessage) => void): Promise<ExecuteReplyContent> {
    const future = this.session.kernel!.requestExecute({
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => onIOPub(msg as unknown as IOPubMessage);
    // @jupyterlab/services hands an update_display_data only to the future of the cell that first
    // displayed that id (long done here), never to the current one: take it from the kernel's
    // iopub signal instead. Applying an update twice (if both deliver it) changes nothing.
    const kernel = this.session.kernel!;
    const updates = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
      if (
        msg.header.msg_type === "update_display_data" &&
        (msg.parent_header as { msg_id?: string }).msg_id === future.msg.header.msg_id
      )
        onIOPub(msg as unknown as IOPubMessage);
    };
    kernel.iopubMessage.connect(updates);
    try {
      // `done` resolves after the reply and the kernel's idle status, like the embedded transport.
      const reply = await future.done;
      return reply.content as unknown as ExecuteReplyContent;
    } finally {
      kernel.iopubMessage.disconnect(updates);
    }
  }

  async interrupt(): Promise<void> {
    try {
      await this.session.kernel?.interrupt();
    } catch {
      // The server is unreachable: the session notices (checkServer) and the cell ends as `died`.
    }
  }

  /** After the WebSocket dropped: is the server still there, and does it still have our kernel? */
  private async checkServer(kernelId: string): Promise<void> {
    let detail: string | undefined;
    try {
      const model = await KernelAPI.getKernelModel(kernelId, this.settings);
      if (!model) detail = "the Jupyter server no longer has the kernel";
    } catch (error) {
      detail = `the Jupyter server stopped answering: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (detail && !this.shuttingDown) this.markExited({ code: null, signal: null, detail });
  }

  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      try {
        await this.session.shutdown();
      } catch {
        // the server is gone or the kernel already is
      }
      this.markExited({ code: null, signal: null, detail: "shut down" });
      for (const m of this.managers) m.dispose();
      this.releaseLogs();
    })();
    return this.shuttingDown;
  }
}

/** `cwd` as a server path under `root`, or "" (the root) when it lies outside. */
function underRoot(root: string, cwd: string): string {
  const relative = path.relative(path.resolve(root), path.resolve(cwd));
  return relative.startsWith("..") || path.isAbsolute(relative) ? "" : relative.split(path.sep).join("/");
}

/**
 * The server path of the folder `cwd`: the server does not tell its root folder, so ask its contents
 * API for the longest tail of `cwd` that it has as a directory (e.g. `lessons/notebooks` for
 * /home/me/course/lessons/notebooks when the server runs in /home/me/course). None: "" (the root).
 */
async function serverFolder(settings: ServerConnection.ISettings, cwd: string): Promise<string> {
  const parts = path.resolve(cwd).split(path.sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const candidate = parts.slice(i).join("/");
    const url = new URL(
      `api/contents/${candidate.split("/").map(encodeURIComponent).join("/")}?content=0`,
      settings.baseUrl.endsWith("/") ? settings.baseUrl : `${settings.baseUrl}/`,
    );
    try {
      const response = await ServerConnection.makeRequest(url.toString(), {}, settings);
      if (response.ok && ((await response.json()) as { type?: string }).type === "directory") return candidate;
    } catch {
      return "";
    }
  }
  return "";
}

function describe(error: unknown): string {
  if (error instanceof ServerConnection.ResponseError)
    return `${error.response.status} ${error.response.statusText}${error.message ? ` (${error.message})` : ""}`;
  // @jupyterlab/services' NetworkError keeps only fetch's "fetch failed" (the reason, e.g. ECONNREFUSED, is dropped).
  if (error instanceof ServerConnection.NetworkError)
    return `cannot reach it (${error.message}); is a server running at that URL?`;
  return error instanceof Error ? error.message : String(error);
}
