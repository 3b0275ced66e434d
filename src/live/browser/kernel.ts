/**
 * The kernel of a live lesson page: a dedicated Web Worker that runs cells with tslab's semantics (see
 * kernel/rewrite.ts) and streams their outputs to the page. It plays Node's main thread (threadId 0); threads
 * are nested workers (node/worker-threads.ts), so a cell may block in `Atomics.wait` without freezing the page.
 */
import { cellError, cellSources } from "./kernel/errors";
import type { FromKernel, ToKernel } from "./kernel/protocol";
import { rewriteCell } from "./kernel/rewrite";
import { stripTypes } from "./kernel/transpile";
import { installNodeGlobals } from "./node/install";
import { EMULATED } from "./node/modules";
import { realm } from "./node/realm";
import { NEEDS_NODE } from "./node/unsupported";
import { TEST_SERVER_CHANNEL } from "./node/worker-threads";
import { inspect } from "./node/util";

interface KernelScope {
  postMessage(message: FromKernel): void;
  onmessage: ((event: MessageEvent<ToKernel>) => void) | null;
  addEventListener(name: string, listener: (event: Event) => void): void;
  location: { href: string };
}
const scope = globalThis as unknown as KernelScope;

/** The cell whose outputs are being collected: the running one, or the last one run (for late timers). */
let current = 0;
const post = (message: FromKernel) => scope.postMessage(message);

function display(mime: string) {
  return (content: unknown) => {
    const text = typeof content === "string" ? content : content instanceof Uint8Array ? btoa(String.fromCharCode(...content)) : String(content);
    post({ t: "display", id: current, data: { [mime]: text } });
  };
}

const tslab = {
  display: {
    html: display("text/html"),
    svg: display("image/svg+xml"),
    png: display("image/png"),
    jpeg: display("image/jpeg"),
    gif: display("image/gif"),
    markdown: display("text/markdown"),
    latex: display("text/latex"),
    text: display("text/plain"),
    javascript: display("text/plain"),
    raw: (mime: string, content: unknown) => display(mime)(content),
  },
  versions: { tslab: "browser", typescript: "sucrase", node: "browser" },
  isNode: false,
  isBrowser: true,
};

realm.threadId = 0;
realm.isMainThread = true;
realm.threadScript = new URL("thread.js", scope.location.href).href;
realm.write = (fd, text) => post({ t: "stream", id: current, name: fd === 1 ? "stdout" : "stderr", text });
realm.exit = (code) => {
  throw new Error(`process.exit(${code}) would end the kernel; in the browser, press Restart for a fresh runtime`);
};
realm.tslab = tslab;
(globalThis as unknown as Record<symbol, string>)[TEST_SERVER_CHANNEL] = `tsnb-test-server-${crypto.randomUUID()}`;
realm.handles = 0;
installNodeGlobals();

/** Makes `name` a writable global (a cell's top-level name), shadowing a read-only one of the worker (`name`). */
function declareGlobal(name: string): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const own = Object.getOwnPropertyDescriptor(g, name);
  if (own && "value" in own && own.writable) return;
  if (own && !own.configurable) return;
  Object.defineProperty(g, name, { value: undefined, writable: true, configurable: true, enumerable: true });
}

function importModule(specifier: string): unknown {
  return realm.require(specifier);
}

function defaultOf(module: unknown): unknown {
  if (module && typeof module === "object" && "default" in module && (module as { default: unknown }).default !== undefined)
    return (module as { default: unknown }).default;
  return module;
}

async function run(id: number, source: string, cell: number): Promise<boolean> {
  current = id;
  cellSources.set(cell, source);
  try {
    const { code, names } = rewriteCell(stripTypes(source));
    for (const name of names) declareGlobal(name);
    const fn = (0, eval)(`${code}\n//# sourceURL=cell-${cell}.ts`) as (
      i: typeof importModule,
      d: typeof defaultOf,
    ) => Promise<unknown>;
    const value = await fn(importModule, defaultOf);
    if (value !== undefined) post({ t: "result", id, text: inspect(value) });
    return true;
  } catch (error) {
    post({ t: "error", id, ...cellError(error, cell, source) });
    return false;
  }
}

// Errors after a cell returned (a timer, an unawaited promise) land in the last cell, as tslab prints them.
scope.addEventListener("error", (event) => {
  event.preventDefault();
  const error = (event as ErrorEvent).error;
  realm.write(2, `Uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
});
scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  const reason = (event as PromiseRejectionEvent).reason;
  realm.write(2, `Uncaught (in promise) ${reason instanceof Error ? (reason.stack ?? reason.message) : inspect(reason)}\n`);
});

// One cell at a time, in the order asked, as a Jupyter kernel runs its queue.
let queue = Promise.resolve();
scope.onmessage = (event) => {
  const message = event.data;
  if (message.t !== "run") return;
  queue = queue.then(async () => {
    const ok = await run(message.id, message.code, message.cell);
    post({ t: "done", id: message.id, ok });
  });
};

post({ t: "ready", emulated: EMULATED, needsNode: [...NEEDS_NODE] });
