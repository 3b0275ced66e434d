/**
 * Browser backend of http/test-server.ts: the course's httpbin on the page's own origin. A page cannot listen on
 * a socket, so `fetch` in the kernel worker answers the server's URLs itself (`<origin>/__test-server/<n>/...`),
 * with the same routes, delays and counters; every other URL goes to the network as before. Threads' requests
 * to those URLs reach it over a BroadcastChannel private to this runtime (see src/live/browser/thread.ts).
 */
import type { RequestLogEntry, TestServer, TestServerOptions, TestServerStats } from "../../http/test-server";
import { siteIndex, sitePage, titledPage } from "../../http/site";

export type { RequestLogEntry, TestServer, TestServerOptions, TestServerStats };

const MAX_DELAY_S = 60;
const MAX_BYTES = 100 * 1024 * 1024;

interface FakeServer {
  base: string;
  handle(request: Request): Promise<Response>;
}

const servers = new Map<string, FakeServer>();
/** The URL path every fake server lives under. */
export const TEST_SERVER_PATH = "/__test-server/";
const CHANNEL = Symbol.for("tsnb.testServerChannel");

/** A request to a server that is closed (or never was): Node's fetch rejects it the same way. */
function refused(url: string): Promise<never> {
  const cause = Object.assign(new Error(`connect ECONNREFUSED (${url})`), { code: "ECONNREFUSED" });
  return Promise.reject(new TypeError("fetch failed", { cause }));
}

interface ForwardedRequest {
  t: "req" | "abort";
  id: string;
  url: string;
  method: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
}

/** Answers the threads' requests (they post them on the runtime's channel) with this worker's fetch. */
function answerThreads(): void {
  const name = (globalThis as unknown as Record<symbol, string | undefined>)[CHANNEL];
  if (!name || typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(name);
  const pending = new Map<string, AbortController>();
  channel.onmessage = (event: { data: ForwardedRequest }) => {
    const request = event.data;
    if (request.t === "abort") return pending.get(request.id)?.abort();
    if (request.t !== "req") return;
    const controller = new AbortController();
    pending.set(request.id, controller);
    globalThis
      .fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal })
      .then(async (response) => {
        const body = await response.arrayBuffer();
        channel.postMessage({ t: "res", id: request.id, status: response.status, headers: [...response.headers], body });
      })
      .catch((error: Error) => {
        const cause = error.cause as Error | undefined;
        channel.postMessage({ t: "err", id: request.id, name: error.name, message: error.message, cause: cause?.message });
      })
      .finally(() => pending.delete(request.id));
  };
}
let installed = false;
let nextId = 0;

function install(): void {
  if (installed) return;
  installed = true;
  answerThreads();
  const nativeFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    for (const server of servers.values()) {
      if (url === server.base || url.startsWith(`${server.base}/`) || url.startsWith(`${server.base}?`)) {
        return server.handle(new Request(url, init ?? (input instanceof Request ? input : undefined)));
      }
    }
    if (url.includes(TEST_SERVER_PATH)) return refused(url);
    return nativeFetch(input, init);
  };
}

function text(status: number, body: string, type = "text/plain"): Response {
  return new Response(status === 204 || status === 304 ? null : body, { status, headers: { "content-type": type } });
}

function json(value: unknown): Response {
  return text(200, `${JSON.stringify(value, null, 2)}\n`, "application/json");
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/** Answers one request as the Node test server would (see http/test-server.ts `route`). */
async function route(request: Request, base: string): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(new URL(base).pathname.length) || "/";
  const parts = path.split("/").filter(Boolean);
  const echo = () => ({
    method: request.method,
    path,
    headers: Object.fromEntries(request.headers),
    query: Object.fromEntries(url.searchParams),
  });
  if (path === "/get" || path === "/get/") return json(echo());
  if (parts[0] === "delay" && parts.length === 2) {
    const seconds = Number(parts[1]);
    if (!Number.isFinite(seconds) || seconds < 0) return text(400, `bad delay: ${parts[1]}\n`);
    const ms = Math.min(seconds, MAX_DELAY_S) * 1000;
    await new Promise<void>((resolve, reject) => {
      const signal = request.signal;
      if (signal.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return json({ ...echo(), delay: seconds });
  }
  if (parts[0] === "status" && parts.length === 2) {
    const code = Number(parts[1]);
    if (!Number.isInteger(code) || code < 200 || code > 599) return text(400, `bad status: ${parts[1]}\n`);
    return text(code, `status ${code}\n`);
  }
  if (parts[0] === "bytes" && parts.length === 2) {
    const n = Number(parts[1]);
    if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) return text(400, `bad byte count: ${parts[1]}\n`);
    const body = new Uint8Array(n);
    for (let i = 0; i < n; i++) body[i] = i % 256; // deterministic: byte i is i mod 256
    return new Response(body, { status: 200, headers: { "content-type": "application/octet-stream" } });
  }
  const html = (body: string) => text(200, body, "text/html; charset=utf-8");
  if (parts[0] === "html" && parts.length === 2) return html(titledPage(decodeURIComponent(parts[1] ?? "")));
  if (parts[0] === "site") {
    if (parts.length === 1) return html(siteIndex(base));
    if (parts[1] === "page" && parts.length === 3) {
      const page = sitePage(Number(parts[2]), base);
      if (page) return html(page);
    }
  }
  return text(404, `not found: ${path}\n`);
}

/**
 * Starts the course's test server in the browser (same routes as on Node: `/get`, `/delay/:s`, `/status/:code`,
 * `/bytes/:n`, `/html/:title`, `/site/...`), answered inside this worker's `fetch`.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`Expected \`port\` to be an integer from 0 to 65535, got \`${String(port)}\` (${typeof port})`);
  }
  install();
  const origin = (globalThis as unknown as { location?: { origin: string } }).location?.origin ?? "http://127.0.0.1";
  const id = `${++nextId}`;
  const base = `${origin}${TEST_SERVER_PATH}${id}`;
  let requests = 0;
  let active = 0;
  let maxConcurrent = 0;
  let log: RequestLogEntry[] = [];
  servers.set(id, {
    base,
    async handle(request) {
      requests++;
      active++;
      if (active > maxConcurrent) maxConcurrent = active;
      const startMs = performance.now();
      const path = new URL(request.url).pathname.slice(new URL(base).pathname.length) || "/";
      let status = 500;
      try {
        const response = await route(request, base);
        status = response.status;
        return response;
      } catch (error) {
        status = 499;
        throw error;
      } finally {
        active--;
        log.push({ method: request.method, path, status, startMs, endMs: performance.now() });
      }
    },
  });
  return {
    url: base,
    port: Number(new URL(origin).port) || 80,
    stats: (): TestServerStats => ({ requests, active, maxConcurrent, log: log.slice() }),
    resetStats: () => {
      requests = 0;
      maxConcurrent = active;
      log = [];
    },
    close: async () => {
      servers.delete(id);
    },
  };
}
