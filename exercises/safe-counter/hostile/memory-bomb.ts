// expect: every test "error": allocates without bound (heap) when used
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array(1_000_000).fill(1));
  }
  increment(): void {}
  get value(): number {
    return 0;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
