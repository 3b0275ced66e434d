// A correct solution unlike the reference: take the first lock, try the second without waiting,
// and on failure release everything and retry (no lock order needed).
function acquire(bank: Int32Array, account: number): void {
  const slot = bank.length / 2 + account;
  while (Atomics.compareExchange(bank, slot, 0, 1) !== 0) Atomics.wait(bank, slot, 1, 50);
}

function release(bank: Int32Array, account: number): void {
  const slot = bank.length / 2 + account;
  Atomics.store(bank, slot, 0);
  Atomics.notify(bank, slot, 1);
}

function tryAcquire(bank: Int32Array, account: number): boolean {
  return Atomics.compareExchange(bank, bank.length / 2 + account, 0, 1) === 0;
}

function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  if (from === to) return bank[from]! >= amount;
  for (;;) {
    acquire(bank, from);
    if (tryAcquire(bank, to)) break;
    release(bank, from); // give way: whoever holds `to` may need `from`
  }
  const ok = bank[from]! >= amount;
  if (ok) {
    bank[from] = bank[from]! - amount;
    bank[to] = bank[to]! + amount;
  }
  release(bank, to);
  release(bank, from);
  return ok;
}

export {};
