import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { CourseError } from "../../errors.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ipynb": "application/x-ipynb+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Options of {@link serveSite}. */
export interface ServeOptions {
  /** The folder to serve. */
  dir: string;
  /** @default 0 (a free port chosen by the system) */
  port?: number;
  /** Only loopback by default: the site is for the reader on this machine. @default "127.0.0.1" */
  host?: string;
  /** Called once per request served (for a log line). */
  onRequest?: (method: string, url: string, status: number) => void;
}

/** A running static server. */
export interface SiteServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string): number {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
  return status;
}

/**
 * The file a URL path names inside `root`, or undefined when it points outside (`..`, an encoded
 * `%2e%2e`, a NUL byte). A folder maps to its `index.html`.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0]!.split("#")[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  return decoded.endsWith("/") ? path.join(file, "index.html") : file;
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, "405 method not allowed\n");
  }
  const file = resolveInside(root, req.url ?? "/");
  if (!file) return send(res, 400, "400 bad path\n");
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    // `/exercises` -> `/exercises/` so the page's relative links resolve from inside the folder.
    res.writeHead(301, { location: `${(req.url ?? "/").split("?")[0]}/` });
    res.end();
    return 301;
  }
  if (!info?.isFile()) return send(res, 404, `404 not found: ${req.url}\n`);
  res.writeHead(200, {
    "content-type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": info.size,
    // A rebuilt site shows on reload: the browser revalidates every time (cheap on loopback).
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    // Cross-origin isolation, so live cells get SharedArrayBuffer (threads sharing memory): see src/live/.
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
  });
  if (req.method === "HEAD") {
    res.end();
    return 200;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on("error", () => {
      res.destroy();
      resolve();
    });
    res.on("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return 200;
}

/**
 * Serve a built site over HTTP on loopback: GET and HEAD of files inside `dir` only (no directory
 * listings, nothing outside the folder), `index.html` for a folder, no caching. Resolves once listening.
 * @throws CourseError `ERR_SITE_MISSING` when `dir` has no index.html; `ERR_PORT_IN_USE` when the port is taken.
 * @example
 * const server = await serveSite({ dir: "build/site" });
 * console.log(server.url); // http://127.0.0.1:40123/
 * await server.close();
 */
export async function serveSite(options: ServeOptions): Promise<SiteServer> {
  const root = path.resolve(options.dir);
  const index = await stat(path.join(root, "index.html")).catch(() => undefined);
  if (!index?.isFile())
    throw new CourseError(
      "ERR_SITE_MISSING",
      `${root} has no index.html: build the site first (npm start, or tsnb site)`,
    );
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(root, req, res)
      .catch(() => (res.headersSent ? (res.destroy(), 500) : send(res, 500, "500 internal error\n")))
      .then(
        (status) => options.onRequest?.(req.method ?? "?", req.url ?? "", status),
        () => undefined,
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new CourseError(
              "ERR_PORT_IN_USE",
              `port ${options.port} on ${host} is in use: choose another with --port, or --port 0 for a free one`,
              { cause: error },
            )
          : error,
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
