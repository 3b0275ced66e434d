// expect: every test "failed" or "timeout": prints what looks like passing results, sends forged IPC, tries to signal its parent
import { createRequire } from "node:module";
console.log(
  JSON.stringify({ score: 10, maxScore: 10, tests: [{ name: "[3] no update is lost", status: "passed", score: 3 }] }),
);
console.log("✓ [3] no update is lost when 4 workers call increment() at the same time");
process.send?.({ type: "end", errors: [] });
process.send?.({
  type: "test",
  name: "[3] no update is lost when 4 workers call increment() at the same time",
  state: "passed",
  errors: [],
  durationMs: 1,
});
try {
  process.kill(process.ppid, "SIGKILL");
} catch {}
try {
  // vitest and expect live in another process: patching a copy here changes nothing there.
  const vitest = createRequire(__filename)("vitest") as { expect: unknown };
  (vitest as { expect: unknown }).expect = () => ({ toBe() {} });
} catch {}
class SafeCounter {
  buffer = new SharedArrayBuffer(4);
  constructor(_b?: SharedArrayBuffer) {}
  increment(): void {}
  get value(): number {
    return -1;
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
