/**
 * Makes a realm of the browser runtime look like Node to the code it runs: `process`, `require`, Node-style
 * timers, `setImmediate`, `global`, a `console` that writes to `process.stdout/stderr`, and Node-style methods on
 * `MessagePort`.
 */
import { Buffer } from "./buffer";
import { process } from "./process";
import { realm } from "./realm";
import { requireModule } from "./modules";
import { installTimers } from "./timers";
import { format } from "./util";
import { patchMessagePort, patchWaitAsync } from "./worker-threads";

export function installNodeGlobals(): void {
  realm.require = requireModule;
  const g = globalThis as unknown as Record<string, unknown>;
  g.process = process;
  g.global = globalThis;
  g.Buffer = Buffer;
  g.require = requireModule;
  installTimers();
  patchMessagePort();
  patchWaitAsync();
  const out = (...args: unknown[]): void => void process.stdout.write(`${format(...args)}\n`);
  const err = (...args: unknown[]): void => void process.stderr.write(`${format(...args)}\n`);
  const counts = new Map<string, number>();
  const timersByLabel = new Map<string, number>();
  Object.assign(console, {
    log: out,
    info: out,
    debug: out,
    error: err,
    warn: err,
    trace: (...args: unknown[]) => err(`Trace: ${format(...args)}\n${new Error().stack?.split("\n").slice(2).join("\n") ?? ""}`),
    dir: (value: unknown) => out(value),
    table: (value: unknown) => out(value),
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      out(`${label}: ${n}`);
    },
    time: (label = "default") => timersByLabel.set(label, performance.now()),
    timeEnd: (label = "default") => {
      const start = timersByLabel.get(label);
      if (start !== undefined) out(`${label}: ${(performance.now() - start).toFixed(3)}ms`);
      timersByLabel.delete(label);
    },
    assert: (value: unknown, ...args: unknown[]) => {
      if (!value) err(`Assertion failed${args.length ? `: ${format(...args)}` : ""}`);
    },
  });
}
