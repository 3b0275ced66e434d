/**
 * `Event`: a flag in shared memory that threads wait for (Python's `threading.Event`): `set` wakes every
 * waiter, `clear` lowers it again. The usual shutdown signal: `stop.set()` on the main thread, and workers
 * check `stop.isSet()` or wait on it.
 */
import { checkTimeout } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { assertMayBlock, awaiting, blocking, deadlineAfter, onMainThread, remaining, type WaitLoop } from "./wait";

const FLAG = 0;
const GENERATION = 1;
let created = 0;

/** Options of `wait` / `waitAsync`. */
export interface EventWaitOptions {
  /** Stop waiting after this many milliseconds and return false. @default Infinity */
  timeout?: number;
  /** Cancels an async wait with an `AbortError`. */
  signal?: AbortSignal;
}

/**
 * A shared flag: `wait()` returns once it is set.
 * @example
 * const ready = new Event();
 * ready.wait({ timeout: 1000 });   // in a worker: true once set, false after 1 s
 * ready.set();                     // on the main thread: wakes every waiter
 */
export class Event {
  /** A name for messages. */
  readonly name: string;
  /** The shared memory: the flag, then the generation (how many times `set` ran, wrapping). */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param options.name a name for messages */
  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? `Event-${++created}`;
    this.buffer = new SharedArrayBuffer(8);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Rebuilds an event from its handle, in another worker: the same event. */
  static from(handle: Handle): Event {
    const h = expectHandle(handle, "Event");
    const e = Object.create(Event.prototype) as Event;
    Object.assign(e, { name: h.name ?? "Event", buffer: h.buffer, i32: new Int32Array(h.buffer) });
    return e;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("Event", this.buffer, { name: this.name });
  }

  /** Whether the flag is set (Python's `is_set()`). */
  isSet(): boolean {
    return Atomics.load(this.i32, FLAG) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    // Why a generation and not the flag: waiters sleep on the generation and return once it moved, so a
    // `set(); clear()` that runs before a woken waiter looks still counts for it (CPython issue 13502). Why
    // the flag first: a waiter that reads the new generation and then the flag must find it set (or cleared
    // by a later `clear`, which is then a clear after its wait began).
    Atomics.store(this.i32, FLAG, 1);
    Atomics.add(this.i32, GENERATION, 1);
    Atomics.notify(this.i32, GENERATION);
  }

  /** Lowers the flag; later `wait` calls block until the next `set`. */
  clear(): void {
    Atomics.store(this.i32, FLAG, 0);
  }

  /** Blocks until the flag is set (workers). @returns the flag: false only when the timeout passed first */
  wait(options?: EventWaitOptions): boolean {
    const timeout = checkTimeout("timeout", options?.timeout);
    const generation = Atomics.load(this.i32, GENERATION);
    if (this.isSet()) return true;
    if (timeout > 0 && onMainThread) assertMayBlock(`event '${this.name}'.wait()`, "await event.waitAsync()");
    return blocking(this.untilSet(generation, timeout));
  }

  /** Awaits the flag without blocking the event loop. @returns the flag: false only when the timeout passed first */
  async waitAsync(options?: EventWaitOptions): Promise<boolean> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const generation = Atomics.load(this.i32, GENERATION);
    if (this.isSet()) return true;
    return awaiting(this.untilSet(generation, timeout), options?.signal);
  }

  /** The wait loop of `wait` and `waitAsync`: true once a `set` ran after `generation` was read. */
  private *untilSet(generation: number, timeout: number): WaitLoop<boolean> {
    const i32 = this.i32;
    const deadline = deadlineAfter(timeout);
    // Why sleep on the generation read before the flag: a `set` between our check and our sleep has moved it,
    // so the wait returns at once; and a `set` then `clear` while we sleep still ends our wait with true.
    while (Atomics.load(i32, GENERATION) === generation) {
      if (remaining(deadline) <= 0) return false;
      yield { i32, index: GENERATION, value: generation, deadline };
    }
    return true;
  }
}

registerHandleKind("Event", { type: Event, from: Event.from });
