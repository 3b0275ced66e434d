/**
 * A small `Buffer` for the browser runtime (a Uint8Array with Node's string methods): what the helpers'
 * shared-memory queue and the lessons use (`from`, `alloc`, `byteLength`, `concat`, `toString`, `write`).
 */
type Encoding = "utf8" | "utf-8" | "latin1" | "binary" | "ascii" | "hex" | "base64";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Buffer extends Uint8Array {
  static alloc(size: number, fill = 0): Buffer {
    return new Buffer(size).fill(fill) as Buffer;
  }

  static allocUnsafe(size: number): Buffer {
    return new Buffer(size);
  }

  static byteLength(value: string | ArrayBufferView | ArrayBuffer, encoding: Encoding = "utf8"): number {
    if (typeof value !== "string") return value.byteLength;
    if (encoding === "latin1" || encoding === "binary" || encoding === "ascii") return value.length;
    return encoder.encode(value).length;
  }

  static isBuffer(value: unknown): value is Buffer {
    return value instanceof Buffer;
  }

  static concat(list: Uint8Array[], total?: number): Buffer {
    const size = total ?? list.reduce((n, b) => n + b.length, 0);
    const out = new Buffer(size);
    let at = 0;
    for (const b of list) {
      out.set(b.subarray(0, Math.max(0, size - at)), at);
      at += b.length;
      if (at >= size) break;
    }
    return out;
  }

  override toString(encoding: Encoding = "utf8", start = 0, end = this.length): string {
    const part = this.subarray(start, end);
    switch (encoding) {
      case "latin1":
      case "binary":
      case "ascii": {
        let s = "";
        for (let i = 0; i < part.length; i += 8192) s += String.fromCharCode(...part.subarray(i, i + 8192));
        return s;
      }
      case "hex":
        return Array.from(part, (b) => b.toString(16).padStart(2, "0")).join("");
      case "base64":
        return btoa(new Buffer(part).toString("latin1"));
      default:
        // TextDecoder takes no view of shared memory: slice() copies it out first.
        return decoder.decode(part.slice());
    }
  }

  write(text: string, offset = 0, length = this.length - offset, encoding: Encoding = "utf8"): number {
    const target = this.subarray(offset, offset + length);
    if (encoding === "latin1" || encoding === "binary" || encoding === "ascii") {
      const n = Math.min(text.length, target.length);
      for (let i = 0; i < n; i++) target[i] = text.charCodeAt(i) & 0xff;
      return n;
    }
    // encodeInto takes no view of shared memory (the queue's ring is shared): encode, then copy.
    let bytes = encoder.encode(text);
    if (bytes.length > target.length) {
      let end = target.length;
      while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // never cut a character in two
      bytes = bytes.subarray(0, end);
    }
    target.set(bytes);
    return bytes.length;
  }

  equals(other: Uint8Array): boolean {
    return this.length === other.length && this.every((b, i) => b === other[i]);
  }

  toJSON(): { type: "Buffer"; data: number[] } {
    return { type: "Buffer", data: Array.from(this) };
  }
}

function from(value: unknown, offsetOrEncoding?: number | Encoding, length?: number): Buffer {
  if (typeof value === "string") {
    const encoding = (offsetOrEncoding as Encoding | undefined) ?? "utf8";
    if (encoding === "hex") return new Buffer((value.match(/../g) ?? []).map((h) => parseInt(h, 16)));
    if (encoding === "base64") return from(atob(value), "latin1");
    if (encoding === "latin1" || encoding === "binary" || encoding === "ascii") {
      const out = new Buffer(value.length);
      out.write(value, 0, value.length, "latin1");
      return out;
    }
    const bytes = encoder.encode(value);
    return new Buffer(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
    const offset = typeof offsetOrEncoding === "number" ? offsetOrEncoding : 0;
    return new Buffer(value as ArrayBuffer, offset, length ?? value.byteLength - offset);
  }
  if (ArrayBuffer.isView(value)) return new Buffer(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  return new Buffer(Array.from(value as ArrayLike<number>));
}
Object.defineProperty(Buffer, "from", { value: from, writable: true, configurable: true });
