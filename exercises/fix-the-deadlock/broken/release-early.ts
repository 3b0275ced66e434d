// expect-fail: [2] each transfer is atomic: an auditor holding every account's lock never sees money missing or doubled
// "Fixed" by never holding two locks: take from, release it, then take to. No deadlock, the final
// total is right, but between the two steps the money is in neither account.
// The bank lives in shared memory: an Int32Array over a SharedArrayBuffer. With n accounts, slots
// 0..n-1 hold the balances and slots n..2n-1 the accounts' lock words (0 = free, 1 = held).

/** Take account `account`'s lock (blocks: call it from worker threads). Not reentrant. */
function acquire(bank: Int32Array, account: number): void {
  const slot = bank.length / 2 + account;
  // compareExchange takes the lock only if it is free; otherwise sleep until the holder's notify
  // (or 50 ms). A release between our failed compareExchange and the wait makes wait return at once.
  while (Atomics.compareExchange(bank, slot, 0, 1) !== 0) Atomics.wait(bank, slot, 1, 50);
}

/** Release account `account`'s lock and wake one waiting thread. */
function release(bank: Int32Array, account: number): void {
  const slot = bank.length / 2 + account;
  Atomics.store(bank, slot, 0);
  Atomics.notify(bank, slot, 1);
}

/**
 * Move `amount` from account `from` to account `to`, holding both accounts' locks, so no other
 * thread ever sees the money in neither account or in both. Returns false (and changes nothing)
 * when `from` cannot cover the amount. Safe from any number of worker threads at once.
 */
function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  if (from === to) return true; // the lock is not reentrant: taking it twice would wait forever
  acquire(bank, from);
  if (bank[from]! < amount) {
    release(bank, from);
    return false;
  }
  bank[from] = bank[from]! - amount;
  release(bank, from);
  acquire(bank, to);
  bank[to] = bank[to]! + amount;
  release(bank, to);
  return true;
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
