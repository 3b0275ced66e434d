/**
 * A counter in shared memory: any number of worker threads can increment it at once and no update
 * is ever lost.
 */
class SafeCounter {
  /** The shared memory holding the count: pass it to another worker and build a SafeCounter on it there. */
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    // BEGIN SOLUTION
    this.buffer = buffer ?? new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.cells = new Int32Array(this.buffer);
    // END SOLUTION
  }

  /** Add `by` (default 1) to the count. */
  increment(by = 1): void {
    // BEGIN SOLUTION
    // Atomics.add is one indivisible read-modify-write: two workers adding at the same moment
    // cannot both read the old value and write back old + 1 (the lost update of `cells[0] += by`).
    Atomics.add(this.cells, 0, by);
    // END SOLUTION
  }

  /** The current count. */
  get value(): number {
    // BEGIN SOLUTION
    return Atomics.load(this.cells, 0);
    // END SOLUTION
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
