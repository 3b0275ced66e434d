// expect: every test "error": allocates without bound outside the V8 heap (Buffers), stopped by the memory watch
const hoard: Buffer[] = [];
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {
    for (;;) {
      hoard.push(Buffer.alloc(64 * 1024 * 1024, 1));
      if (hoard.length > 400) break; // 25 GB: never reached, the grader stops it long before
    }
  }
  increment(): void {}
  get value(): number {
    return 0;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
