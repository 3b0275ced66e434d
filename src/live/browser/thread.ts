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
import { ParentPort, state, type Envelope, type ThreadInit } from "./node/worker-threads";

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
  const nativeFetch = scope.fetch.bind(globalThis);
  // A request in flight keeps the thread alive, as an open socket does on Node.
  scope.fetch = (...args: Parameters<typeof fetch>) => {
    const release = hold();
    return nativeFetch(...args).finally(release);
  };
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
