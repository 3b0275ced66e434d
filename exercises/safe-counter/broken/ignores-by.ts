// expect-fail: [1] a new counter starts at 0; increment() adds 1 and increment(n) adds n
// expect-fail: [2] the count lives in a SharedArrayBuffer: new SafeCounter(c.buffer) is the same counter
// expect-fail: [2] no update is lost when 4 workers call increment(3) at the same time
// Atomic, but increment(n) adds 1 whatever n is.
export class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.cells = new Int32Array(this.buffer);
  }
  increment(_by = 1): void {
    Atomics.add(this.cells, 0, 1);
  }
  get value(): number {
    return Atomics.load(this.cells, 0);
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
