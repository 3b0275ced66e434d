/**
 * `AtomicCounter`: an integer in shared memory changed only by atomic read-modify-write operations, so no
 * update is lost however many threads add at once (the fix for the lesson's lost-update race, without a lock).
 */
import { invalid } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";

let created = 0;

/**
 * A shared 32-bit signed counter (values wrap past ±2^31, like a C `int`).
 * @example
 * const hits = new AtomicCounter();
 * hits.increment();            // in any thread: one atomic add
 * hits.value;                  // the current count
 */
export class AtomicCounter {
  /** A name for messages. */
  readonly name: string;
  /** The shared memory: one int32. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param initial the starting value (an integer) */
  constructor(initial = 0, options: { name?: string } = {}) {
    if (!Number.isInteger(initial)) invalid("initial", "an integer", initial);
    this.name = options.name ?? `AtomicCounter-${++created}`;
    this.buffer = new SharedArrayBuffer(4);
    this.i32 = new Int32Array(this.buffer);
    this.i32[0] = initial;
  }

  /** Rebuilds a counter from its handle, in another worker: the same counter. */
  static from(handle: Handle): AtomicCounter {
    const h = expectHandle(handle, "AtomicCounter");
    const c = Object.create(AtomicCounter.prototype) as AtomicCounter;
    Object.assign(c, { name: h.name ?? "AtomicCounter", buffer: h.buffer, i32: new Int32Array(h.buffer) });
    return c;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("AtomicCounter", this.buffer, { name: this.name });
  }

  /** The current value. */
  get value(): number {
    return Atomics.load(this.i32, 0);
  }

  /** Overwrites the value (atomically; but `c.value = c.value + 1` is a race: use `increment`). */
  set value(v: number) {
    Atomics.store(this.i32, 0, v);
  }

  /** Adds `by` (default 1) atomically. @returns the new value */
  increment(by = 1): number {
    return Atomics.add(this.i32, 0, by) + by;
  }

  /** Subtracts `by` (default 1) atomically. @returns the new value */
  decrement(by = 1): number {
    return Atomics.sub(this.i32, 0, by) - by;
  }

  /** Adds `n` atomically. @returns the value before the add (like `Atomics.add`) */
  add(n: number): number {
    return Atomics.add(this.i32, 0, n);
  }

  /** Sets the value to `replacement` only if it equals `expected`. @returns whether it did */
  compareAndSet(expected: number, replacement: number): boolean {
    return Atomics.compareExchange(this.i32, 0, expected, replacement) === expected;
  }

  /** Prints as the value: `${counter}`. */
  toString(): string {
    return String(this.value);
  }
}

registerHandleKind("AtomicCounter", { type: AtomicCounter, from: AtomicCounter.from });
