// expect: every test "timeout": increment() never returns
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {}
  increment(): void {
    for (;;) {}
  }
  get value(): number {
    for (;;) {}
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
