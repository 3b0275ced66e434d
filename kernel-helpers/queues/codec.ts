/**
 * Turning queue items into bytes in shared memory and back, as fast as the item allows: numbers and strings
 * are written directly, plain JSON-safe data as JSON, everything else through V8's structured serialiser
 * (Maps, Dates, bigint, typed arrays, undefined inside objects...). Each record's tag says which.
 */
import { deserialize, serialize } from "node:v8";

/** Record tag: a float64 number. */
export const TAG_NUMBER = 1;
/** Record tag: a UTF-8 string. */
export const TAG_STRING = 2;
/** Record tag: UTF-8 JSON text of JSON-exact data. */
export const TAG_JSON = 3;
/** Record tag: V8 structured serialisation. */
export const TAG_V8 = 4;
/** Record tag: one byte, 0 false, 1 true, 2 null. */
export const TAG_CONST = 5;
/** Record tag: an ASCII string (decoded as Latin-1, faster). */
export const TAG_STRING_ASCII = 6;
/** Record tag: ASCII JSON text. */
export const TAG_JSON_ASCII = 7;
/** The largest payload a record can carry (29 bits of length; all ones with tag 7 is the ring's SKIP word). */
export const MAX_PAYLOAD = 2 ** 29 - 2;

// Why Buffer's own utf8Write/latin1Slice/utf8Slice: they skip toString/write's argument juggling, which costs
// as much as the copy for small items. They exist in every Node from 12 to 24; the fallbacks keep us safe.
type FastBuffer = Buffer & {
  utf8Write?(text: string, offset: number, length: number): number;
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
};

/** An item ready to write: a tag, the most bytes it can take, and a writer that returns the bytes written. */
export interface Encoded {
  tag: number;
  /** Upper bound of the payload size in bytes (the exact size for numbers and V8 data). */
  maxBytes: number;
  /** The string to write (TAG_STRING, TAG_JSON), or the bytes (TAG_V8). */
  text?: string;
  bytes?: Uint8Array;
  number?: number;
}

/** Bytes to reserve for a string: 3 per UTF-16 unit when short (cheap), the exact UTF-8 length when long. */
function bound(text: string): number {
  return text.length <= 1024 ? text.length * 3 : Buffer.byteLength(text, "utf8");
}

/** Whether JSON would round-trip `value` exactly (then JSON is used: it is faster than V8's serialiser). */
function jsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      // JSON turns NaN and Infinity into null and -0 into 0.
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > 20) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!jsonExact(value[i], depth + 1)) return false; // holes read as undefined: not exact
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!jsonExact((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false; // undefined, bigint, function, symbol
  }
}

/**
 * Encodes an item. `json` forces JSON (the `"json"` codec: plain data only); otherwise the fastest exact
 * encoding is chosen.
 */
export function encode(value: unknown, json: boolean): Encoded {
  if (typeof value === "number" && !json) return { tag: TAG_NUMBER, maxBytes: 8, number: value };
  if (typeof value === "string" && !json) return { tag: TAG_STRING, maxBytes: bound(value), text: value };
  if (!json && (value === true || value === false || value === null)) return { tag: TAG_CONST, maxBytes: 1, number: value === null ? 2 : value ? 1 : 0 };
  if (json || jsonExact(value, 0)) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot encode a ${typeof value} as JSON`);
    return { tag: TAG_JSON, maxBytes: bound(text), text };
  }
  const bytes = serialize(value);
  return { tag: TAG_V8, maxBytes: bytes.length, bytes };
}

/** Writes an encoded item's payload at `offset` of `data`; returns the bytes written (at most `maxBytes`). */
export function writePayload(item: Encoded, data: Buffer, view: DataView, offset: number): number {
  switch (item.tag) {
    case TAG_NUMBER:
      view.setFloat64(offset, item.number!, true);
      return 8;
    case TAG_CONST:
      data[offset] = item.number!;
      return 1;
    case TAG_V8:
      data.set(item.bytes!, offset);
      return item.bytes!.length;
    default: {
      // Written straight into the ring: no intermediate buffer, and maxBytes (3 per UTF-16 unit) is reserved.
      const fast = data as FastBuffer;
      return fast.utf8Write ? fast.utf8Write(item.text!, offset, item.maxBytes) : data.write(item.text!, offset, item.maxBytes, "utf8");
    }
  }
}

/** The tag to store: strings and JSON whose UTF-8 is as long as the text are ASCII, which decodes faster. */
export function tagFor(item: Encoded, written: number): number {
  if (item.text !== undefined && written === item.text.length) return item.tag === TAG_STRING ? TAG_STRING_ASCII : TAG_JSON_ASCII;
  return item.tag;
}

function text(data: Buffer, start: number, end: number, ascii: boolean): string {
  const fast = data as FastBuffer;
  if (ascii && fast.latin1Slice) return fast.latin1Slice(start, end);
  if (fast.utf8Slice) return fast.utf8Slice(start, end);
  return data.toString(ascii ? "latin1" : "utf8", start, end);
}

/** Reads a payload written by `writePayload`. */
export function readPayload(tag: number, data: Buffer, view: DataView, offset: number, length: number): unknown {
  switch (tag) {
    case TAG_NUMBER:
      return view.getFloat64(offset, true);
    case TAG_STRING_ASCII:
      return text(data, offset, offset + length, true);
    case TAG_STRING:
      return text(data, offset, offset + length, false);
    case TAG_JSON_ASCII:
      return JSON.parse(text(data, offset, offset + length, true));
    case TAG_JSON:
      return JSON.parse(text(data, offset, offset + length, false));
    case TAG_CONST:
      return data[offset] === 2 ? null : data[offset] === 1;
    case TAG_V8:
      return deserialize(data.subarray(offset, offset + length));
    default:
      throw new Error(`corrupt queue record (tag ${tag}): was the queue's memory written by something else?`);
  }
}
