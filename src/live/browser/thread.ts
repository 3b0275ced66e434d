/**
 * The bootstrap of every thread of the browser runtime (a nested Web Worker made by the `node:worker_threads`
 * shim): waits for its `init`, becomes a Node-like worker thread (threadId, workerData, parentPort, process,
 * require, console), runs the source text or the helpers runtime it was given, and ends as Node would: on
 * `process.exit()`, on an uncaught error, or when nothing is left that could run (no timer, no listened port).
 */
import { installNodeGlobals } from "./node/install";
import { realm, hold } from "./node/realm";
import { nativeSetTimeout } from "./node/timers";
import { requireModule } from "./node/modules";
import { ParentPort, state, TEST_SERVER_CHANNEL, type Envelope, type ThreadInit } from "./node/worker-threads";

interface WorkerScope {
  postMessage(message: Envelope, transfer?: Transferable[]): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(name: string, listener: (event: Event) => void): void;
  fetch: typeof fetch;
}
const scope = globalThis as unknown as WorkerScope;

/** Thrown by `process.exit()` to unwind the running code; never reported as an error. */
class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

let ended = false;
function end(envelope: Envelope): void {
  if (ended) return;
  ended = true;
  scope.postMessage(envelope);
  scope.close();
}

function describe(error: unknown): Extract<Envelope, { t: "error" }>["error"] {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "Error", message: `Uncaught ${String(error)}` };
}

let checkPending = false;
let started = false;
// Why a deferred check: a thread whose last timer fired may start a new one in that very callback (or in a
// promise continuation after it); only when a whole turn passes with no handle left has its event loop run dry.
function checkIdle(): void {
  if (checkPending || !started) return;
  checkPending = true;
  nativeSetTimeout(() => {
    checkPending = false;
    if (realm.handles <= 0) end({ t: "exit", code: 0 });
  }, 0);
}

function setup(init: ThreadInit): void {
  realm.threadId = init.threadId;
  realm.isMainThread = false;
  realm.workerData = init.workerData;
  realm.env = init.env;
  realm.ids = init.ids;
  realm.threadScript = init.threadScript;
  realm.write = (fd, text) => scope.postMessage({ t: "out", fd, text });
  realm.exit = (code) => {
    end({ t: "exit", code });
    throw new ExitSignal(code);
  };
  realm.onIdle = checkIdle;
  installNodeGlobals();
  state.parentPort = new ParentPort();
  (globalThis as unknown as Record<symbol, string>)[TEST_SERVER_CHANNEL] = init.testServerChannel;
  const nativeFetch = scope.fetch.bind(globalThis);
  // A request in flight keeps the thread alive, as an open socket does on Node.
  scope.fetch = (input: RequestInfo | URL, options?: RequestInit) => {
    const release = hold();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const answer = url.includes("/__test-server/") ? askKernel(init.testServerChannel, new Request(input, options)) : nativeFetch(input, options);
    return answer.finally(release);
  };
}

/**
 * A request to the course's test server, which the kernel worker answers (kernel-helpers/platform/browser/
 * test-server.ts): sent on the runtime's channel, answered there, aborted there when this side aborts.
 */
async function askKernel(channelName: string, request: Request): Promise<Response> {
  const id = `${realm.threadId}-${Math.random().toString(36).slice(2)}`;
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  const channel = new BroadcastChannel(channelName);
  return new Promise<Response>((resolve, reject) => {
    const done = () => {
      channel.close();
      request.signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      channel.postMessage({ t: "abort", id });
      done();
      reject(request.signal.reason ?? new DOMException("This operation was aborted", "AbortError"));
    };
    request.signal.addEventListener("abort", onAbort, { once: true });
    channel.onmessage = (event: MessageEvent) => {
      const reply = event.data as { t: string; id: string; status: number; headers: [string, string][]; body: ArrayBuffer; name: string; message: string; cause?: string };
      if (reply.id !== id) return;
      done();
      if (reply.t === "res") resolve(new Response(reply.status === 204 ? null : reply.body, { status: reply.status, headers: reply.headers }));
      else reject(Object.assign(new TypeError(reply.message, reply.cause ? { cause: new Error(reply.cause) } : undefined), { name: reply.name }));
    };
    channel.postMessage({ t: "req", id, url: request.url, method: request.method, headers: [...request.headers], body });
  });
}

function onUncaught(error: unknown): void {
  if (error instanceof ExitSignal) return;
  end({ t: "error", error: describe(error) });
}

scope.addEventListener("error", (event) => {
  event.preventDefault();
  onUncaught((event as ErrorEvent).error ?? new Error((event as ErrorEvent).message));
});
scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  onUncaught((event as PromiseRejectionEvent).reason);
});

scope.onmessage = (event: MessageEvent<ThreadInit>) => {
  const init = event.data;
  setup(init);
  scope.onmessage = (e: MessageEvent<Envelope>) => {
    if (e.data.t === "msg") state.parentPort?.emit("message", e.data.data);
  };
  try {
    if (init.eval) {
      const module = { exports: {} as unknown };
      const run = new Function("require", "module", "exports", "__filename", "__dirname", `${init.code}\n//# sourceURL=[worker eval]`);
      run(requireModule, module, module.exports, "[worker eval]", ".");
    } else {
      requireModule(init.code);
    }
  } catch (error) {
    onUncaught(error);
  }
  started = true;
  checkIdle();
};
