import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Dealer, Request, Subscriber } from "zeromq";
import { type ConnectionInfo, endpoint, newConnectionInfo } from "./connection.ts";
import { KernelStartError, RunAbortedError } from "./errors.ts";
import {
  type AnyMessage,
  type ExecuteReplyContent,
  type IOPubMessage,
  type RequestMessage,
  type StatusMessage,
  deserialize,
  executeRequest,
  isIOPub,
  makeMessage,
  parentId,
  serialize,
} from "./protocol.ts";
import type { KernelExit, KernelTransport } from "./transport.ts";
import { buildSnapshotInBackground, discardSnapshot, readySnapshot } from "./snapshot.ts";
import { tslabBin, watchdogPath } from "./tslab-path.ts";

/** Options of the embedded transport. */
export interface EmbeddedOptions {
  /** The kernel's working directory (the notebook's folder). */
  cwd: string;
  /** @default 60 */
  startTimeoutSec?: number;
  env?: NodeJS.ProcessEnv;
  /** Abort the start (the kernel is killed; rejects with RunAbortedError). */
  signal?: AbortSignal | undefined;
}

/**
 * Our sockets connect before the kernel has bound its ports (it binds them after ~0.3-1 s of start-up),
 * so each connect is refused and retried after ZeroMQ's `reconnectInterval` (plus up to as much again of
 * jitter). A 10 ms interval made the first kernel_info reach a kernel 45-80 ms after it bound its ports
 * instead of 100-330 ms, but every start then tried hundreds of connects, each taking a local port from the
 * range the system also hands out for other connections; two CI runs with it each had one kernel start that
 * never finished (an embedded kernel, and one a Jupyter server started), which fits a kernel whose port was
 * taken before it could bind it (see spawnKernel), and none was seen before it. ZeroMQ's (and every Jupyter
 * client's) default of 100 ms stays until a start can be measured not to suffer from it.
 */
const SOCKET_OPTIONS = { linger: 0 };
/** Starts on fresh ports after a port was taken (see spawnKernel). */
const PORT_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * tslab spawned from this checkout's node_modules (`node tslab kernel --config-path FILE`), spoken to
 * over ZeroMQ: shell, control and stdin Dealers, an iopub Subscriber, a heartbeat Request.
 * No Python, Jupyter or kernelspec involved.
 */
export class EmbeddedTransport implements KernelTransport {
  readonly kind = "embedded" as const;
  readonly exited: Promise<KernelExit>;
  private readonly session = randomUUID();
  private readonly shell = new Dealer(SOCKET_OPTIONS);
  private readonly control = new Dealer(SOCKET_OPTIONS);
  private readonly stdin = new Dealer(SOCKET_OPTIONS);
  private readonly iopub = new Subscriber(SOCKET_OPTIONS);
  private readonly hb = new Request({ ...SOCKET_OPTIONS, receiveTimeout: 1000 });
  /** Replies awaited on shell/control, by request msg_id. */
  private readonly replies = new Map<string, (message: AnyMessage) => void>();
  /** iopub listeners, by the msg_id of the request that caused them. */
  private readonly listeners = new Map<string, (message: IOPubMessage) => void>();
  private closed = false;
  private shuttingDown: Promise<void> | undefined;
  private stderrTail = "";
  /** Whether the handshake completed: a kernel that never answered is not asked to shut down, only killed. */
  private ready = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly info: ConnectionInfo,
    private readonly connectionFile: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        const detail = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({ code, signal, detail });
      });
      child.once("error", (error) => resolve({ code: null, signal: null, detail: `cannot spawn: ${error.message}` }));
    });
    void this.exited.then(() => this.closeSockets());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Spawn tslab and wait for `kernel_info_reply` plus its iopub status (so iopub is subscribed before the
   * first cell). From the startup snapshot when one is built (see snapshot.ts); a snapshot kernel that
   * dies while starting is retried once the usual way, and that snapshot discarded.
   */
  static async start(options: EmbeddedOptions): Promise<EmbeddedTransport> {
    // spawn reports a missing cwd as "spawn node ENOENT", which reads as if Node were missing: say it.
    const folder = await stat(options.cwd).catch(() => undefined);
    if (!folder?.isDirectory())
      throw new KernelStartError(`cannot start the tslab kernel in ${options.cwd}: no such folder`);
    const snapshot = readySnapshot(options.cwd);
    if (!snapshot) {
      buildSnapshotInBackground();
      return EmbeddedTransport.spawnKernel(options, [tslabBin()]);
    }
    try {
      return await EmbeddedTransport.spawnKernel(options, ["--snapshot-blob", snapshot]);
    } catch (error) {
      if (!(error instanceof KernelStartError && error.exited)) throw error;
      discardSnapshot(snapshot);
      return EmbeddedTransport.spawnKernel(options, [tslabBin()]);
    }
  }

  /**
   * `node [--snapshot-blob B | tslab's bin] kernel --config-path F`, with the watchdog preloaded. Why
   * several attempts: the ports are chosen free, then released for the kernel to bind (jupyter_client's way),
   * and another process may take one in between; tslab then only logs EADDRINUSE and lives on, deaf on that
   * port. Seen in CI as a 60 s start timeout; the handshake now notices it at once and we start again.
   */
  private static async spawnKernel(options: EmbeddedOptions, entry: string[]): Promise<EmbeddedTransport> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await EmbeddedTransport.spawnKernelOnce(options, entry);
      } catch (error) {
        if (!(error instanceof KernelStartError && error.portTaken) || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  }

  private static async spawnKernelOnce(options: EmbeddedOptions, entry: string[]): Promise<EmbeddedTransport> {
    const info = await newConnectionInfo();
    const connectionFile = path.join(os.tmpdir(), `tsnb-kernel-${randomUUID()}.json`);
    await writeFile(connectionFile, JSON.stringify(info), { mode: 0o600 });
    // Own process group (detached): a terminal's Ctrl-C reaches tsnb, which interrupts and shuts the
    // kernel down in order; and shutdown can kill the group, taking children a cell forked with it.
    // The watchdog covers what no handler here can: tsnb SIGKILLed or crashed (see watchdog.cjs).
    // (With --snapshot-blob the preload still runs first: Node runs --require before the snapshot's main.)
    const child = spawn(
      process.execPath,
      ["--require", watchdogPath(), ...entry, "kernel", "--config-path", connectionFile],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ["ignore", "ignore", "pipe"],
        detached: true,
      },
    );
    const transport = new EmbeddedTransport(child, info, connectionFile);
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      transport.stderrTail = (transport.stderrTail + text).slice(-4000);
    });
    try {
      await transport.handshake((options.startTimeoutSec ?? 60) * 1000, options.signal);
      transport.ready = true;
    } catch (error) {
      await transport.shutdown();
      throw error;
    }
    return transport;
  }

  private async handshake(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    for (const [socket, port] of [
      [this.shell, this.info.shell_port],
      [this.control, this.info.control_port],
      [this.stdin, this.info.stdin_port],
      [this.iopub, this.info.iopub_port],
      [this.hb, this.info.hb_port],
    ] as const) {
      socket.connect(endpoint(this.info, port));
    }
    this.iopub.subscribe();
    void this.pump(this.shell);
    void this.pump(this.control);
    void this.pump(this.stdin);
    void this.pump(this.iopub);
    const deadline = Date.now() + timeoutMs;
    let dead: KernelExit | undefined;
    let replied = false;
    let subscribed = false;
    // Each wait ends early on news (a reply, a status, the process exiting, an abort), so a kernel
    // that is ready is used at once rather than at the next resend.
    let wake: () => void = () => undefined;
    void this.exited.then((e) => {
      dead = e;
      wake();
    });
    const onAbort = () => wake();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // Resend kernel_info until both the reply and an iopub status for it arrived: a Subscriber joins
      // asynchronously, and a status published before it joined is lost (ZeroMQ's slow joiner).
      let lastSend = 0;
      for (;;) {
        // Armed before the flags are read, so news arriving in between still ends the wait below.
        const news = new Promise<void>((resolve) => (wake = resolve));
        if (replied && subscribed) break;
        if (signal?.aborted) throw new RunAbortedError("cancelled while the kernel was starting");
        if (dead)
          throw new KernelStartError(
            `the tslab kernel exited while starting (${dead.detail})${this.stderrTail ? `:\n${this.stderrTail.trim()}` : ""}`,
            { exited: true },
          );
        if (/\bEADDRINUSE\b/.test(this.stderrTail))
          throw new KernelStartError(
            `the tslab kernel could not bind its ports (another process took one):\n${this.stderrTail.trim()}`,
            { portTaken: true },
          );
        if (Date.now() > deadline)
          throw new KernelStartError(
            `the tslab kernel did not answer kernel_info within ${timeoutMs / 1000} s (on a busy machine, allow more: --start-timeout S)`,
          );
        // Before any reply, resend every 200 ms; once replied, sooner (only the status is missing).
        const interval = replied ? 50 : 200;
        if (Date.now() - lastSend >= interval) {
          lastSend = Date.now();
          const request = makeMessage<RequestMessage & { header: { msg_type: "kernel_info_request" } }>(
            "kernel_info_request",
            {},
            this.session,
          );
          const id = request.header.msg_id;
          this.replies.set(id, () => {
            replied = true;
            wake();
          });
          this.listeners.set(id, (m) => {
            if (m.header.msg_type !== "status") return;
            subscribed = true;
            wake();
          });
          await this.shell.send(serialize(request, this.info.key));
        }
        await Promise.race([news, sleep(Math.max(1, Math.min(lastSend + interval, deadline + 1) - Date.now()))]);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    this.listeners.clear();
    this.replies.clear();
  }

  /** Read one socket until it closes, routing each message to its waiter by parent msg_id. */
  private async pump(socket: Dealer | Subscriber): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: AnyMessage;
        try {
          message = deserialize(frames, this.info.key).message;
        } catch {
          continue; // a message that fails verification is dropped, as the protocol asks
        }
        const parent = parentId(message);
        if (!parent) continue;
        if (isIOPub(message)) this.listeners.get(parent)?.(message);
        else this.replies.get(parent)?.(message);
      }
    } catch {
      // the socket was closed
    }
  }

  async execute(code: string, onIOPub: (message: IOPubMessage) => void): Promise<ExecuteReplyContent> {
    const request = executeRequest(code, this.session);
    const id = request.header.msg_id;
    return new Promise<ExecuteReplyContent>((resolve) => {
      let reply: ExecuteReplyContent | undefined;
      let idle = false;
      const settle = () => {
        if (!reply || !idle) return;
        this.replies.delete(id);
        this.listeners.delete(id);
        resolve(reply);
      };
      this.replies.set(id, (m) => {
        if (m.header.msg_type === "execute_reply") {
          reply = m.content as ExecuteReplyContent;
          settle();
        }
      });
      this.listeners.set(id, (m) => {
        if (m.header.msg_type === "status" && (m as StatusMessage).content.execution_state === "idle") {
          idle = true;
          settle();
        } else onIOPub(m);
      });
      this.shell.send(serialize(request, this.info.key)).catch(() => undefined);
    });
  }

  async interrupt(): Promise<void> {
    // tslab's kernelspec has no interrupt_mode, so "signal": SIGINT breaks a synchronous loop
    // (vm breakOnSigint) and rejects a pending top-level await.
    if (!this.closed && this.child.exitCode === null) this.child.kill("SIGINT");
  }

  /** One heartbeat round trip; true when the kernel echoed within `timeoutMs`. */
  async heartbeat(timeoutMs = 1000): Promise<boolean> {
    try {
      this.hb.receiveTimeout = timeoutMs;
      await this.hb.send("ping");
      const [echo] = await this.hb.receive();
      return echo?.toString() === "ping";
    } catch {
      return false;
    }
  }

  shutdown(): Promise<void> {
    this.shuttingDown ??= this.doShutdown();
    return this.shuttingDown;
  }

  private async doShutdown(): Promise<void> {
    if (this.ready && this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      const request = makeMessage<RequestMessage & { header: { msg_type: "shutdown_request" } }>(
        "shutdown_request",
        { restart: false },
        this.session,
      );
      this.control.send(serialize(request, this.info.key)).catch(() => undefined);
      // tslab closes its sockets on shutdown_request; a timer or server left running by a cell keeps
      // the process alive, so after a grace period the whole group goes.
      await Promise.race([this.exited, sleep(1500)]);
    }
    // Also when the kernel itself exited: children a cell started may live on in its group.
    this.killGroup("SIGKILL");
    await Promise.race([this.exited, sleep(3000)]);
    this.closeSockets();
    await rm(this.connectionFile, { force: true });
  }

  /** Kill the kernel's process group (children a cell forked included); ignore what is already gone. */
  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  private closeSockets(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
  }
}
