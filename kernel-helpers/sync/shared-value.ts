/**
 * `SharedValue` and `SharedArray`: Python's `multiprocessing.Value` and `multiprocessing.Array` for threads:
 * a typed number (or typed array) in shared memory plus a `Lock` for compound updates. `value += 1` is a read
 * and a write, so two threads can interleave between them and lose an update: hold `.lock` around it.
 * (Processes share no memory in Node: between processes, send messages instead.)
 */
import { invalid } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { Lock } from "./mutex";

/** Element types, by name or by Python's `array` type code (`'i'` int32, `'d'` float64, ...). */
export type SharedType =
  | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64" | "bigint64" | "biguint64"
  | "b" | "B" | "h" | "H" | "i" | "I" | "f" | "d" | "q" | "Q";

type TypedArrayCtor = { new (buffer: SharedArrayBuffer, byteOffset?: number, length?: number): SharedTypedArray; readonly BYTES_PER_ELEMENT: number };

/** The typed array a `SharedArray` exposes. */
export type SharedTypedArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

const TYPES = {
  int8: ["int8", Int8Array], b: ["int8", Int8Array],
  uint8: ["uint8", Uint8Array], B: ["uint8", Uint8Array],
  int16: ["int16", Int16Array], h: ["int16", Int16Array],
  uint16: ["uint16", Uint16Array], H: ["uint16", Uint16Array],
  int32: ["int32", Int32Array], i: ["int32", Int32Array],
  uint32: ["uint32", Uint32Array], I: ["uint32", Uint32Array],
  float32: ["float32", Float32Array], f: ["float32", Float32Array],
  float64: ["float64", Float64Array], d: ["float64", Float64Array],
  bigint64: ["bigint64", BigInt64Array], q: ["bigint64", BigInt64Array],
  biguint64: ["biguint64", BigUint64Array], Q: ["biguint64", BigUint64Array],
} as unknown as Record<string, [string, TypedArrayCtor]>;

function resolveType(type: unknown): [string, TypedArrayCtor] {
  const found = typeof type === "string" ? TYPES[type] : undefined;
  if (!found) invalid("type", `one of ${Object.keys(TYPES).map((t) => JSON.stringify(t)).join(", ")}`, type);
  return found;
}

const isBig = (type: string) => type.startsWith("big");
let created = 0;

/**
 * One number in shared memory with a lock (Python's `multiprocessing.Value`).
 * @example
 * const total = new SharedValue("i", 0);               // like Value('i', 0)
 * total.lock.withLock(() => { total.value += 1; });    // in a worker: the lock makes += safe
 */
export class SharedValue {
  /** The element type's name, e.g. `int32`. */
  readonly type: string;
  /** The lock to hold around read-modify-write (Python's `get_lock()`). */
  readonly lock: Lock;
  /** The shared memory (one element). */
  readonly buffer: SharedArrayBuffer;
  private readonly view: SharedTypedArray;

  /**
   * @param type an element type, e.g. `"i"` / `"int32"`, `"d"` / `"float64"`
   * @param initial the starting value
   */
  constructor(type: SharedType, initial: number | bigint = 0, options: { name?: string } = {}) {
    const [name, Ctor] = resolveType(type);
    this.type = name;
    this.buffer = new SharedArrayBuffer(Ctor.BYTES_PER_ELEMENT);
    this.view = new Ctor(this.buffer);
    this.lock = new Lock({ name: options.name ?? `Value-${++created}` });
    this.value = initial;
  }

  /** Rebuilds a value (and its lock) from its handle, in another worker. */
  static from(handle: Handle): SharedValue {
    const h = expectHandle(handle, "SharedValue");
    const [name, Ctor] = resolveType(h.type);
    const v = Object.create(SharedValue.prototype) as SharedValue;
    Object.assign(v, { type: name, buffer: h.buffer, view: new Ctor(h.buffer), lock: Lock.from(h.lock as Handle) });
    return v;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("SharedValue", this.buffer, { type: this.type, lock: this.lock.handle });
  }

  /** The value. Each read or write is whole (never torn), but `value += 1` is two steps: hold `lock`. */
  get value(): number | bigint {
    return this.view[0]!;
  }

  set value(v: number | bigint) {
    if (isBig(this.type) !== (typeof v === "bigint")) invalid("value", isBig(this.type) ? "a bigint" : "a number", v);
    (this.view as unknown as Array<number | bigint>)[0] = v;
  }

  /** Python's `get_lock()`. */
  getLock(): Lock {
    return this.lock;
  }
}

/**
 * A typed array in shared memory with a lock (Python's `multiprocessing.Array`).
 * @example
 * const data = new SharedArray("i", [1, 2, 3]);        // like Array('i', range(...))
 * data.array[0] = 42;                                  // the typed view: every thread sees it
 * data.lock.withLock(() => { data.array[1]! += 1; });  // compound updates under the lock
 */
export class SharedArray {
  /** The element type's name, e.g. `int32`. */
  readonly type: string;
  /** The lock to hold around compound updates (Python's `get_lock()`). */
  readonly lock: Lock;
  /** The shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** The typed view over the shared memory: read and write it like an array. */
  readonly array: SharedTypedArray;

  /**
   * @param type an element type, e.g. `"i"` / `"int32"`, `"d"` / `"float64"`
   * @param lengthOrValues a length (zero-filled) or the initial values
   */
  constructor(type: SharedType, lengthOrValues: number | ArrayLike<number | bigint> | Iterable<number | bigint>, options: { name?: string } = {}) {
    const [name, Ctor] = resolveType(type);
    const values = typeof lengthOrValues === "number" ? undefined : Array.from(lengthOrValues as Iterable<number | bigint>);
    const length = values ? values.length : lengthOrValues;
    if (!Number.isInteger(length) || (length as number) < 0) invalid("lengthOrValues", "a length from 0 up or an array of values", lengthOrValues);
    this.type = name;
    this.buffer = new SharedArrayBuffer(Math.max(1, length as number) * Ctor.BYTES_PER_ELEMENT);
    this.array = new Ctor(this.buffer, 0, length as number);
    if (values) {
      values.forEach((v, i) => {
        if (isBig(name) !== (typeof v === "bigint")) invalid(`lengthOrValues[${i}]`, isBig(name) ? "a bigint" : "a number", v);
        (this.array as unknown as Array<number | bigint>)[i] = v;
      });
    }
    this.lock = new Lock({ name: options.name ?? `Array-${++created}` });
  }

  /** Rebuilds an array (and its lock) from its handle, in another worker. */
  static from(handle: Handle): SharedArray {
    const h = expectHandle(handle, "SharedArray");
    const [name, Ctor] = resolveType(h.type);
    const a = Object.create(SharedArray.prototype) as SharedArray;
    Object.assign(a, { type: name, buffer: h.buffer, array: new Ctor(h.buffer, 0, h.length as number), lock: Lock.from(h.lock as Handle) });
    return a;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("SharedArray", this.buffer, { type: this.type, length: this.array.length, lock: this.lock.handle });
  }

  /** The number of elements. */
  get length(): number {
    return this.array.length;
  }

  /** A plain-array copy (Python's `arr[:]`). */
  toArray(): Array<number | bigint> {
    return Array.from(this.array as ArrayLike<number | bigint>);
  }

  /** Python's `get_lock()`. */
  getLock(): Lock {
    return this.lock;
  }
}

registerHandleKind("SharedValue", { type: SharedValue, from: SharedValue.from });
registerHandleKind("SharedArray", { type: SharedArray, from: SharedArray.from });
