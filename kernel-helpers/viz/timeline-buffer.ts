/**
 * The Timeline's storage: fixed-size records in a SharedArrayBuffer, so any worker holding the buffer appends
 * without messages or locks. A writer claims a slot with `Atomics.add` on the slot counter (two writers never get
 * the same slot), fills it, then publishes it with `Atomics.store` of READY; a reader skips slots not yet READY,
 * so it never sees a half-written record.
 */
const HEADER = 32; // Int32 [0] next slot, [1] capacity; Float64 at byte 8: origin (epoch ms)
const RECORD = 128; // Float64 start @0, end @8; Int32 state @16, flags @20; lane @24 (len + 39 bytes); label @64 (len + 63)
const LANE_AT = 24;
const LANE_MAX = 39;
const LABEL_AT = 64;
const LABEL_MAX = 63;
const READY = 1;

/** Flags of a record. */
export const FAILED = 1;
export const MARK = 2;

/** One record read back. */
export interface RawEvent {
  lane: string;
  label: string;
  start: number;
  end: number;
  flags: number;
}

/** Creates the buffer for `capacity` records. */
export function createTimelineBuffer(capacity: number, origin: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER + capacity * RECORD);
  const i32 = new Int32Array(buffer, 0, 2);
  i32[1] = capacity;
  new Float64Array(buffer, 8, 1)[0] = origin;
  return buffer;
}

/** The buffer's origin (epoch ms when the timeline was created). */
export function originOf(buffer: SharedArrayBuffer): number {
  return new Float64Array(buffer, 8, 1)[0] ?? 0;
}

function writeText(bytes: Uint8Array, at: number, max: number, text: string): void {
  const encoded = new TextEncoder().encode(text);
  let n = Math.min(encoded.length, max);
  // Why back off: cutting inside a UTF-8 sequence would leave an invalid tail.
  while (n > 0 && n < encoded.length && ((encoded[n] ?? 0) & 0xc0) === 0x80) n--;
  bytes[at] = n;
  bytes.set(encoded.subarray(0, n), at + 1);
}

function readText(bytes: Uint8Array, at: number): string {
  const n = bytes[at] ?? 0;
  // Why slice: TextDecoder refuses views of shared memory.
  return new TextDecoder().decode(bytes.slice(at + 1, at + 1 + n));
}

/** Appends a record; returns false when the buffer is full (the event is dropped and counted). */
export function appendEvent(buffer: SharedArrayBuffer, event: RawEvent): boolean {
  const header = new Int32Array(buffer, 0, 2);
  const capacity = header[1] ?? 0;
  const slot = Atomics.add(header, 0, 1);
  if (slot >= capacity) return false;
  const base = HEADER + slot * RECORD;
  const f64 = new Float64Array(buffer, base, 2);
  f64[0] = event.start;
  f64[1] = event.end;
  const bytes = new Uint8Array(buffer, base, RECORD);
  writeText(bytes, LANE_AT, LANE_MAX, event.lane);
  writeText(bytes, LABEL_AT, LABEL_MAX, event.label);
  const i32 = new Int32Array(buffer, base + 16, 2);
  i32[1] = event.flags;
  Atomics.store(i32, 0, READY);
  return true;
}

/** Every published record, and how many were dropped because the buffer was full. */
export function readEvents(buffer: SharedArrayBuffer): { events: RawEvent[]; dropped: number } {
  const header = new Int32Array(buffer, 0, 2);
  const capacity = header[1] ?? 0;
  const claimed = Atomics.load(header, 0);
  const events: RawEvent[] = [];
  for (let slot = 0; slot < Math.min(claimed, capacity); slot++) {
    const base = HEADER + slot * RECORD;
    const i32 = new Int32Array(buffer, base + 16, 2);
    if (Atomics.load(i32, 0) !== READY) continue;
    const f64 = new Float64Array(buffer, base, 2);
    const bytes = new Uint8Array(buffer, base, RECORD);
    events.push({
      start: f64[0] ?? 0,
      end: f64[1] ?? 0,
      flags: i32[1] ?? 0,
      lane: readText(bytes, LANE_AT),
      label: readText(bytes, LABEL_AT),
    });
  }
  return { events, dropped: Math.max(0, claimed - capacity) };
}

/** Forgets every record (only safe while nobody is writing). */
export function resetEvents(buffer: SharedArrayBuffer): void {
  const header = new Int32Array(buffer, 0, 2);
  const capacity = header[1] ?? 0;
  for (let slot = 0; slot < capacity; slot++) new Int32Array(buffer, HEADER + slot * RECORD + 16, 1)[0] = 0;
  Atomics.store(header, 0, 0);
}
