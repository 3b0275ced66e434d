/**
 * `Barrier`: `parties` threads wait until all have arrived, then all go on (Python's `threading.Barrier`).
 * The usual start line for a race demo: every worker waits, so they really run at the same time.
 *
 * One int32 holds the whole state, changed only by compare-exchange, so "arrive", "last one releases the
 * generation" and "break" can never interleave halfway: bits 0-14 arrivals in this generation, bit 15
 * broken, bits 16-30 the generation number (wrapping).
 */
import { BrokenBarrierError, HelperError, checkPositiveInt, checkTimeout, invalid } from "../errors";
import { type Handle, expectHandle, makeHandle, registerHandleKind } from "./handle";
import { assertMayBlock, onMainThread, deadlineAfter, remaining, waitAsync, waitSync } from "./wait";

const STATE = 0;
const PARTIES = 1;
const COUNT_MASK = 0x7fff;
const BROKEN = 0x8000;
const GEN_SHIFT = 16;
const GEN_MASK = 0x7fff;
let created = 0;

/** Options of `wait` / `waitAsync`. */
export interface BarrierWaitOptions {
  /** Break the barrier (for everyone) if it has not opened after this many milliseconds. @default Infinity */
  timeout?: number;
  /** Cancels the wait and breaks the barrier, like a timeout (async form only). */
  signal?: AbortSignal;
}

const countOf = (s: number) => s & COUNT_MASK;
const genOf = (s: number) => (s >>> GEN_SHIFT) & GEN_MASK;
const nextGen = (s: number) => (((genOf(s) + 1) & GEN_MASK) << GEN_SHIFT) | 0;

/**
 * A reusable barrier for `parties` threads.
 * @example
 * const start = new Barrier(4);
 * // in each of 4 workers:
 * start.wait();              // returns 0..3 (arrival order) once all four are here
 */
export class Barrier {
  /** A name for messages. */
  readonly name: string;
  /** The shared memory: state word, parties. */
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** @param parties how many threads must arrive, from 1 to 32767 */
  constructor(parties: number, options: { name?: string } = {}) {
    checkPositiveInt("parties", parties);
    if (parties > COUNT_MASK) invalid("parties", `an integer from 1 to ${COUNT_MASK}`, parties);
    this.name = options.name ?? `Barrier-${++created}`;
    this.buffer = new SharedArrayBuffer(8);
    this.i32 = new Int32Array(this.buffer);
    this.i32[PARTIES] = parties;
  }

  /** Rebuilds a barrier from its handle, in another worker: the same barrier. */
  static from(handle: Handle): Barrier {
    const h = expectHandle(handle, "Barrier");
    const b = Object.create(Barrier.prototype) as Barrier;
    Object.assign(b, { name: h.name ?? "Barrier", buffer: h.buffer, i32: new Int32Array(h.buffer) });
    return b;
  }

  /** The handle to pass to a worker. */
  get handle(): Handle {
    return makeHandle("Barrier", this.buffer, { name: this.name });
  }

  /** How many threads must arrive. */
  get parties(): number {
    return this.i32[PARTIES]!;
  }

  /** How many are waiting now (Python's `n_waiting`). */
  get nWaiting(): number {
    const s = Atomics.load(this.i32, STATE);
    return s & BROKEN ? 0 : countOf(s);
  }

  /** Whether the barrier is broken. */
  get broken(): boolean {
    return (Atomics.load(this.i32, STATE) & BROKEN) !== 0;
  }

  /**
   * Waits until all parties have arrived (workers). Throws `BrokenBarrierError` if the barrier is or becomes
   * broken, or after `timeout` ms (which breaks it for everyone, as in Python).
   * @returns this thread's arrival index, 0 to parties - 1
   */
  wait(options?: BarrierWaitOptions): number {
    const timeout = checkTimeout("timeout", options?.timeout);
    // Why check before arriving: a refusal after counting in would leave a phantom party inside.
    if (timeout > 0 && onMainThread) assertMayBlock(`barrier '${this.name}'.wait()`, "await barrier.waitAsync()");
    const arrival = this.arrive();
    if (arrival.released) return arrival.index;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (this.settled(s, arrival.state)) return arrival.index;
      if (remaining(deadline) <= 0) return this.giveUp(arrival, `a wait timed out after ${timeout} ms`);
      waitSync(this.i32, STATE, s, deadline);
    }
  }

  /** The async form of `wait`, for the main thread (which is then one of the parties). */
  async waitAsync(options?: BarrierWaitOptions): Promise<number> {
    const timeout = checkTimeout("timeout", options?.timeout);
    const arrival = this.arrive();
    if (arrival.released) return arrival.index;
    const deadline = deadlineAfter(timeout);
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (this.settled(s, arrival.state)) return arrival.index;
      if (remaining(deadline) <= 0) return this.giveUp(arrival, `a wait timed out after ${timeout} ms`);
      try {
        await waitAsync(this.i32, STATE, s, deadline, options?.signal);
      } catch (error) {
        return this.giveUp(arrival, "a wait was aborted", error);
      }
    }
  }

  /** Breaks the barrier: every waiter, and every later `wait`, throws `BrokenBarrierError` (until `reset`). */
  abort(): void {
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (s & BROKEN || Atomics.compareExchange(this.i32, STATE, s, s | BROKEN) === s) break;
    }
    Atomics.notify(this.i32, STATE);
  }

  /**
   * Returns a broken (or idle) barrier to its empty state. Threads still inside `wait` must have left first:
   * call `abort()`, let them see the error, then `reset()`.
   */
  reset(): void {
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (countOf(s) > 0) {
        throw new HelperError("ERR_BARRIER_BUSY", `barrier '${this.name}' cannot reset while ${countOf(s)} thread(s) are still inside wait(); abort() it first`);
      }
      if (Atomics.compareExchange(this.i32, STATE, s, nextGen(s)) === s) return;
    }
  }

  /** Counts this thread in; the last arrival opens the generation for everyone. */
  private arrive(): { index: number; state: number; released: boolean } {
    const parties = this.parties;
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (s & BROKEN) throw new BrokenBarrierError(this.name, "it was broken before this wait");
      const index = countOf(s);
      // Why one compare-exchange for "count + 1" and for "new generation, count 0": a thread of the next
      // generation arriving while this one opens must land in the next generation, never in this one.
      const next = index + 1 === parties ? nextGen(s) : s + 1;
      if (Atomics.compareExchange(this.i32, STATE, s, next) === s) {
        if (index + 1 === parties) {
          Atomics.notify(this.i32, STATE);
          return { index, state: s, released: true };
        }
        return { index, state: s, released: false };
      }
    }
  }

  /** Whether our generation has ended: true if it opened; throws if it broke. */
  private settled(s: number, arrived: number): boolean {
    if (genOf(s) !== genOf(arrived)) return true;
    if (s & BROKEN) {
      this.depart();
      throw new BrokenBarrierError(this.name, "another party timed out, was aborted, or abort() was called");
    }
    return false;
  }

  /** Breaks the barrier for everyone because our own wait ended early, unless it opened just now. */
  private giveUp(arrival: { index: number; state: number }, why: string, cause?: unknown): never | number {
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      // Why re-check the generation: it may have opened between our last look and the deadline.
      if (genOf(s) !== genOf(arrival.state)) return arrival.index;
      const next = (s | BROKEN) - 1; // broken, and we leave
      if (Atomics.compareExchange(this.i32, STATE, s, next) === s) {
        Atomics.notify(this.i32, STATE);
        const error = new BrokenBarrierError(this.name, why);
        if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
        throw error;
      }
    }
  }

  /** A waiter leaving a broken barrier: one fewer inside (so `reset` knows when all have gone). */
  private depart(): void {
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (Atomics.compareExchange(this.i32, STATE, s, s - 1) === s) return;
    }
  }
}

registerHandleKind("Barrier", { type: Barrier, from: Barrier.from });
