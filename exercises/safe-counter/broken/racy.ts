// expect-fail: [3] no update is lost when 4 workers call increment() at the same time
// expect-fail: [2] no update is lost when 4 workers call increment(3) at the same time
// Shared memory but a plain read-then-write: two workers read the same old value and one update is lost.
export class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.cells = new Int32Array(this.buffer);
  }
  increment(by = 1): void {
    this.cells[0] = this.cells[0]! + by;
  }
  get value(): number {
    return this.cells[0]!;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
