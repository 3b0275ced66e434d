/**
 * `node:util` for the browser runtime: `inspect` and `format` as Node prints values (what `console.log` and a
 * cell's last value show), `promisify`, `types`, `isDeepStrictEqual`, `TextEncoder`/`TextDecoder`.
 */
export interface InspectOptions {
  depth?: number;
  breakLength?: number;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function key(k: string | symbol): string {
  if (typeof k === "symbol") return `[${k.toString()}]`;
  return IDENT.test(k) ? k : quote(k);
}

function className(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null) return "[Object: null prototype]";
  return proto.constructor?.name;
}

function wrap(open: string, items: string[], close: string, indent: string, breakLength: number): string {
  if (items.length === 0) return `${open}${close}`;
  const oneLine = `${open} ${items.join(", ")} ${close}`;
  if (oneLine.length + indent.length <= breakLength && !items.some((i) => i.includes("\n"))) return oneLine;
  const inner = `${indent}  `;
  return `${open}\n${items.map((i) => inner + i).join(",\n")}\n${indent}${close}`;
}

function inspectValue(value: unknown, depth: number, seen: object[], indent: string, opts: Required<InspectOptions>, top: boolean): string {
  switch (typeof value) {
    case "string":
      return top ? quote(value) : quote(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function": {
      const src = Function.prototype.toString.call(value);
      if (/^class\b/.test(src)) return `[class ${value.name || "(anonymous)"}]`;
      const kind = src.startsWith("async") ? "AsyncFunction" : "Function";
      return value.name ? `[${kind}: ${value.name}]` : `[${kind} (anonymous)]`;
    }
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.includes(obj)) return "[Circular *1]";
  if (obj instanceof Error) return obj.stack && obj.stack.includes(obj.message) ? obj.stack : `${obj.name}: ${obj.message}`;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (obj instanceof Promise) return "Promise { <pending> }";
  if (obj instanceof WeakMap) return "WeakMap { <items unknown> }";
  if (obj instanceof WeakSet) return "WeakSet { <items unknown> }";
  if (typeof SharedArrayBuffer !== "undefined" && obj instanceof SharedArrayBuffer)
    return `SharedArrayBuffer { byteLength: ${obj.byteLength} }`;
  if (obj instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${obj.byteLength} }`;
  const name = className(obj);
  if (depth > opts.depth) {
    if (Array.isArray(obj)) return "[Array]";
    return `[${name && name !== "Object" ? name : "Object"}]`;
  }
  const next = [...seen, obj];
  const sub = (v: unknown) => inspectValue(v, depth + 1, next, `${indent}  `, opts, false);
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const arr = obj as unknown as ArrayLike<number | bigint>;
    const items = Array.from({ length: Math.min(arr.length, 100) }, (_, i) => sub(arr[i]));
    if (arr.length > 100) items.push(`... ${arr.length - 100} more items`);
    return wrap(`${name}(${arr.length}) [`, items, "]", indent, opts.breakLength);
  }
  if (Array.isArray(obj)) {
    const items = obj.slice(0, 100).map((v, i) => (i in obj ? sub(v) : "<empty item>"));
    if (obj.length > 100) items.push(`... ${obj.length - 100} more items`);
    return wrap("[", items, "]", indent, opts.breakLength);
  }
  if (obj instanceof Map) {
    const items = [...obj].map(([k, v]) => `${sub(k)} => ${sub(v)}`);
    return wrap(`Map(${obj.size}) {`, items, "}", indent, opts.breakLength);
  }
  if (obj instanceof Set) {
    const items = [...obj].map((v) => sub(v));
    return wrap(`Set(${obj.size}) {`, items, "}", indent, opts.breakLength);
  }
  const keys: (string | symbol)[] = [
    ...Object.keys(obj),
    ...Object.getOwnPropertySymbols(obj).filter((s) => Object.prototype.propertyIsEnumerable.call(obj, s)),
  ];
  const items = keys.map((k) => {
    const desc = Object.getOwnPropertyDescriptor(obj, k);
    if (desc && desc.get && !("value" in desc)) return `${key(k)}: [Getter${desc.set ? "/Setter" : ""}]`;
    return `${key(k)}: ${sub((obj as Record<string | symbol, unknown>)[k])}`;
  });
  const prefix = name === "Object" ? "" : `${name ?? ""} `;
  return wrap(`${prefix}{`, items, "}", indent, opts.breakLength);
}

/** A value as Node's `util.inspect` shows it (depth 2, lines broken past 80 columns). */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  const opts = { depth: options.depth ?? 2, breakLength: options.breakLength ?? 80 };
  return inspectValue(value, 0, [], "", opts, true);
}

/** `util.format`: printf-like `%s %d %i %f %j %o %O %c %%`, the remaining arguments inspected and space-joined. */
export function format(...args: unknown[]): string {
  const first = args[0];
  let rest = args.slice(1);
  let out: string;
  if (typeof first === "string") {
    out = first.replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === "%%") return "%";
      if (rest.length === 0) return spec;
      const [arg] = rest;
      rest = rest.slice(1);
      switch (spec) {
        case "%s":
          return typeof arg === "string" ? arg : typeof arg === "object" && arg !== null ? inspect(arg, { depth: 1 }) : String(arg);
        case "%d":
        case "%i":
          return typeof arg === "bigint" ? `${arg}n` : String(spec === "%i" ? Math.trunc(Number(arg)) : Number(arg));
        case "%f":
          return String(Number(arg));
        case "%j":
          return JSON.stringify(arg);
        case "%c":
          return "";
        default:
          return inspect(arg);
      }
    });
  } else {
    out = args.length ? inspect(first) : "";
  }
  for (const arg of rest) out += ` ${typeof arg === "string" ? arg : inspect(arg)}`;
  return out;
}

const custom = Symbol.for("nodejs.util.promisify.custom");

/** `util.promisify` for callback-last functions. */
export function promisify<T>(fn: (...args: never[]) => unknown): (...args: unknown[]) => Promise<T> {
  const own = (fn as unknown as Record<symbol, unknown>)[custom];
  if (typeof own === "function") return own as (...args: unknown[]) => Promise<T>;
  return (...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      (fn as (...a: unknown[]) => unknown)(...args, (error: unknown, value: T) => (error ? reject(error) : resolve(value)));
    });
}
promisify.custom = custom;

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return inspect(a, { depth: Infinity }) === inspect(b, { depth: Infinity });
}

export const types = {
  isPromise: (v: unknown) => v instanceof Promise,
  isDate: (v: unknown) => v instanceof Date,
  isRegExp: (v: unknown) => v instanceof RegExp,
  isSharedArrayBuffer: (v: unknown) => typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer,
};

export const { TextEncoder, TextDecoder } = globalThis;
inspect.custom = Symbol.for("nodejs.util.inspect.custom");

export default { inspect, format, promisify, isDeepStrictEqual, types, TextEncoder, TextDecoder };
