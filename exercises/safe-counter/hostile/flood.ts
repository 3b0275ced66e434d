// expect: every test "timeout" or "error": floods stdout forever (stopped by the call limit, or by the memory limit when the output queues up); the report keeps only the first bytes
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {
    for (;;) console.log("PASS [3] no update is lost ".repeat(40));
  }
  increment(): void {}
  get value(): number {
    return 0;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
