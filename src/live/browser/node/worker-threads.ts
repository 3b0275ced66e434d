/**
 * `node:worker_threads` over Web Workers. A `Worker` is a dedicated Web Worker running the thread bootstrap
 * (thread.ts), which evaluates the source text (`{ eval: true }`) or one of the helpers' bundled runtimes with
 * Node's `require`, `process` and `console`; nested workers work the same way (Chromium runs workers in
 * workers). Messages travel in envelopes (`{ t: "msg" | "out" | "exit" | "error" }`) over the worker's own port,
 * so a thread's console lines and its messages arrive in the order it produced them.
 */
import { EventEmitter } from "./events";
import { process } from "./process";
import { hold, realm } from "./realm";

/** What a thread worker posts to its parent. */
export type Envelope =
  | { t: "msg"; data: unknown }
  | { t: "out"; fd: 1 | 2; text: string }
  | { t: "exit"; code: number }
  | { t: "error"; error: { name: string; message: string; stack?: string | undefined; code?: string } };

/** The first message a thread worker gets. */
export interface ThreadInit {
  t: "init";
  threadId: number;
  ids: Int32Array;
  threadScript: string;
  workerData: unknown;
  env: Record<string, string>;
  eval: boolean;
  /** Source text (eval) or a file name (a helpers runtime). */
  code: string;
  name: string;
  /** The runtime's channel to the test server in the kernel (kernel-helpers/platform/browser/test-server.ts). */
  testServerChannel: string;
}

/** Where a realm keeps the name of its runtime's test-server channel. */
export const TEST_SERVER_CHANNEL = Symbol.for("tsnb.testServerChannel");

/** A readable stream of a thread's output (`worker.stdout` with `{ stdout: true }`): "data", then "end". */
class OutputStream extends EventEmitter {
  readable = true;
  setEncoding(): this {
    return this;
  }
  pipe<T extends { write(chunk: string): unknown }>(target: T): T {
    this.on("data", (chunk) => target.write(String(chunk)));
    return target;
  }
}

// Node-style methods on the browser's own MessagePort, so ports made here and ports that arrive in messages
// both answer `port.on("message", (data) => ...)` as on Node (the data, not an event).
interface PortState {
  wrappers: Map<(...args: unknown[]) => void, EventListener>;
  release: (() => void) | undefined;
  unref: boolean;
}
const ports = new WeakMap<MessagePort, PortState>();

function portState(port: MessagePort): PortState {
  let state = ports.get(port);
  if (!state) {
    state = { wrappers: new Map(), release: undefined, unref: false };
    ports.set(port, state);
  }
  return state;
}

function refreshPortHold(port: MessagePort, state: PortState): void {
  // A port with a "message" listener keeps its thread alive on Node, unless unref()'d.
  const want = state.wrappers.size > 0 && !state.unref;
  if (want && !state.release) state.release = hold();
  if (!want && state.release) {
    const release = state.release;
    state.release = undefined;
    release();
  }
}

type NodeStyle = Record<string, (this: MessagePort, ...args: never[]) => unknown>;
const portMethods: NodeStyle = {
  on(this: MessagePort, name: string, listener: (...args: unknown[]) => void) {
    const state = portState(this);
    const wrapped: EventListener = (event) =>
      listener(name === "message" || name === "messageerror" ? (event as MessageEvent).data : event);
    state.wrappers.set(listener, wrapped);
    this.addEventListener(name, wrapped);
    if (name === "message") {
      this.start();
      refreshPortHold(this, state);
    }
    return this;
  },
  once(this: MessagePort, name: string, listener: (...args: unknown[]) => void) {
    const port = this as unknown as Record<"on" | "off", (name: string, listener: (...args: unknown[]) => void) => unknown>;
    const wrapper = (...args: unknown[]) => {
      port.off(name, wrapper);
      listener(...args);
    };
    return port.on(name, wrapper);
  },
  off(this: MessagePort, name: string, listener: (...args: unknown[]) => void) {
    const state = portState(this);
    const wrapped = state.wrappers.get(listener);
    if (wrapped) {
      this.removeEventListener(name, wrapped);
      state.wrappers.delete(listener);
    }
    refreshPortHold(this, state);
    return this;
  },
  removeAllListeners(this: MessagePort) {
    const state = portState(this);
    for (const wrapped of state.wrappers.values()) this.removeEventListener("message", wrapped);
    state.wrappers.clear();
    refreshPortHold(this, state);
    return this;
  },
  ref(this: MessagePort) {
    const state = portState(this);
    state.unref = false;
    refreshPortHold(this, state);
    return this;
  },
  unref(this: MessagePort) {
    const state = portState(this);
    state.unref = true;
    refreshPortHold(this, state);
    return this;
  },
  hasRef(this: MessagePort) {
    return portState(this).release !== undefined;
  },
};
portMethods.addListener = portMethods.on!;
portMethods.removeListener = portMethods.off!;

let portsPatched = false;
/** Adds the Node-style methods to `MessagePort.prototype` of this realm (once). */
export function patchMessagePort(): void {
  if (portsPatched || typeof NativeMessagePort === "undefined") return;
  portsPatched = true;
  const proto = NativeMessagePort.prototype as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(portMethods)) {
    if (!(name in proto)) Object.defineProperty(proto, name, { value: fn, configurable: true, writable: true });
  }
  // Closing a port releases what it held.
  const close = proto.close as (this: MessagePort) => void;
  proto.close = function (this: MessagePort) {
    const state = ports.get(this);
    if (state) {
      state.wrappers.clear();
      refreshPortHold(this, state);
    }
    close.call(this);
  };
}

// The browser's own classes, kept: a cell that imports Node's `Worker` makes it a global of the same name.
const NativeWorker = globalThis.Worker;
const NativeMessageChannel = globalThis.MessageChannel;
const NativeMessagePort = globalThis.MessagePort;

let nextName = 0;

/** Node's `Worker` over a Web Worker. */
export class Worker extends EventEmitter {
  readonly threadId: number;
  readonly stdout: OutputStream | null;
  readonly stderr: OutputStream | null;
  readonly stdin = null;
  readonly resourceLimits = {};
  #worker: InstanceType<typeof NativeWorker>;
  #exited = false;
  #release: (() => void) | undefined;

  constructor(
    filename: string | URL,
    options: {
      eval?: boolean;
      workerData?: unknown;
      transferList?: Transferable[];
      env?: Record<string, string> | symbol;
      stdout?: boolean;
      stderr?: boolean;
      name?: string;
    } = {},
  ) {
    super();
    patchMessagePort();
    const code = String(filename);
    this.threadId = Atomics.add(realm.ids, 0, 1) + 1;
    this.stdout = options.stdout ? new OutputStream() : null;
    this.stderr = options.stderr ? new OutputStream() : null;
    const name = options.name ?? `thread-${++nextName}`;
    this.#worker = new NativeWorker(realm.threadScript, { name });
    const init: ThreadInit = {
      t: "init",
      threadId: this.threadId,
      ids: realm.ids,
      threadScript: realm.threadScript,
      workerData: options.workerData ?? null,
      env: typeof options.env === "object" ? { ...options.env } : { ...realm.env },
      eval: options.eval === true,
      code,
      name,
      testServerChannel: (globalThis as unknown as Record<symbol, string>)[TEST_SERVER_CHANNEL] ?? "",
    };
    try {
      this.#worker.postMessage(init, options.transferList ?? []);
    } catch (error) {
      this.#worker.terminate();
      throw error;
    }
    this.#release = hold();
    this.#worker.onmessage = (event: MessageEvent<Envelope>) => this.#receive(event.data);
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.emit("error", new Error(event.message || "the worker's script failed to load"));
      this.#exit(1);
    };
    queueMicrotask(() => this.emit("online"));
  }

  #receive(envelope: Envelope): void {
    switch (envelope.t) {
      case "msg":
        this.emit("message", envelope.data);
        break;
      case "out": {
        const stream = envelope.fd === 1 ? this.stdout : this.stderr;
        if (stream) stream.emit("data", envelope.text);
        else (envelope.fd === 1 ? process.stdout : process.stderr).write(envelope.text);
        break;
      }
      case "error": {
        const { name, message, stack, code } = envelope.error;
        const error = Object.assign(new Error(message), { name, stack, code });
        if (this.listenerCount("error") > 0) this.emit("error", error);
        else process.stderr.write(`Uncaught ${stack ?? `${name}: ${message}`} (in worker thread ${this.threadId})\n`);
        this.#exit(1);
        break;
      }
      case "exit":
        this.#exit(envelope.code);
        break;
    }
  }

  #exit(code: number): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#worker.terminate();
    for (const stream of [this.stdout, this.stderr]) {
      stream?.emit("end");
      stream?.emit("close");
    }
    this.emit("exit", code);
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  postMessage(data: unknown, transfer: Transferable[] = []): void {
    if (!this.#exited) this.#worker.postMessage({ t: "msg", data }, transfer);
  }

  /** Stops the thread at once (a Web Worker's terminate: even inside `Atomics.wait` or an endless loop). */
  terminate(): Promise<number> {
    // Node reports exit code 1 for a terminated worker.
    queueMicrotask(() => this.#exit(1));
    return new Promise((resolve) => (this.#exited ? resolve(1) : this.once("exit", () => resolve(1))));
  }

  ref(): this {
    if (!this.#release && !this.#exited) this.#release = hold();
    return this;
  }

  unref(): this {
    const release = this.#release;
    this.#release = undefined;
    release?.();
    return this;
  }

  getHeapSnapshot(): never {
    throw new Error("worker.getHeapSnapshot() needs Node: run this cell in JupyterLab or with `npx tsnb run`");
  }
}

/** `parentPort` in a thread: the worker's own port, Node-style (null in the main thread). */
export class ParentPort extends EventEmitter {
  #release: (() => void) | undefined;
  #unref = false;

  postMessage(data: unknown, transfer: Transferable[] = []): void {
    (globalThis as unknown as { postMessage(m: unknown, t: Transferable[]): void }).postMessage({ t: "msg", data }, transfer);
  }

  protected override listenersChanged(): void {
    const want = this.listenerCount("message") > 0 && !this.#unref;
    if (want && !this.#release) this.#release = hold();
    if (!want && this.#release) {
      const release = this.#release;
      this.#release = undefined;
      release();
    }
  }

  ref(): this {
    this.#unref = false;
    this.listenersChanged();
    return this;
  }

  unref(): this {
    this.#unref = true;
    this.listenersChanged();
    return this;
  }

  close(): void {
    this.removeAllListeners();
  }

  start(): void {}
}

export const state: { parentPort: ParentPort | null } = { parentPort: null };

const environment = new Map<unknown, unknown>();

// A browser has no synchronous receive: a port's messages reach listeners only between tasks. The nearest
// honest thing: a listener keeps what arrives, `receiveMessageOnPort` takes from it, and each arrival wakes the
// realm's pending `Atomics.waitAsync` calls (a spurious wake-up, which every wait loop re-checks), so an
// awaited receive (`recvAsync`) sees a message whose signal came before the message itself. A thread blocked
// in `Atomics.wait` receives nothing until it returns to its event loop.
const inboxes = new WeakMap<MessagePort, unknown[]>();
const wakers = new Set<() => void>();

function receiveMessageOnPort(port: MessagePort): { message: unknown } | undefined {
  let inbox = inboxes.get(port);
  if (!inbox) {
    const box: unknown[] = [];
    inbox = box;
    inboxes.set(port, box);
    port.addEventListener("message", (event) => {
      box.push((event as MessageEvent).data);
      for (const wake of [...wakers]) wake();
    });
    port.start();
  }
  return inbox.length > 0 ? { message: inbox.shift() } : undefined;
}

type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: unknown };

/** Wraps `Atomics.waitAsync` so that a port message can wake it (see receiveMessageOnPort). */
export function patchWaitAsync(): void {
  const atomics = Atomics as unknown as { waitAsync?: WaitAsync & { patched?: boolean } };
  const native = atomics.waitAsync;
  if (!native || native.patched) return;
  const patched: WaitAsync & { patched?: boolean } = (array, index, value, timeout) => {
    const result = native(array, index, value, timeout);
    if (!result.async) return result;
    return {
      async: true,
      value: new Promise((resolve) => {
        const wake = () => {
          wakers.delete(wake);
          resolve("ok");
        };
        wakers.add(wake);
        void (result.value as Promise<unknown>).then((outcome) => {
          wakers.delete(wake);
          resolve(outcome);
        });
      }),
    };
  };
  patched.patched = true;
  atomics.waitAsync = patched;
}

/** The module as `require("node:worker_threads")` returns it: values read when asked (a thread sets them first). */
export const workerThreads = {
  Worker,
  get parentPort() {
    return state.parentPort;
  },
  get workerData() {
    return realm.workerData;
  },
  get threadId() {
    return realm.threadId;
  },
  get isMainThread() {
    return realm.isMainThread;
  },
  get MessageChannel() {
    patchMessagePort();
    return NativeMessageChannel;
  },
  get MessagePort() {
    patchMessagePort();
    return NativeMessagePort;
  },
  BroadcastChannel: globalThis.BroadcastChannel,
  SHARE_ENV: Symbol.for("nodejs.worker_threads.SHARE_ENV"),
  resourceLimits: {},
  markAsUntransferable(): void {},
  moveMessagePortToContext(): never {
    throw new Error("moveMessagePortToContext needs Node: run this cell in JupyterLab or with `npx tsnb run`");
  },
  receiveMessageOnPort,
  setEnvironmentData(key: unknown, value: unknown): void {
    environment.set(key, value);
  },
  getEnvironmentData(key: unknown): unknown {
    return environment.get(key);
  },
};

export default workerThreads;
