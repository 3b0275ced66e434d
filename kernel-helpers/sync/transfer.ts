/**
 * Moving shared primitives between threads: the one walker. `toWire` replaces every shared primitive in a value
 * (deep in arrays, plain objects, Maps and Sets) with its structured-cloneable handle; `fromWire`, in the
 * receiving thread, rebuilds each handle into the same primitive over the same shared memory. `Thread`,
 * `runInThread`, `ThreadPool` and `Connection.send` call them on arguments and results.
 *
 * It knows no primitive: each registers its kind with `registerHandleKind` (handle.ts) when its module loads, so
 * this file imports nothing but the registry and primitives import it without a cycle. A receiver must have
 * loaded the kinds it may receive: `kernel-helpers/kinds.ts` loads them all (the worker bundle's entry does).
 */
import type { TransferListItem } from "node:worker_threads";
import { type Handle, HANDLE_KIND, isHandle, kindNamed, kindOf } from "./handle";

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Replaces shared primitives in `value` with handles, deep in arrays, plain objects, Maps and Sets; other
 * values are returned as they are (the same object when nothing inside changed; `value` is never modified).
 * @param transfer collects what must go in `postMessage`'s transfer list (a `Connection`'s MessagePort);
 *   pass it as the transfer list (`worker.postMessage(wire, transfer)`) or the post fails.
 */
export function toWire(value: unknown, transfer?: TransferListItem[]): unknown {
  return walkOut(value, transfer, new Map());
}

function walkOut(value: unknown, transfer: TransferListItem[] | undefined, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const kind = kindOf(value);
  if (kind) {
    const handle = (value as { handle: Handle }).handle;
    kind.send?.(value as never, handle, transfer);
    seen.set(value, handle);
    return handle;
  }
  // Containers: copied only when something inside changed (a shared value's copy, never the caller's object).
  let out: unknown[] | Map<unknown, unknown> | Set<unknown> | Record<string, unknown>;
  let changed = false;
  if (Array.isArray(value)) {
    const copy: unknown[] = (out = []);
    seen.set(value, copy);
    for (const item of value) {
      const w = walkOut(item, transfer, seen);
      changed ||= w !== item;
      copy.push(w);
    }
  } else if (value instanceof Map) {
    const copy = (out = new Map<unknown, unknown>());
    seen.set(value, copy);
    for (const [k, v] of value) {
      const wk = walkOut(k, transfer, seen);
      const wv = walkOut(v, transfer, seen);
      changed ||= wk !== k || wv !== v;
      copy.set(wk, wv);
    }
  } else if (value instanceof Set) {
    const copy = (out = new Set<unknown>());
    seen.set(value, copy);
    for (const item of value) {
      const w = walkOut(item, transfer, seen);
      changed ||= w !== item;
      copy.add(w);
    }
  } else if (isPlainObject(value)) {
    const copy: Record<string, unknown> = (out = {});
    seen.set(value, copy);
    for (const key of Object.keys(value)) {
      const w = walkOut(value[key], transfer, seen);
      changed ||= w !== value[key];
      copy[key] = w;
    }
  } else {
    return value;
  }
  if (!changed) seen.set(value, value);
  return changed ? out : value;
}

/**
 * Rebuilds the shared primitives in a value received from another thread (the inverse of `toWire`). The value
 * was structured-cloned, so it is changed in place.
 */
export function fromWire(value: unknown): unknown {
  return walkIn(value, new Map());
}

function walkIn(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (isHandle(value)) {
    const kind = kindNamed(value[HANDLE_KIND]);
    if (!kind) {
      throw new TypeError(`fromWire: unknown shared primitive kind '${value[HANDLE_KIND]}' (is its module loaded in this thread? kernel-helpers/kinds.ts loads every kind)`);
    }
    const built = kind.from(value);
    seen.set(value, built);
    return built;
  }
  seen.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walkIn(value[i], seen);
  } else if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [walkIn(k, seen), walkIn(v, seen)] as const);
    value.clear();
    for (const [k, v] of entries) value.set(k, v);
  } else if (value instanceof Set) {
    const items = [...value].map((v) => walkIn(v, seen));
    value.clear();
    for (const v of items) value.add(v);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = walkIn(value[key], seen);
  }
  return value;
}
