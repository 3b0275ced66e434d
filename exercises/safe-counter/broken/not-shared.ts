// expect-fail: [2] the count lives in a SharedArrayBuffer: new SafeCounter(c.buffer) is the same counter
// expect-fail: [2] a counter rebuilt from the buffer in a worker thread updates the same count
// expect-fail: [3] no update is lost when 4 workers call increment() at the same time
// expect-fail: [2] no update is lost when 4 workers call increment(3) at the same time
// The count is a plain field: right on one thread, but a worker gets a copy and its updates never come back.
export class SafeCounter {
  readonly buffer = new ArrayBuffer(4) as unknown as SharedArrayBuffer;
  private count = 0;
  constructor(_buffer?: SharedArrayBuffer) {}
  increment(by = 1): void {
    this.count += by;
  }
  get value(): number {
    return this.count;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
