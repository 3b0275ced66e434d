// expect: every test "timeout": waits on a lock nobody releases (Atomics.wait on the main thread blocks forever)
class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8);
    this.cells = new Int32Array(this.buffer);
    Atomics.store(this.cells, 1, 1); // "locked", and never unlocked
  }
  increment(by = 1): void {
    while (Atomics.compareExchange(this.cells, 1, 0, 1) !== 0) Atomics.wait(this.cells, 1, 1);
    this.cells[0]! += by;
  }
  get value(): number {
    while (Atomics.compareExchange(this.cells, 1, 0, 1) !== 0) Atomics.wait(this.cells, 1, 1);
    return this.cells[0]!;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
