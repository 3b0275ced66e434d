// A correct solution unlike the reference: children started with spawn(process.execPath, ["-e",
// code]) and an IPC channel (no file written), a queue of idle children that tasks are handed to
// (instead of one lane per child), Error objects for failures, and children ended by disconnect.
import { spawn, type ChildProcess } from "node:child_process";

type Outcome = { ok: true; value: unknown; pid: number } | { ok: false; error: string; pid?: number };

const WORKER = `
const url = require("node:url");
const fnPromise = import(url.pathToFileURL(process.argv[1]).href).then((m) => {
  const d = m.default;
  return typeof d === "function" ? d : d && d.default;
});
process.on("message", async (job) => {
  let reply;
  try {
    reply = { id: job.id, ok: true, value: await (await fnPromise)(job.input) };
  } catch (e) {
    reply = { id: job.id, ok: false, error: e && e.message !== undefined ? e.message : String(e) };
  }
  process.send(reply);
});`;

function runInProcesses(
  modulePath: string,
  inputs: unknown[],
  options: { processes: number; timeoutMs?: number },
): Promise<Outcome[]> {
  if (!(Number.isInteger(options.processes) && options.processes >= 1)) throw new RangeError("processes");
  const out: Outcome[] = [];
  const idle: ChildProcess[] = [];
  const alive = new Set<ChildProcess>();
  let queued = 0;
  let finished = 0;
  return new Promise<Outcome[]>((resolve) => {
    const newChild = (): ChildProcess => {
      const c = spawn(process.execPath, ["-e", WORKER, modulePath], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        serialization: "advanced",
      });
      alive.add(c);
      c.once("exit", () => alive.delete(c));
      return c;
    };
    const settle = () => {
      if (finished < inputs.length) return;
      // Disconnecting lets each idle child's event loop end; wait for every exit before resolving.
      const gone = [...alive].map(
        (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(0) : c.once("exit", r))),
      );
      for (const c of alive) c.disconnect();
      void Promise.all(gone).then(() => resolve(out));
    };
    const dispatch = () => {
      while (queued < inputs.length && (idle.length > 0 || alive.size < options.processes)) {
        const id = queued++;
        const child = idle.pop() ?? newChild();
        const pid = child.pid!;
        const done = (o: Outcome, reusable: boolean) => {
          if (out[id]) return;
          out[id] = o;
          finished++;
          child.off("message", onMessage);
          child.off("exit", onExit);
          clearTimeout(timer);
          if (reusable) idle.push(child);
          dispatch();
          settle();
        };
        const onMessage = (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
          if (m.id === id)
            done(m.ok ? { ok: true, value: m.value, pid } : { ok: false, error: m.error ?? "failed", pid }, true);
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
          done({ ok: false, error: `child ${pid} died (${signal ?? code})`, pid }, false);
        const timer =
          options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                child.off("exit", onExit);
                // Not reusable: wait for the kill to land so the replacement keeps the count at `processes`.
                child.once("exit", () =>
                  done({ ok: false, error: `Timeout: no result within ${options.timeoutMs} ms`, pid }, false),
                );
                child.kill("SIGKILL");
              }, options.timeoutMs);
        child.on("message", onMessage);
        child.on("exit", onExit);
        child.send({ id, input: inputs[id] });
      }
    };
    if (inputs.length === 0) resolve(out);
    else dispatch();
  });
}

export {};
