// Probes of process-pool: run in the sandbox (which, for this exercise only, may start Node child
// processes under its own rules) next to the submission; they only observe and return what they
// saw. The suite (trusted, another process) decides what is right, and counts the sandbox's child
// processes from outside while a probe runs.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

type Sub = {
  runInProcesses(
    modulePath: string,
    inputs: unknown[],
    options: { processes: number; timeoutMs?: number },
  ): Promise<unknown>;
};

/** Task modules the pool runs: each reports the pid of the process that ran it. */
const MODULES: Record<string, string> = {
  // async, ESM: a short wait so that several children are busy at once
  "echo.mjs": `export default async function (x) {
  await new Promise((r) => setTimeout(r, 40));
  return { x, pid: process.pid };
}`,
  // sync, CommonJS
  "square.cjs": `module.exports = (x) => ({ y: x * x, pid: process.pid });`,
  // sync, .js in a CommonJS package
  "double.js": `module.exports = function double(x) { return { y: 2 * x, pid: process.pid }; };`,
  // Meets the other tasks of its group: writes its name in a folder, waits until \`want\` names are
  // there (or 2 s pass), and says how many it saw. Only tasks that run at the same time meet.
  "meet.mjs": `import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
export default async function ({ dir, name, want }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), "");
  const end = Date.now() + 2000;
  let saw = 0;
  while ((saw = readdirSync(dir).length) < want && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return { saw, pid: process.pid };
}`,
  // every way a task can fail
  "faulty.cjs": `module.exports = async (x) => {
  if (x === "throw") throw new Error("bad input: throw");
  if (x === "exit") process.exit(3);
  if (x === "crash") return new Promise(() => setTimeout(() => { throw new Error("crash in a timer"); }, 0));
  if (x === "kill") process.kill(process.pid, "SIGKILL");
  if (x === "hang") for (;;) {}
  if (x === "never") return new Promise(() => setInterval(() => {}, 1000));
  return { x, pid: process.pid };
};`,
};

/**
 * Write the task modules into scratch/ (the one folder the sandbox may write), run the pool on
 * `module` with `inputs`, and return its results with the caller's pid and the time it took.
 */
export async function run(
  sub: Sub,
  args: { module: string; inputs: unknown[]; processes: number; timeoutMs?: number },
  ctx: { workdir: string },
) {
  const dir = path.join(ctx.workdir, "scratch", "tasks");
  mkdirSync(dir, { recursive: true });
  for (const [name, code] of Object.entries(MODULES)) writeFileSync(path.join(dir, name), code);
  // A meeting input names its group; the task gets the group's folder in scratch/.
  const inputs = args.inputs.map((input) => {
    const meeting = input as { meet?: string; name?: string; want?: number } | null;
    if (!meeting || typeof meeting !== "object" || meeting.meet === undefined) return input;
    return { dir: path.join(ctx.workdir, "scratch", "meet", meeting.meet), name: meeting.name, want: meeting.want };
  });
  const options =
    args.timeoutMs === undefined
      ? { processes: args.processes }
      : { processes: args.processes, timeoutMs: args.timeoutMs };
  const started = Date.now();
  const results = await sub.runInProcesses(path.join(dir, args.module), inputs, options);
  return { results, callerPid: process.pid, elapsedMs: Date.now() - started };
}
