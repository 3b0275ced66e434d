// A correct solution unlike the reference: a compare-and-swap loop on a Float64-free Int32 cell,
// with the count at offset 4 of a larger buffer.
class SafeCounter {
  readonly buffer: SharedArrayBuffer;
  private readonly view: Int32Array;
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(16);
    this.view = new Int32Array(this.buffer, 4, 1);
  }
  increment(by: number = 1): void {
    // Retry until no other thread changed the value between our read and our write.
    for (;;) {
      const old = Atomics.load(this.view, 0);
      if (Atomics.compareExchange(this.view, 0, old, old + by) === old) return;
    }
  }
  get value(): number {
    return Atomics.load(this.view, 0);
  }
}

export {};
