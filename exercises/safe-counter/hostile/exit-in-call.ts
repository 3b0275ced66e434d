// expect: every test "error": exits the moment it is used
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {
    process.exit(0);
  }
  increment(): void {}
  get value(): number {
    return 0;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
