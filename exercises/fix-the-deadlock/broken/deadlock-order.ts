// expect-fail: [2] one thread: moves the money, refuses an overdraft, and a transfer to the same account changes nothing
// expect-fail: [3] no deadlock: 2 workers transfer between the same two accounts in opposite directions for 300 ms
// expect-fail: [3] 4 workers, random transfers among 5 accounts: all finish, the total is kept, no balance below 0
// expect-fail: [2] each transfer is atomic: an auditor holding every account's lock never sees money missing or doubled
// The code the learner starts from: locks `from` then `to`. Two opposite transfers deadlock, and a
// transfer to the same account waits for a lock it already holds.
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
  acquire(bank, from);
  acquire(bank, to);
  try {
    if (bank[from]! < amount) return false;
    bank[from] = bank[from]! - amount;
    bank[to] = bank[to]! + amount;
    return true;
  } finally {
    release(bank, to);
    release(bank, from);
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
