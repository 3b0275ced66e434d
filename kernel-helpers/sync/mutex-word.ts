/**
 * The futex-style mutex word (Drepper, "Futexes are tricky", mutex 3) that `Lock` is built on, exported for
 * primitives that keep a lock inside their own shared memory and take it inline on their fast path
 * (`SharedQueue`'s put and get locks): the states, the one-CAS take, the release that notifies only when
 * someone sleeps, and the pause between spinning looks. Platform-free: `Atomics` on an `Int32Array`.
 */

/** Nobody holds the lock. */
export const FREE = 0;
/** Held, and nobody sleeps waiting for it: a release need not notify. */
export const HELD = 1;
/** Held, and a waiter may be asleep on the word: the release notifies one. */
export const CONTENDED = 2;

/** Takes the lock word at `i32[index]` if it is free (one compare-exchange); never waits. */
export function tryLockWord(i32: Int32Array, index: number): boolean {
  return Atomics.compareExchange(i32, index, FREE, HELD) === FREE;
}

/**
 * Releases the lock word at `i32[index]` and wakes one sleeper if the state said there may be one.
 * @returns the state before the release (`FREE` means it was not held: the caller reports that)
 */
export function unlockWord(i32: Int32Array, index: number): number {
  const previous = Atomics.exchange(i32, index, FREE);
  // Why only on CONTENDED: a waiter sets CONTENDED before it sleeps, so HELD proves nobody sleeps; a notify
  // costs a trip through V8's waiter list even with nobody there.
  if (previous === CONTENDED) Atomics.notify(i32, index, 1);
  return previous;
}

let _spinSink = 0; // written by the pause loop so the compiler keeps it

/**
 * Burns a few hundred nanoseconds between two looks at a contended word. Why pause between looks: each look
 * pulls the word's cache line away from the core that is using it; looking less often lets the holder (or the
 * producer writing the next record) finish many short steps on a line that stays in its cache.
 */
export function pause(iterations: number): void {
  for (let k = 0; k < iterations; k++) _spinSink ^= k;
}
