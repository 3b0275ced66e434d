/**
 * Small modules of the browser runtime: `node:vm` (runInThisContext as an indirect eval), `node:module`
 * (createRequire gives the realm's require), `node:url`, `node:v8` (serialize as structured JSON),
 * `node:async_hooks` (an AsyncLocalStorage that follows a synchronous run and the promise it returns).
 */
export const vm = {
  runInThisContext(code: string, options?: { filename?: string } | string): unknown {
    const filename = typeof options === "string" ? options : options?.filename;
    const tag = filename ? `\n//# sourceURL=${filename.replace(/[^\w:./-]/g, "_")}` : "";
    return (0, eval)(`${code}${tag}`);
  },
};

export const url = {
  URL: globalThis.URL,
  URLSearchParams: globalThis.URLSearchParams,
  pathToFileURL: (p: string) => new URL(`file://${p}`),
  fileURLToPath: (u: string | URL) => decodeURIComponent(new URL(String(u)).pathname),
};

// Values as JSON with the types a queue item may hold tagged: what SharedQueue's codec needs from node:v8.
function encode(value: unknown): unknown {
  if (value === undefined) return { $u: 1 };
  if (typeof value === "bigint") return { $b: String(value) };
  if (typeof value === "number" && !Number.isFinite(value)) return { $n: String(value) };
  if (value instanceof Date) return { $d: value.toISOString() };
  if (value instanceof Map) return { $m: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { $s: [...value].map(encode) };
  if (ArrayBuffer.isView(value)) return { $t: value.constructor.name, v: Array.from(value as unknown as ArrayLike<number>) };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return { $o: out };
  }
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (!value || typeof value !== "object") return value;
  const v = value as Record<string, unknown>;
  if ("$u" in v) return undefined;
  if ("$b" in v) return BigInt(v.$b as string);
  if ("$n" in v) return Number(v.$n);
  if ("$d" in v) return new Date(v.$d as string);
  if ("$m" in v) return new Map((v.$m as [unknown, unknown][]).map(([a, b]) => [decode(a), decode(b)]));
  if ("$s" in v) return new Set((v.$s as unknown[]).map(decode));
  if ("$t" in v) {
    const ctor = (globalThis as unknown as Record<string, new (a: unknown[]) => unknown>)[v.$t as string];
    return ctor ? new ctor(v.v as unknown[]) : v.v;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v.$o as Record<string, unknown>)) out[k] = decode(x);
  return out;
}

export const v8 = {
  serialize: (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(encode(value))),
  deserialize: (bytes: Uint8Array): unknown => decode(JSON.parse(new TextDecoder().decode(bytes))),
};

/**
 * AsyncLocalStorage without async hooks: the store is set while `run` runs and until the promise it returned
 * settles. Enough for "the timeline whose record() is running"; two overlapping runs would see the later one.
 */
export class AsyncLocalStorage<T> {
  #store: T | undefined;
  getStore(): T | undefined {
    return this.#store;
  }
  run<R>(store: T, fn: (...args: unknown[]) => R, ...args: unknown[]): R {
    const previous = this.#store;
    this.#store = store;
    let result: R;
    try {
      result = fn(...args);
    } catch (error) {
      this.#store = previous;
      throw error;
    }
    if (result instanceof Promise) {
      void result.finally(() => {
        if (this.#store === store) this.#store = previous;
      }).catch(() => undefined);
    } else this.#store = previous;
    return result;
  }
  enterWith(store: T): void {
    this.#store = store;
  }
  disable(): void {
    this.#store = undefined;
  }
}

export const asyncHooks = { AsyncLocalStorage, AsyncResource: class {}, createHook: () => ({ enable() {}, disable() {} }) };
