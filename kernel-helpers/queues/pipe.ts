/**
 * `Pipe()`: two connected `Connection`s over a `MessageChannel` (Python's `multiprocessing.Pipe`), for
 * threads: what one end sends the other receives, in order. `recv()` blocks in a worker (a counter in shared
 * memory wakes it) and `recvAsync()` awaits on the main thread. Between processes, use the IPC channel of a
 * `Process` instead (`process.send` / `on("message")`): a MessagePort cannot cross a process boundary.
 */
import { type MessagePort, type TransferListItem, MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { ClosedError, TimeoutError, checkTimeout } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "../sync/handle";
import { fromWire, toWire } from "../sync/transfer";
import { assertMayBlock, deadlineAfter, remaining, waitAsync, waitSync } from "../sync/wait";

const SEQ = 0; // bumped after every message posted to this end (and on close)
const CLOSED = 1; // set when the other end closed

/** Options of `recv` / `recvAsync` / `poll`. */
export interface RecvOptions {
  /** Give up after this many milliseconds (`recv` throws `TimeoutError`). @default Infinity */
  timeout?: number;
  /** Cancels `recvAsync` with an `AbortError`. */
  signal?: AbortSignal;
}

/**
 * One end of a pipe. Send it to a worker as a `Thread` argument (it is moved there: this copy stops working).
 * @example
 * const [parent, child] = Pipe();
 * // worker: child.send(child.recv() * 2)
 * parent.send(21);
 * await parent.recvAsync();   // 42
 */
export class Connection {
  /** Whether this end may receive. */
  readonly readable: boolean;
  /** Whether this end may send. */
  readonly writable: boolean;
  private port: MessagePort;
  private readonly inbox: Int32Array;
  private readonly outbox: Int32Array;
  private readonly pending: unknown[] = [];
  private closed = false;
  private moved = false;

  /** @internal Use `Pipe()`. */
  constructor(port: MessagePort, inbox: SharedArrayBuffer, outbox: SharedArrayBuffer, readable: boolean, writable: boolean) {
    this.port = port;
    this.inbox = new Int32Array(inbox);
    this.outbox = new Int32Array(outbox);
    this.readable = readable;
    this.writable = writable;
  }

  /** Rebuilds a connection from its handle, in the worker it was sent to. */
  static from(handle: Handle): Connection {
    const h = expectHandle(handle, "Connection");
    return new Connection(h.port as MessagePort, h.buffer, h.outbox as SharedArrayBuffer, h.readable !== false, h.writable !== false);
  }

  /** The handle to pass to a worker; its `port` must go in the transfer list (`toWire` does it). */
  get handle(): Handle {
    return makeHandle("Connection", this.inbox.buffer as SharedArrayBuffer, {
      port: this.port,
      outbox: this.outbox.buffer,
      readable: this.readable,
      writable: this.writable,
    });
  }

  /** @internal Called by `toWire` when this end is sent to another thread. */
  markMoved(): void {
    this.moved = true;
  }

  /** Whether this end was closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a value (structured-cloneable; shared primitives arrive as themselves). */
  send(value: unknown): void {
    this.check("send");
    if (!this.writable) throw new TypeError("this connection is read-only (Pipe({ duplex: false }) gives [reader, writer])");
    if (Atomics.load(this.inbox, CLOSED)) throw new ClosedError("send on a pipe whose other end is closed", "ERR_PIPE_CLOSED");
    const transfer: TransferListItem[] = [];
    const wire = toWire(value, transfer);
    this.port.postMessage(wire, transfer);
    // Why bump after posting: postMessage has queued the message on the other port by now, so a receiver that
    // wakes on this counter finds it; a receiver that read the counter before sleeps on its old value and wakes.
    Atomics.add(this.outbox, SEQ, 1);
    Atomics.notify(this.outbox, SEQ);
  }

  /** Whether a message is waiting (after up to `timeout` ms; default 0, Python's `poll()`), without taking it. */
  poll(options?: { timeout?: number }): boolean {
    this.check("poll");
    if (this.fill()) return true;
    const timeout = checkTimeout("timeout", options?.timeout ?? 0);
    if (timeout === 0) return false;
    assertMayBlock("connection.poll({ timeout })", "await connection.pollAsync({ timeout })");
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const seq = Atomics.load(this.inbox, SEQ);
      if (this.fill()) return true;
      if (Atomics.load(this.inbox, CLOSED) || remaining(deadline) <= 0) return false;
      waitSync(this.inbox, SEQ, seq, deadline);
    }
  }

  /** The async form of `poll`. */
  async pollAsync(options?: RecvOptions): Promise<boolean> {
    this.check("poll");
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout ?? 0));
    for (;;) {
      const seq = Atomics.load(this.inbox, SEQ);
      if (this.fill()) return true;
      if (Atomics.load(this.inbox, CLOSED) || remaining(deadline) <= 0) return false;
      await waitAsync(this.inbox, SEQ, seq, deadline, options?.signal);
    }
  }

  /**
   * Receives the next value, blocking until one arrives (workers). Throws `ClosedError` (`ERR_PIPE_CLOSED`,
   * Python's EOFError) once the other end is closed and nothing is left, `TimeoutError` after `timeout` ms.
   */
  recv(options?: RecvOptions): unknown {
    this.check("recv");
    const timeout = checkTimeout("timeout", options?.timeout);
    const deadline = deadlineAfter(timeout);
    if (timeout > 0 && !this.fill()) assertMayBlock("connection.recv()", "await connection.recvAsync()");
    for (;;) {
      // Why read the counter before looking: a message posted after our look bumps it, so the wait returns.
      const seq = Atomics.load(this.inbox, SEQ);
      if (this.fill()) return this.pending.shift();
      this.checkEnd(deadline, options?.timeout);
      waitSync(this.inbox, SEQ, seq, deadline);
    }
  }

  /** Receives the next value without blocking the event loop (main thread). Same errors as `recv`. */
  async recvAsync(options?: RecvOptions): Promise<unknown> {
    this.check("recv");
    const deadline = deadlineAfter(checkTimeout("timeout", options?.timeout));
    for (;;) {
      const seq = Atomics.load(this.inbox, SEQ);
      if (this.fill()) return this.pending.shift();
      this.checkEnd(deadline, options?.timeout);
      await waitAsync(this.inbox, SEQ, seq, deadline, options?.signal);
    }
  }

  /** Closes this end; the other end's `recv` throws `ClosedError` once it has read what was sent. */
  close(): void {
    if (this.closed || this.moved) return;
    this.closed = true;
    Atomics.store(this.outbox, CLOSED, 1);
    Atomics.add(this.outbox, SEQ, 1);
    Atomics.notify(this.outbox, SEQ);
    this.port.close();
  }

  /** Moves one message from the port into `pending`, if there is one. */
  private fill(): boolean {
    if (this.pending.length > 0) return true;
    const got = receiveMessageOnPort(this.port);
    if (!got) return false;
    this.pending.push(fromWire(got.message));
    return true;
  }

  private checkEnd(deadline: number, timeout: number | undefined): void {
    if (Atomics.load(this.inbox, CLOSED)) throw new ClosedError("recv on a pipe whose other end is closed, with nothing left to read (EOF)", "ERR_PIPE_CLOSED");
    if (remaining(deadline) <= 0) throw new TimeoutError(`connection.recv: nothing arrived within ${timeout} ms`, "ERR_RECV_TIMEOUT");
  }

  private check(what: string): void {
    if (this.moved) throw new ClosedError(`${what} on a connection that was sent to another thread: use it there`, "ERR_PIPE_MOVED");
    if (this.closed) throw new ClosedError(`${what} on a closed connection`, "ERR_PIPE_CLOSED");
    if (what !== "send" && !this.readable) throw new TypeError("this connection is write-only (Pipe({ duplex: false }) gives [reader, writer])");
  }
}

/**
 * A pipe between threads: two connections (Python's `Pipe(duplex=True)`). With `{ duplex: false }` the first
 * can only receive and the second only send.
 * @example
 * const [a, b] = Pipe();
 * a.send({ hello: "world" });
 * await b.recvAsync();   // { hello: "world" }
 */
export function Pipe(options: { duplex?: boolean } = {}): [Connection, Connection] {
  const duplex = options.duplex ?? true;
  const { port1, port2 } = new MessageChannel();
  const inbox1 = new SharedArrayBuffer(8);
  const inbox2 = new SharedArrayBuffer(8);
  return [new Connection(port1, inbox1, inbox2, true, duplex), new Connection(port2, inbox2, inbox1, duplex, true)];
}

registerHandleKind("Connection", {
  type: Connection,
  from: Connection.from,
  send(connection, handle, transfer) {
    // Why mark it moved: the port is transferred, so this copy can no longer send or receive; a clear error
    // beats messages that vanish silently.
    if (!transfer) throw new TypeError("toWire: a Connection needs a transfer list (toWire(value, transfer)) for its MessagePort");
    transfer.push(handle.port);
    connection.markMoved();
  },
});
