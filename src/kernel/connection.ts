import { randomBytes } from "node:crypto";
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

async function freePort(ip: string): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ port, release: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/**
 * Five free ports on 127.0.0.1 and a random HMAC key. The ports are held open together and released
 * together, so two of them are never the same; another process may still take one between release
 * and the kernel's bind (the same race jupyter_client accepts), which then shows as a start failure.
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
