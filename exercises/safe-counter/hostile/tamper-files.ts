// expect: every test "error": tries to rewrite the probes and its own compiled code for the next test (read-only)
import { writeFileSync } from "node:fs";
import path from "node:path";
writeFileSync(
  path.join(__dirname, "probes.js"),
  "module.exports = { basics: () => ({ start: 0, afterOne: 1, afterSix: 6 }) };",
);

export {}; // makes this file a module for the type checker; not part of the notebook cell
