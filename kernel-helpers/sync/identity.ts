/**
 * Who is running: a small id per thread (worker `threadId` + 1, so 0 means "nobody") and a table of thread
 * names in shared memory, so a lock timeout in any thread can say which thread held the lock, by name.
 *
 * The table travels inside every handle (see `handle.ts`), so a worker that receives any shared primitive
 * also sees the names; `Thread` registers each worker's name with {@link registerThreadName}.
 */
import { isMainThread, threadId, workerData } from "node:worker_threads";

const SLOTS = 256;
const SLOT_BYTES = 48; // int32 owner id, one length byte, 43 bytes of UTF-8 name
const NAME_BYTES = SLOT_BYTES - 5;
const GLOBAL_KEY = Symbol.for("kernel-helpers.sync.names");
const WORKER_DATA_KEY = "__khNames";

interface NamesState {
  bytes: Uint8Array;
  /** True when this thread made the table itself: a table received from another thread replaces it. */
  local: boolean;
}

/** The id a primitive stores as its owner: this thread's `threadId` + 1 (the main thread is 1). */
export const ownerId: number = threadId + 1;

function state(): NamesState {
  // Why a global symbol: tsx or tslab may load this module twice (ESM and CJS copies); both must share a table.
  const g = globalThis as unknown as Record<symbol, NamesState | undefined>;
  let s = g[GLOBAL_KEY];
  if (!s) {
    const inherited = isMainThread ? undefined : (workerData as Record<string, unknown> | null | undefined)?.[WORKER_DATA_KEY];
    s =
      inherited instanceof SharedArrayBuffer && inherited.byteLength === SLOTS * SLOT_BYTES
        ? { bytes: new Uint8Array(inherited), local: false }
        : { bytes: new Uint8Array(new SharedArrayBuffer(SLOTS * SLOT_BYTES)), local: !isMainThread };
    g[GLOBAL_KEY] = s;
    if (isMainThread) writeName(s.bytes, 0, "main");
  }
  return s;
}

function writeName(names: Uint8Array, tid: number, name: string): void {
  const slot = (tid % SLOTS) * SLOT_BYTES;
  const encoded = new TextEncoder().encode(name).subarray(0, NAME_BYTES);
  // Why the id is written last: a reader checks it first, so it never pairs a new id with an old name
  // from a thread that used this slot before (ids wrap modulo the slot count).
  const view = new DataView(names.buffer, names.byteOffset + slot, SLOT_BYTES);
  view.setInt32(0, 0);
  names[slot + 4] = encoded.length;
  names.set(encoded, slot + 5);
  view.setInt32(0, tid + 1);
}

/** The shared names table (goes into every handle). */
export function namesBuffer(): SharedArrayBuffer {
  return state().bytes.buffer as SharedArrayBuffer;
}

/** The names table for a new worker's `workerData` (spread it in: `{ ...namesForWorker(), ... }`). */
export function namesForWorker(): Record<string, SharedArrayBuffer> {
  return { [WORKER_DATA_KEY]: namesBuffer() };
}

/** Adopts the names table that came with a handle, unless this thread already uses a shared one. */
export function adoptNames(buffer: unknown): void {
  const s = state();
  if (s.local && buffer instanceof SharedArrayBuffer && buffer.byteLength === SLOTS * SLOT_BYTES) {
    // Why copy our own entries across: this worker may have named itself before it received a handle.
    const mine = readName(s.bytes, threadId);
    s.bytes = new Uint8Array(buffer);
    s.local = false;
    if (mine) writeName(s.bytes, threadId, mine);
  }
}

/**
 * Records a thread's name, so errors can say `thread 3 ('worker-B')`. `Thread` calls it with the worker's
 * `threadId` right after creating it; a worker may call {@link setCurrentThreadName} for itself.
 */
export function registerThreadName(tid: number, name: string): void {
  writeName(state().bytes, tid, name);
}

/** Names the calling thread (in a worker: `setCurrentThreadName("consumer-1")`). */
export function setCurrentThreadName(name: string): void {
  writeName(state().bytes, threadId, name);
}

function readName(names: Uint8Array, tid: number): string {
  const slot = (tid % SLOTS) * SLOT_BYTES;
  const view = new DataView(names.buffer, names.byteOffset + slot, SLOT_BYTES);
  if (view.getInt32(0) !== tid + 1) return "";
  const length = names[slot + 4] ?? 0;
  // Why slice: TextDecoder refuses views of shared memory.
  return new TextDecoder().decode(names.slice(slot + 5, slot + 5 + Math.min(length, NAME_BYTES)));
}

/** Describes an owner id stored in a primitive: `the main thread`, `thread 2 ('worker-A')`, `thread 7` or `nobody`. */
export function describeOwner(id: number): string {
  if (id <= 0) return "nobody";
  const tid = id - 1;
  if (tid === 0) return "the main thread";
  const name = readName(state().bytes, tid);
  return name ? `thread ${tid} ('${name}')` : `thread ${tid}`;
}

/** This thread, described as {@link describeOwner} would. */
export function describeSelf(): string {
  return describeOwner(ownerId);
}
