// @ts-check
// Preloaded into the embedded tslab kernel (node --require), and by the kernelspec that
// `tsnb kernel install` writes. The kernel runs in its own process group, so when its parent (tsnb, or
// a Jupyter server) dies without shutting it down (SIGKILL, a crash, a test runner's timeout) nothing
// would ever stop it: it would live on as an orphan. This watches for the parent going away (the
// kernel is re-parented, so process.ppid changes) and then kills the kernel's whole group, taking any
// child process a cell started with it (ipykernel's parent poller does the same for Python kernels).
// Polling once a second costs nothing measurable; the timer is unref'd so it never keeps a process up.
//
// Worker threads inherit --require from the kernel's execArgv: they share the kernel's process, so
// the main thread's watchdog covers them, and they skip it. A process a cell forks inherits it too:
// there the watchdog ends that child when the kernel dies (it is not a group leader, so it exits).
"use strict";
if (require("node:worker_threads").isMainThread) {
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
}
