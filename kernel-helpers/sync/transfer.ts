/**
 * Moving shared primitives between threads. `toWire` replaces every shared primitive in a value (deep in
 * arrays, plain objects, Maps and Sets) with its structured-cloneable handle; `fromWire`, in the receiving
 * worker, rebuilds each handle into the same primitive over the same shared memory. `Thread`, `runInThread`,
 * `ThreadPool` and `Connection.send` call them on arguments and results.
 *
 * Kept cheap to load in a worker: it imports only the small primitive modules (and node:v8 through SharedQueue).
 */
import type { TransferListItem } from "node:worker_threads";
import { Connection } from "../queues/pipe";
import { SharedQueue } from "../queues/shared-queue";
import { Barrier } from "./barrier";
import { Condition } from "./condition";
import { AtomicCounter } from "./counter";
import { Event } from "./event";
import { type Handle, HANDLE_KIND, isHandle } from "./handle";
import { Lock } from "./mutex";
import { RLock } from "./rlock";
import { Semaphore } from "./semaphore";
import { SharedArray, SharedValue } from "./shared-value";

type Rebuild = (handle: Handle) => unknown;

// Why a function and not a constant table: transfer.ts and queues/pipe.ts import each other, and a table
// built at load time could see a class that is not yet defined (CommonJS cycles, as tslab compiles them).
function kinds(): Record<string, Rebuild> {
  return {
    Lock: Lock.from,
    RLock: RLock.from,
    Semaphore: Semaphore.from,
    Event: Event.from,
    Condition: Condition.from,
    Barrier: Barrier.from,
    AtomicCounter: AtomicCounter.from,
    SharedValue: SharedValue.from,
    SharedArray: SharedArray.from,
    SharedQueue: SharedQueue.from,
    Connection: Connection.from,
  };
}

function isShared(value: object): value is { handle: Handle } {
  return (
    value instanceof Lock || value instanceof RLock || value instanceof Semaphore || value instanceof Event ||
    value instanceof Condition || value instanceof Barrier || value instanceof AtomicCounter ||
    value instanceof SharedValue || value instanceof SharedArray || value instanceof SharedQueue || value instanceof Connection
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Replaces shared primitives in `value` with handles, deep in arrays, plain objects, Maps and Sets; other
 * values are returned as they are (the same object when nothing inside changed).
 * @param transfer collects what must go in `postMessage`'s transfer list (a `Connection`'s MessagePort);
 *   pass it as the transfer list (`worker.postMessage(wire, transfer)`) or the post fails.
 */
export function toWire(value: unknown, transfer?: TransferListItem[]): unknown {
  return walkOut(value, transfer, new Map());
}

function walkOut(value: unknown, transfer: TransferListItem[] | undefined, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (isShared(value)) {
    const handle = value.handle;
    if (value instanceof Connection) {
      // Why mark it moved: the port is transferred, so this copy can no longer send or receive; a clear
      // error beats messages that vanish silently.
      if (!transfer) throw new TypeError("toWire: a Connection needs a transfer list (toWire(value, transfer)) for its MessagePort");
      transfer.push(handle.port as TransferListItem);
      value.markMoved();
    }
    seen.set(value, handle);
    return handle;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    let changed = false;
    for (const item of value) {
      const w = walkOut(item, transfer, seen);
      changed ||= w !== item;
      out.push(w);
    }
    if (!changed) seen.set(value, value);
    return changed ? out : value;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    seen.set(value, out);
    let changed = false;
    for (const [k, v] of value) {
      const wk = walkOut(k, transfer, seen);
      const wv = walkOut(v, transfer, seen);
      changed ||= wk !== k || wv !== v;
      out.set(wk, wv);
    }
    if (!changed) seen.set(value, value);
    return changed ? out : value;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    seen.set(value, out);
    let changed = false;
    for (const item of value) {
      const w = walkOut(item, transfer, seen);
      changed ||= w !== item;
      out.add(w);
    }
    if (!changed) seen.set(value, value);
    return changed ? out : value;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    let changed = false;
    for (const key of Object.keys(value)) {
      const w = walkOut(value[key], transfer, seen);
      changed ||= w !== value[key];
      out[key] = w;
    }
    if (!changed) seen.set(value, value);
    return changed ? out : value;
  }
  return value;
}

/** Rebuilds the shared primitives in a value received from another thread (the inverse of `toWire`). */
export function fromWire(value: unknown): unknown {
  return walkIn(value, kinds(), new Map());
}

function walkIn(value: unknown, table: Record<string, Rebuild>, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (isHandle(value)) {
    const rebuild = table[value[HANDLE_KIND]];
    if (!rebuild) throw new TypeError(`fromWire: unknown shared primitive kind '${value[HANDLE_KIND]}'`);
    const built = rebuild(value);
    seen.set(value, built);
    return built;
  }
  if (Array.isArray(value)) {
    seen.set(value, value);
    for (let i = 0; i < value.length; i++) value[i] = walkIn(value[i], table, seen);
    return value;
  }
  if (value instanceof Map) {
    seen.set(value, value);
    const entries = [...value].map(([k, v]) => [walkIn(k, table, seen), walkIn(v, table, seen)] as const);
    value.clear();
    for (const [k, v] of entries) value.set(k, v);
    return value;
  }
  if (value instanceof Set) {
    seen.set(value, value);
    const items = [...value].map((v) => walkIn(v, table, seen));
    value.clear();
    for (const v of items) value.add(v);
    return value;
  }
  if (isPlainObject(value)) {
    seen.set(value, value);
    for (const key of Object.keys(value)) value[key] = walkIn(value[key], table, seen);
    return value;
  }
  return value;
}
