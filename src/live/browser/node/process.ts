/**
 * `process` for the browser runtime: stdout/stderr (into the cell, or up to the thread's parent), `env`,
 * `exit`, `hrtime`, `nextTick`, `cwd`, `memoryUsage`; the rest says it is the browser.
 */
import { EventEmitter } from "./events";
import { realm } from "./realm";

function stream(fd: 1 | 2) {
  return {
    fd,
    isTTY: false,
    columns: 100,
    write(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
      const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : String(chunk);
      if (text) realm.write(fd, text);
      const cb = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof cb === "function") queueMicrotask(() => (cb as () => void)());
      return true;
    },
    on() {
      return this;
    },
    once() {
      return this;
    },
  };
}

const started = performance.now();

class BrowserProcess extends EventEmitter {
  readonly stdout = stream(1);
  readonly stderr = stream(2);
  readonly platform = "browser";
  readonly arch = "wasm";
  readonly version = "v20.0.0";
  readonly versions = { node: "20.0.0", browser: navigator.userAgent };
  readonly argv = ["node", "browser-kernel"];
  readonly execArgv: string[] = [];
  readonly pid = 1;
  readonly ppid = 0;
  readonly title = "browser";
  readonly release = { name: "browser" };
  exitCode: number | undefined = undefined;

  get env(): Record<string, string> {
    return realm.env;
  }

  cwd(): string {
    return "/notebooks";
  }

  exit(code?: number): never {
    return realm.exit(code ?? this.exitCode ?? 0);
  }

  nextTick(fn: (...args: unknown[]) => void, ...args: unknown[]): void {
    queueMicrotask(() => fn(...args));
  }

  hrtime = Object.assign(
    (previous?: [number, number]): [number, number] => {
      const ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      let s = Number(ns / 1_000_000_000n);
      let n = Number(ns % 1_000_000_000n);
      if (previous) {
        s -= previous[0];
        n -= previous[1];
        if (n < 0) {
          s--;
          n += 1e9;
        }
      }
      return [s, n];
    },
    { bigint: (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) },
  );

  uptime(): number {
    return (performance.now() - started) / 1000;
  }

  memoryUsage(): { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number } {
    const memory = (performance as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
    const used = memory?.usedJSHeapSize ?? 0;
    return { rss: used, heapUsed: used, heapTotal: memory?.totalJSHeapSize ?? used, external: 0, arrayBuffers: 0 };
  }

  cpuUsage(): { user: number; system: number } {
    return { user: Math.round(performance.now() * 1000), system: 0 };
  }

  emitWarning(warning: unknown): void {
    realm.write(2, `Warning: ${String(warning)}\n`);
  }
}

export const process = new BrowserProcess();
export default process;
