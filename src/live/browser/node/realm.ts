/**
 * What one JavaScript realm of the browser runtime (the kernel worker, or one thread's worker) knows about
 * itself: its Node-style thread id, whether it plays the main thread, its `workerData`, where its output goes,
 * and how it ends. The shims read it; the kernel and the thread bootstrap fill it in before any user code runs.
 */
export interface Realm {
  threadId: number;
  isMainThread: boolean;
  workerData: unknown;
  /** Environment variables given to this thread (`process.env`). */
  env: Record<string, string>;
  /** Where `process.stdout/stderr.write` (and so `console.log/error`) go. */
  write(fd: 1 | 2, text: string): void;
  /** `process.exit(code)`. */
  exit(code: number): never;
  /** One counter shared by every realm of a runtime: thread ids are unique across nested workers. */
  ids: Int32Array;
  /** The URL of the thread bootstrap script (`thread.js`), for nested workers. */
  threadScript: string;
  /** Live handles (timers, listened ports, fetches) keeping this thread alive, as Node counts them. */
  handles: number;
  /** Called when `handles` may have dropped to zero. */
  onIdle(): void;
  /** This realm's `require` (set by install.ts). */
  require: (specifier: string) => unknown;
  /** What `require("tslab")` gives (the kernel's display API; threads have none). */
  tslab: unknown;
}

export const realm: Realm = {
  threadId: 0,
  isMainThread: true,
  workerData: null,
  env: {},
  write: () => undefined,
  exit: (code) => {
    throw new Error(`process.exit(${code})`);
  },
  ids: new Int32Array(new SharedArrayBuffer(4)),
  threadScript: "",
  handles: 0,
  onIdle: () => undefined,
  require: () => {
    throw new Error("require() is not ready yet");
  },
  tslab: undefined,
};

/** One more live handle (a timer, a listened port); the returned function releases it once. */
export function hold(): () => void {
  realm.handles++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    realm.handles--;
    if (realm.handles <= 0) realm.onIdle();
  };
}
