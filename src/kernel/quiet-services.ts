/**
 * `@jupyterlab/services` narrates its WebSocket life on the global console, written for a browser's
 * devtools: `console.debug("Starting WebSocket: ...")` (stdout in Node), `console.warn("Connection
 * lost, reconnecting in 0 seconds.")`, `console.debug("Kernel: dead (...)")`. In a CLI those lines
 * interleave with tsnb's own output, and the transport already reports what they mean (a lost server
 * ends the run with a message). While any server transport is alive, those lines, and only those,
 * are dropped.
 */
const NOISE = /^(Starting WebSocket: |Connection lost, reconnecting in |Kernel: \w+ \()/;

let holders = 0;
let original: { debug: typeof console.debug; warn: typeof console.warn } | undefined;

function filtered(write: (...args: unknown[]) => void): (...args: unknown[]) => void {
  return (...args) => {
    if (typeof args[0] === "string" && NOISE.test(args[0])) return;
    write(...args);
  };
}

/** Start dropping the library's connection chatter; call the returned function to stop (reference counted). */
export function quietServicesLogs(): () => void {
  if (holders++ === 0) {
    original = { debug: console.debug, warn: console.warn };
    console.debug = filtered(original.debug.bind(console));
    console.warn = filtered(original.warn.bind(console));
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0 && original) {
      console.debug = original.debug;
      console.warn = original.warn;
      original = undefined;
    }
  };
}
