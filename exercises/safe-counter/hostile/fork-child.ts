// expect: every test "error": starts a child process at load (refused: only process-pool's sandbox may start children)
import { fork } from "node:child_process";
fork(__filename, ["escaped"]);
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {}
  increment(): void {}
  get value(): number {
    return 0;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
