/**
 * Main side of argument transfer. The sync engineer's `sync/transfer.ts` replaces the shared-memory primitives
 * (Lock, Event, SharedQueue, Connection, ...) by handles, deep in arrays, plain objects, Maps and Sets, and collects
 * the MessagePorts that must be transferred; this adds the helpers' other shareable things (a `Timeline`: anything
 * else with a `handle`). runtime/wire.cjs and wire-worker.ts rebuild them in the worker.
 */
import type { TransferListItem } from "node:worker_threads";
import { isHandle } from "../sync/handle";
import { toWire as syncToWire } from "../sync/transfer";

const MAX_DEPTH = 64;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function handleOf(value: object): unknown {
  if (isPlainObject(value) || Array.isArray(value)) return undefined;
  try {
    return (value as { handle?: unknown }).handle;
  } catch {
    return undefined;
  }
}

function convert(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  const handle = handleOf(value);
  if (isHandle(handle)) return handle;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const converted = convert(item, depth + 1);
      if (converted !== item) (out ??= value.slice())[i] = converted;
    });
    return out ?? value;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const converted = convert(item, depth + 1);
    if (converted !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = converted;
  }
  return out ?? value;
}

/** What {@link toWire} returns. */
export interface Wired {
  /** The value with handles in place of shared primitives (the same object when there were none). */
  value: unknown;
  /** Whether any shared primitive was found: the worker then loads the primitives' code, otherwise nothing. */
  shared: boolean;
  /** MessagePorts to transfer with the value (a `Connection` of a `Pipe`). */
  transfer: TransferListItem[];
}

const NOTHING: TransferListItem[] = [];

/** Replaces shared primitives inside `value` by their handles; `value` itself is never modified. */
export function toWire(value: unknown): Wired {
  // Fast path: arguments that are all primitives (the common pool task) hold nothing to convert.
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return { value, shared: false, transfer: NOTHING };
  }
  const transfer: TransferListItem[] = [];
  const synced = syncToWire(value, transfer);
  const converted = convert(synced, 0);
  return { value: converted, shared: converted !== value, transfer };
}
