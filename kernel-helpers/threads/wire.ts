/**
 * Main side of argument transfer for threads, processes and pools: the shared primitives inside the arguments
 * become handles (the one walker, sync/transfer.ts), with the MessagePorts to transfer, and a flag saying whether
 * the worker must load the primitives' code at all. runtime/wire.cjs and wire-worker.ts rebuild them in the worker.
 */
import type { TransferListItem } from "node:worker_threads";
import { toWire as walk } from "../sync/transfer";

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
  const converted = walk(value, transfer);
  return { value: converted, shared: converted !== value, transfer };
}
