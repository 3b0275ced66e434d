/**
 * Handles: the plain, structured-cloneable description of a shared primitive that travels to a worker and is
 * rebuilt there (`Lock.from(lock.handle)`). `toWire`/`fromWire` (transfer.ts) do this for whole argument lists,
 * which is how `Thread`, `runInThread` and `ThreadPool` pass primitives.
 */
import { adoptNames, namesBuffer } from "./identity";

/** The key that marks a handle object, and names the primitive's kind. */
export const HANDLE_KIND = "__kernelHelpers";

/** A shared primitive's handle: `{ __kernelHelpers: "Lock", buffer, name, names, ... }`. */
export interface Handle {
  [HANDLE_KIND]: string;
  /** The primitive's shared memory. */
  buffer: SharedArrayBuffer;
  /** The primitive's name, for error messages. */
  name?: string;
  /** The thread-names table (identity.ts), so the receiver can name lock holders. */
  names?: SharedArrayBuffer;
  [key: string]: unknown;
}

/** Anything with a `handle` that a worker can rebuild. */
export interface Shareable {
  /** The structured-cloneable description of this primitive. */
  readonly handle: Handle;
}

/**
 * A kind of shared handle: which class it is, how the receiving thread rebuilds it, and what must travel beside
 * it. Each primitive registers its own kind (`registerHandleKind` at the end of its module), so the one walker in
 * transfer.ts knows every kind without importing any primitive.
 */
export interface HandleKind<T extends Shareable = Shareable> {
  /** The class whose instances travel as this kind (matched by their prototype's `constructor`). */
  readonly type: abstract new (...args: never[]) => T;
  /** Rebuilds the primitive from its handle in the receiving thread: the same shared memory. */
  from(handle: Handle): T;
  /**
   * Called when an instance is sent: pushes what must be transferred with the message (a `MessagePort`) and
   * may mark the sender's copy as moved. Without `transfer` (nowhere to put a port) it throws.
   */
  send?(value: T, handle: Handle, transfer: unknown[] | undefined): void;
}

const kindsByName = new Map<string, HandleKind>();
const kindsByType = new Map<unknown, HandleKind>();

/** Registers a kind of handle under its name (the `__kernelHelpers` value of its handles). */
export function registerHandleKind<T extends Shareable>(name: string, kind: HandleKind<T>): void {
  kindsByName.set(name, kind as unknown as HandleKind);
  kindsByType.set(kind.type, kind as unknown as HandleKind);
}

/** The registered kind of a value (an instance of a registered class), or undefined. */
export function kindOf(value: object): HandleKind | undefined {
  return kindsByType.get(Object.getPrototypeOf(value)?.constructor);
}

/** The registered kind of a handle's name, or undefined when its module was never loaded here. */
export function kindNamed(name: string): HandleKind | undefined {
  return kindsByName.get(name);
}

/** Makes a handle of a kind, with the names table attached. */
export function makeHandle(kind: string, buffer: SharedArrayBuffer, fields: Record<string, unknown> = {}): Handle {
  return { [HANDLE_KIND]: kind, buffer, names: namesBuffer(), ...fields };
}

/** Whether a value is a handle object. */
export function isHandle(value: unknown): value is Handle {
  return typeof value === "object" && value !== null && typeof (value as Record<string, unknown>)[HANDLE_KIND] === "string";
}

/** Checks a handle's kind (for `X.from(handle)`) and adopts the names table it carries. */
export function expectHandle(value: unknown, kind: string): Handle {
  if (!isHandle(value) || value[HANDLE_KIND] !== kind || !(value.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`Expected a ${kind} handle (from \`${lowerFirst(kind)}.handle\`), got ${describe(value)}`);
  }
  adoptNames(value.names);
  return value;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function describe(value: unknown): string {
  if (isHandle(value)) return `a ${value[HANDLE_KIND]} handle`;
  return value === null ? "null" : typeof value;
}
