/**
 * The sources of a pool's function targets, written once into shared memory that every pool thread can read, so a
 * task carries a number instead of the function's text. Why: a pool task is structured-cloned on every submit, and
 * a task object with the source text measured 42.8-43.8 µs per round trip against 38.4-39.8 µs for a plain array of
 * numbers (raw piscina, best of 7 rounds of 500): most of ThreadPool's overhead over piscina.
 *
 * Layout (int32): [0] bytes used, then records `[length][UTF-8 bytes, padded to 4]`; a source's id is its record's
 * int32 index. Only the thread that owns the pool writes; a record is complete before the task naming it is posted.
 * runtime/pool-runtime.cjs reads it (`sourceOf`).
 */

const USED = 0;
const FIRST = 1;
const encoder = new TextEncoder();

/** The main side: ids for sources, written on first use; `undefined` when the table is full. */
export class SourceTable {
  /** The shared memory, given to every pool thread (`workerData`). */
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #ids = new Map<string, number>();

  /** @param bytes the table's size; sources that no longer fit travel as text */
  constructor(bytes = 256 * 1024) {
    this.buffer = new SharedArrayBuffer(bytes);
    this.#i32 = new Int32Array(this.buffer);
    this.#bytes = new Uint8Array(this.buffer);
    this.#i32[USED] = FIRST * 4;
  }

  /** The id of `source`, writing it on first use; `undefined` when it does not fit. */
  idOf(source: string): number | undefined {
    const known = this.#ids.get(source);
    if (known !== undefined) return known;
    const encoded = encoder.encode(source);
    const at = this.#i32[USED]!;
    const end = at + 4 + ((encoded.length + 3) & ~3);
    if (end > this.buffer.byteLength) return undefined;
    this.#bytes.set(encoded, at + 4);
    // Why the length last, atomically: a reader trusts a record once its length is there.
    Atomics.store(this.#i32, at >> 2, encoded.length);
    this.#i32[USED] = end;
    const id = at >> 2;
    this.#ids.set(source, id);
    return id;
  }
}
