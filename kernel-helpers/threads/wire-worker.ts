/**
 * Worker side of argument transfer, loaded only when arguments hold handles (from the esbuild bundle of this file,
 * runtime/bundle.ts, or through tsx): loads every kind of handle, rebuilds them with the one walker, and names this
 * thread in the shared names table, so a lock held by a pool thread is reported by name.
 */
import "../kinds";
import { setCurrentThreadName } from "../sync/identity";
import { fromWire as rebuild } from "../sync/transfer";
import { currentThread } from "./current";

let named = false;

/** Rebuilds the shared primitives inside `value` (which was structured-cloned: it is changed in place). */
export function fromWire(value: unknown): unknown {
  if (!named) {
    named = true;
    setCurrentThreadName(currentThread().name);
  }
  return rebuild(value);
}
