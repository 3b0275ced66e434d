import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A kernel connection file's content (jupyter_client's format). */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name?: string;
}

/**
 * Where to look for free ports: below the range the system hands out for outgoing connections (Linux's
 * ip_local_port_range, 32768-60999 by default). Why: a port we choose is released before the kernel binds it,
 * and the client sockets of other kernels and servers (a test suite opens hundreds) take their local ports
 * from that range: one landing on ours in between leaves the kernel unable to bind it. Undefined when the
 * range is unknown (not Linux) or leaves no room below it: then the system picks (port 0).
 */
function portWindow(): { low: number; high: number } | undefined {
  let ephemeralLow: number;
  try {
    ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
  const high = ephemeralLow - 1;
  const low = Math.max(10_000, high - 20_000);
  return Number.isInteger(ephemeralLow) && high - low >= 1000 ? { low, high } : undefined;
}

function listenOn(ip: string, port: number): Promise<{ port: number; release: () => Promise<void> } | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(undefined) : reject(error),
    );
    server.listen(port, ip, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : 0;
      resolve({ port: bound, release: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

async function freePort(ip: string): Promise<{ port: number; release: () => Promise<void> }> {
  const window = portWindow();
  for (let tries = 0; window && tries < 50; tries++) {
    const held = await listenOn(ip, window.low + Math.floor(Math.random() * (window.high - window.low + 1)));
    if (held) return held;
  }
  const held = await listenOn(ip, 0);
  if (!held) throw new Error(`no free port on ${ip}`);
  return held;
}

/**
 * Five free ports on 127.0.0.1 and a random HMAC key. The ports are held open together and released
 * together, so two of them are never the same; another process may still take one between release
 * and the kernel's bind (the same race jupyter_client accepts): the embedded transport then starts the
 * kernel again on new ports (embedded.ts spawnKernel).
 */
export async function newConnectionInfo(ip = "127.0.0.1"): Promise<ConnectionInfo> {
  const held = await Promise.all(Array.from({ length: 5 }, () => freePort(ip)));
  await Promise.all(held.map((h) => h.release()));
  const [shell, iopub, stdin, control, hb] = held.map((h) => h.port) as [number, number, number, number, number];
  return {
    transport: "tcp",
    ip,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
  };
}

/** `tcp://ip:port` for one channel. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
