/**
 * JSON as Python's `json` module reads and writes it, so a notebook written here is byte for byte what
 * `nbformat.writes` writes. Python keeps what JavaScript loses: `1.0` stays a float (written `1.0`, and
 * not an integer to nbformat's schema), `12345678901234567890` stays exact, `NaN` and `Infinity` are
 * read. The fast path is `JSON.parse`; only text that holds such a number is read by the slower parser
 * below, which remembers each such number beside the object that holds it.
 */

/** How Python holds a number that JavaScript cannot tell apart from another: a float, or an exact big int. */
interface PyNumber {
  kind: "float" | "bigint";
  /** The JavaScript value it was read as; a later assignment of another value forgets the marker. */
  value: number;
  /** For a big int: its decimal digits as Python prints them. */
  digits?: string;
}

/** Numbers read from text whose Python meaning differs from the JavaScript number, by container and key. */
const pyNumbers = new WeakMap<object, Map<string | number, PyNumber>>();

function mark(container: object, key: string | number, n: PyNumber): void {
  let m = pyNumbers.get(container);
  if (!m) pyNumbers.set(container, (m = new Map()));
  m.set(key, n);
}

/** The Python number stored at `container[key]`, when the value there is still the one read. */
export function pyNumberAt(container: object, key: string | number, value: number): PyNumber | undefined {
  const n = pyNumbers.get(container)?.get(key);
  return n && Object.is(n.value, value) ? n : undefined;
}

/** Whether `container[key]` holds a number Python reads as a float (`1.0`, `1e5`, `NaN`). */
export function isPyFloat(container: object, key: string | number): boolean {
  const value = (container as Record<string | number, unknown>)[key];
  return typeof value === "number" && pyNumberAt(container, key, value)?.kind === "float";
}

/** Every float that Python reads at a place where JavaScript sees an integral number or a non-finite one. */
export function* pyFloatsIn(root: unknown): Generator<[container: Record<string | number, unknown>, key: string | number]> {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== "object") continue;
    const m = pyNumbers.get(v);
    const entries = Array.isArray(v) ? v.entries() : Object.entries(v);
    for (const [k, child] of entries) {
      if (typeof child === "number") {
        if (m && pyNumberAt(v, k, child)?.kind === "float" && (Number.isInteger(child) || !Number.isFinite(child)))
          yield [v as Record<string | number, unknown>, k];
      } else if (child && typeof child === "object") stack.push(child);
    }
  }
}

/** A parse failure at a 0-based offset of the text. */
export class PyJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// A number lexeme outside a string is seen only after `:`, `[` or `,`; text (or base64) rarely has one there.
const NEEDS_PYTHON = /[:[,]\s*(?:-?\d+(?:\.\d|[eE])|-?\d{16,}|-?(?:NaN|Infinity))/;

/**
 * Parse JSON text as Python's `json.loads` does.
 * @throws PyJsonError with the offset where the text goes wrong.
 */
export function parsePyJson(text: string): unknown {
  return parsePy(text).value;
}

/**
 * {@link parsePyJson}, also saying whether the text held numbers Python reads differently from
 * JavaScript (a float such as `1.0`, an integer beyond 2^53, `NaN`).
 */
export function parsePy(text: string): { value: unknown; pythonNumbers: boolean } {
  if (!NEEDS_PYTHON.test(text)) {
    try {
      return { value: JSON.parse(text), pythonNumbers: false };
    } catch {
      // The slow parser below finds the place and the reason.
    }
  }
  const parser = new Parser(text);
  const value = parser.document();
  return { value, pythonNumbers: parser.marked };
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

class Parser {
  private i = 0;
  /** Whether a number was marked as Python's (a float, a big int). */
  marked = false;
  constructor(private readonly text: string) {}

  document(): unknown {
    this.ws();
    const v = this.value(undefined, "");
    this.ws();
    if (this.i < this.text.length) this.fail("extra data after the notebook");
    return v;
  }

  private mark(container: object, key: string | number, n: PyNumber): void {
    this.marked = true;
    mark(container, key, n);
  }

  private fail(message: string, at = this.i): never {
    throw new PyJsonError(message, at);
  }

  private ws(): void {
    while (this.i < this.text.length && WS.has(this.text[this.i]!)) this.i++;
  }

  private value(container: object | undefined, key: string | number): unknown {
    const ch = this.text[this.i];
    if (ch === "{") return this.object();
    if (ch === "[") return this.array();
    if (ch === '"') return this.string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.number(container, key);
  }

  private object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.text[this.i] === "}") {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail("expected a property name in double quotes");
      const key = this.string();
      this.ws();
      if (this.text[this.i] !== ":") this.fail("expected ':' after a property name");
      this.i++;
      this.ws();
      const v = this.value(obj, key);
      // "__proto__" is an own data property in JSON, as JSON.parse makes it.
      Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
      this.ws();
      const next = this.text[this.i];
      this.i++;
      if (next === "}") return obj;
      if (next !== ",") this.fail("expected ',' or '}' after a property value", this.i - 1);
    }
  }

  private array(): unknown[] {
    const arr: unknown[] = [];
    this.i++;
    this.ws();
    if (this.text[this.i] === "]") {
      this.i++;
      return arr;
    }
    for (;;) {
      this.ws();
      arr.push(this.value(arr, arr.length));
      this.ws();
      const next = this.text[this.i];
      this.i++;
      if (next === "]") return arr;
      if (next !== ",") this.fail("expected ',' or ']' after an array element", this.i - 1);
    }
  }

  private string(): string {
    const start = ++this.i;
    let out = "";
    let run = start;
    for (;;) {
      if (this.i >= this.text.length) this.fail("unterminated string", start - 1);
      const ch = this.text.charCodeAt(this.i);
      if (ch === 0x22) {
        out += this.text.slice(run, this.i++);
        return out;
      }
      if (ch < 0x20) this.fail("invalid control character in a string");
      if (ch !== 0x5c) {
        this.i++;
        continue;
      }
      out += this.text.slice(run, this.i);
      const esc = this.text[this.i + 1] ?? "";
      if (esc === "u") {
        const hex = this.text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else if (esc in ESCAPES) {
        out += ESCAPES[esc];
        this.i += 2;
      } else this.fail("invalid escape");
      run = this.i;
    }
  }

  private number(container: object | undefined, key: string | number): number {
    const rest = this.text.slice(this.i, this.i + 512);
    for (const [word, v] of [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]] as const) {
      if (rest.startsWith(word)) {
        this.i += word.length;
        if (container) this.mark(container, key, { kind: "float", value: v });
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
    if (!m) this.fail("expecting a value");
    let lexeme = m[0];
    if (lexeme.length === 512) {
      // A very long integer: take all its digits.
      lexeme = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.i))![0];
    }
    this.i += lexeme.length;
    const value = Number(lexeme);
    if (container) {
      if (m[1] !== undefined || m[2] !== undefined) this.mark(container, key, { kind: "float", value });
      else if (!Number.isSafeInteger(value)) this.mark(container, key, { kind: "bigint", value, digits: lexeme });
    }
    return value;
  }
}

/** Python's `repr(float)`: the shortest digits that read back, fixed between 1e-4 and 1e16, else `1e+16`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // JavaScript's String(number) gives the shortest round-trip digits, the closest on a tie, as repr does.
  const m = /^(\d+)(?:\.(\d+))?(?:e([-+]\d+))?$/.exec(String(Math.abs(x)))!;
  const int = m[1]!;
  const frac = m[2] ?? "";
  const all = `${int}${frac}`;
  const lead = all.length - all.replace(/^0+/, "").length;
  const digits = all.slice(lead).replace(/0+$/, "");
  // The decimal exponent of the first significant digit.
  const exp = Number(m[3] ?? 0) + int.length - 1 - lead;
  if (exp < -4 || exp >= 16) {
    const rest = digits.slice(1);
    return `${sign}${digits[0]}${rest ? `.${rest}` : ""}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1) || "0"}`;
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

// Python's json.dumps(ensure_ascii=False) escapes only these; a lone surrogate cannot be written as
// UTF-8, so it is written as its escape (what Python's "backslashreplace" would give).
// eslint-disable-next-line no-control-regex -- control characters are what JSON must escape
const STRING_ESCAPE = /["\\\x00-\x1f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** A string as Python's `json.dumps(..., ensure_ascii=False)` writes it. */
export function pyJsonString(s: string): string {
  return `"${s.replace(STRING_ESCAPE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** Python's `sorted()` of str keys: by code point (JavaScript's default sort compares UTF-16 units). */
export function pyKeyOrder(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Changes to apply while writing, without copying the document: dropped keys and replaced values. */
export interface WriteEdits {
  omit?: Map<object, Set<string>>;
  replace?: Map<object, Map<string, unknown>>;
}

/**
 * `json.dumps(value, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)`.
 * Numbers read as Python floats or big ints are written as Python writes them.
 */
export function dumpsPy(value: unknown, edits: WriteEdits = {}): string {
  const out: string[] = [];
  const write = (v: unknown, indent: string, container: object | undefined, key: string | number): void => {
    if (v === null || v === undefined) out.push("null");
    else if (typeof v === "string") out.push(pyJsonString(v));
    else if (typeof v === "boolean") out.push(v ? "true" : "false");
    else if (typeof v === "number") {
      const py = container ? pyNumberAt(container, key, v) : undefined;
      if (py?.kind === "float") out.push(pyFloatRepr(v));
      else if (py?.kind === "bigint") out.push(py.digits!);
      else if (!Number.isFinite(v)) out.push(pyFloatRepr(v));
      else if (Number.isInteger(v)) out.push(Math.abs(v) < 1e21 ? String(v === 0 ? 0 : v) : BigInt(v).toString());
      else out.push(pyFloatRepr(v));
    } else if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push("[]");
        return;
      }
      const inner = `${indent} `;
      out.push("[");
      v.forEach((item, i) => {
        out.push(i ? `,\n${inner}` : `\n${inner}`);
        write(item, inner, v, i);
      });
      out.push(`\n${indent}]`);
    } else if (typeof v === "object") {
      const omit = edits.omit?.get(v);
      const replace = edits.replace?.get(v);
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined && !omit?.has(k))
        .sort(pyKeyOrder);
      if (keys.length === 0) {
        out.push("{}");
        return;
      }
      const inner = `${indent} `;
      out.push("{");
      keys.forEach((k, i) => {
        out.push(i ? `,\n${inner}` : `\n${inner}`);
        out.push(pyJsonString(k), ": ");
        write(replace?.has(k) ? replace.get(k) : obj[k], inner, v, k);
      });
      out.push(`\n${indent}}`);
    } else out.push("null");
  };
  write(value, "", undefined, "");
  return out.join("");
}
