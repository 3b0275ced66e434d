// expect: every test "timeout": floods stdout forever; the report keeps only the first bytes
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
