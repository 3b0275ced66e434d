// Preloaded into the embedded tslab kernel (node --require). The kernel runs in its own process
// group, so when tsnb dies without shutting it down (SIGKILL, a crash, a test runner's timeout) nothing
// would ever stop it: it would live on as an orphan. This watches for the parent going away (the
// kernel is re-parented, so process.ppid changes) and then kills the kernel's whole group, taking any
// child process a cell started with it. Polling once a second costs nothing measurable.
"use strict";
const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  try {
    process.kill(-process.pid, "SIGKILL");
  } catch {
    process.exit(1);
  }
}, 1000);
timer.unref();
