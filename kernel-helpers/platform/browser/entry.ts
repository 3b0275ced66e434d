/**
 * The entry of helpers.js, the helpers' browser build: the public surface (`../kernel-helpers/index`) and the
 * worker runtimes a thread loads by file name, set on a global of the worker that loads it.
 */
import * as index from "../../index";
import * as wireWorker from "../../threads/wire-worker";

declare const require: (id: string) => unknown;

(globalThis as unknown as { __tsnbHelpers: unknown }).__tsnbHelpers = {
  index,
  wireWorker,
  runtimes: {
    "thread-runtime.cjs": () => require("../../runtime/thread-runtime.cjs"),
    "pool-runtime.cjs": () => require("../../runtime/pool-runtime.cjs"),
  },
};
