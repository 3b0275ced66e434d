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
  // BEGIN SOLUTION
  if (from === to) return true; // the lock is not reentrant: taking it twice would wait forever
  // Deadlock: worker A holds `from` and waits for `to` while worker B, moving money the other
  // way, holds `to` and waits for `from`. Taking locks in one global order (lower account first)
  // makes that cycle impossible: whoever holds the lower lock can always get the higher one.
  const first = Math.min(from, to);
  const second = Math.max(from, to);
  acquire(bank, first);
  acquire(bank, second);
  try {
    if (bank[from]! < amount) return false;
    bank[from] = bank[from]! - amount;
    bank[to] = bank[to]! + amount;
    return true;
  } finally {
    release(bank, second);
    release(bank, first);
  }
  // END SOLUTION
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
