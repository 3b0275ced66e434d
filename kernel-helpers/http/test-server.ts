import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { siteIndex, sitePage, titledPage } from "./site";

/** One request the test server answered. Times are `performance.now()` milliseconds of the server's process. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  startMs: number;
  endMs: number;
}

/** What the test server counted since it started or since the last `resetStats()`. */
export interface TestServerStats {
  /** Requests received. */
  requests: number;
  /** Requests in flight now. */
  active: number;
  /** The most requests in flight at once: what a grader reads to check a concurrency limit. */
  maxConcurrent: number;
  /** Every finished (or aborted) request, in order of completion. */
  log: RequestLogEntry[];
}

/** A running local test server (the course's httpbin). */
export interface TestServer {
  /** e.g. `http://127.0.0.1:45678` (no trailing slash). */
  url: string;
  port: number;
  /** A snapshot of the counters and the request log. */
  stats(): TestServerStats;
  /** Zeroes the counters and empties the log (requests in flight stay counted in `active`). */
  resetStats(): void;
  /** Stops listening and closes every socket, keep-alive ones too. */
  close(): Promise<void>;
}

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
}

/** The longest `/delay/:seconds` served, so a typo cannot hang a test. */
const MAX_DELAY_S = 60;
const MAX_BYTES = 100 * 1024 * 1024;

/**
 * Starts the local HTTP test server that lesson notebooks, exercises and graders use instead of httpbin.org.
 *
 * Routes: `GET /get` (JSON echo of method, path, headers, query), `/delay/:seconds` (fractional ok; JSON after
 * the delay; an aborted request ends early), `/status/:code`, `/bytes/:n` (deterministic bytes),
 * `/html/:title` (a page with that `<title>`), `/site/...` (a small crawlable site), anything else 404.
 *
 * @example
 * const server = await startTestServer();
 * await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/delay/0.2`)));
 * console.log(server.stats().maxConcurrent); // 3
 * await server.close();
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`Expected \`port\` to be an integer from 0 to 65535, got \`${String(port)}\` (${typeof port})`);
  }
  let requests = 0;
  let active = 0;
  let maxConcurrent = 0;
  let log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let base = "";

  const server = createServer((req, res) => {
    requests++;
    active++;
    if (active > maxConcurrent) maxConcurrent = active;
    const startMs = performance.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let done = false;
    // Why: "close" fires both after a normal response and when the client aborts; count each request once.
    const finish = (): void => {
      if (done) return;
      done = true;
      active--;
      log.push({ method: req.method ?? "GET", path, status: res.statusCode, startMs, endMs: performance.now() });
    };
    res.on("close", finish);
    try {
      route(req, res, base);
    } catch (error) {
      if (!res.headersSent) send(res, 500, "text/plain", `server error: ${String(error)}\n`);
    }
  });
  server.keepAliveTimeout = 5_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  base = `http://${shownHost}:${actualPort}`;
  // Why: a test server must never keep a notebook kernel or a test process alive on its own.
  server.unref();

  return {
    url: base,
    port: actualPort,
    stats: () => ({ requests, active, maxConcurrent, log: log.slice() }),
    resetStats: () => {
      requests = 0;
      maxConcurrent = active;
      log = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Why: server.close() waits for keep-alive sockets to time out; destroy them so close() is prompt.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json", `${JSON.stringify(value, null, 2)}\n`);
}

function route(req: IncomingMessage, res: ServerResponse, base: string): void {
  const url = new URL(req.url ?? "/", base);
  const path = url.pathname;
  const parts = path.split("/").filter(Boolean);
  const echo = () => ({
    method: req.method,
    path,
    headers: req.headers,
    query: Object.fromEntries(url.searchParams),
  });

  if (path === "/get" || path === "/get/") return sendJson(res, 200, echo());
  if (parts[0] === "delay" && parts.length === 2) {
    const seconds = Number(parts[1]);
    if (!Number.isFinite(seconds) || seconds < 0) return send(res, 400, "text/plain", `bad delay: ${parts[1]}\n`);
    const ms = Math.min(seconds, MAX_DELAY_S) * 1000;
    const timer = setTimeout(() => sendJson(res, 200, { ...echo(), delay: seconds }), ms);
    // Why: a client that gives up (AbortSignal, timeout) must not leave the request counted as active.
    res.on("close", () => clearTimeout(timer));
    return;
  }
  if (parts[0] === "status" && parts.length === 2) {
    const code = Number(parts[1]);
    if (!Number.isInteger(code) || code < 200 || code > 599) return send(res, 400, "text/plain", `bad status: ${parts[1]}\n`);
    return send(res, code, "text/plain", `status ${code}\n`);
  }
  if (parts[0] === "bytes" && parts.length === 2) {
    const n = Number(parts[1]);
    if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) return send(res, 400, "text/plain", `bad byte count: ${parts[1]}\n`);
    const body = Buffer.alloc(n);
    for (let i = 0; i < n; i++) body[i] = i % 256; // deterministic: byte i is i mod 256
    return send(res, 200, "application/octet-stream", body);
  }
  if (parts[0] === "html" && parts.length === 2) {
    return send(res, 200, "text/html; charset=utf-8", titledPage(decodeURIComponent(parts[1] ?? "")));
  }
  if (parts[0] === "site") {
    if (parts.length === 1) return send(res, 200, "text/html; charset=utf-8", siteIndex(base));
    if (parts[1] === "page" && parts.length === 3) {
      const html = sitePage(Number(parts[2]), base);
      if (html) return send(res, 200, "text/html; charset=utf-8", html);
    }
  }
  return send(res, 404, "text/plain", `not found: ${path}\n`);
}
