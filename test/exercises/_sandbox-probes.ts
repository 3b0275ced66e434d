// Probes used only by test/integration/grade-sandbox.test.ts: each tries something the sandbox must
// refuse, and returns what happened (an error code), so the test sees the refusal itself.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const code = (fn: () => unknown): string => {
  try {
    fn();
    return "allowed";
  } catch (error) {
    return String((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
};

export function readFile(_sub: unknown, args: { file: string }) {
  return code(() => readFileSync(args.file, "utf8"));
}

export function writeFile(_sub: unknown, args: { file: string }, ctx: { workdir: string }) {
  return code(() => writeFileSync(path.resolve(ctx.workdir, args.file), "tampered"));
}

export function signalParent() {
  return code(() => process.kill(process.ppid, 0));
}

export function spawnChild() {
  return code(() => execFileSync("true"));
}

export function connect(_sub: unknown, args: { host: string; port: number }) {
  return new Promise((resolve) => {
    const socket = net.connect(args.port, args.host);
    socket.once("connect", () => (socket.destroy(), resolve("connected")));
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

export async function fetchUrl(_sub: unknown, args: { url: string }) {
  try {
    const r = await fetch(args.url);
    return `status ${r.status}`;
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    return String(cause?.code ?? (error as Error).message);
  }
}

export function print(_sub: unknown, args: { bytes: number }) {
  process.stdout.write("x".repeat(args.bytes));
  return "printed";
}

export function value(sub: Record<string, unknown>, args: { name: string }) {
  return sub[args.name];
}

export async function callFn(sub: Record<string, () => unknown>, args: { name: string }) {
  return await sub[args.name]!();
}
