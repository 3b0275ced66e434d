/**
 * Worker side of argument transfer, loaded (through tsx) only when arguments hold handles: Timeline handles are
 * rebuilt here, every other kind by the sync engineer's `fromWire`. Also names this thread in the shared names
 * table, so a lock held by a pool thread is reported by name.
 */
import { setCurrentThreadName } from "../sync/identity";
import { HANDLE_KIND, isHandle } from "../sync/handle";
import { fromWire as syncFromWire } from "../sync/transfer";
import { currentThread } from "./current";
import { Timeline } from "../viz/timeline";

let named = false;

function timelines(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > 64) return value;
  if (isHandle(value)) return value[HANDLE_KIND] === "Timeline" ? Timeline.from(value) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = timelines(value[i], depth + 1);
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = timelines(record[key], depth + 1);
  return value;
}

/** Rebuilds the shared primitives inside `value` (which was structured-cloned: it is changed in place). */
export function fromWire(value: unknown): unknown {
  if (!named) {
    named = true;
    setCurrentThreadName(currentThread().name);
  }
  return syncFromWire(timelines(value, 0));
}
