// expect-fail: [2] one thread: balances, a transfer, a refused overdraft, an account emptied, a transfer to the same account
// No special case for a transfer to the same account: it takes that account's lock twice, and the
// lock is not reentrant, so transfer(a, a, x) waits for itself forever.
class Bank {
  /** The shared memory holding the bank: `new Bank(bank.buffer)` in another worker is the same bank. */
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;
  private readonly n: number;

  /**
   * `new Bank(n, initial)`: a new bank of `n` accounts holding `initial` each.
   * `new Bank(buffer)`: the bank that lives in `buffer` (made by another Bank), as it is now.
   */
  constructor(accounts: number | SharedArrayBuffer, initial = 0) {
    if (accounts instanceof SharedArrayBuffer) {
      this.buffer = accounts;
      this.slots = new Int32Array(accounts);
      this.n = Atomics.load(this.slots, 0);
      return;
    }
    if (!Number.isInteger(accounts) || accounts < 1)
      throw new RangeError(`accounts must be an integer >= 1, got ${accounts}`);
    if (!Number.isInteger(initial) || initial < 0 || accounts * initial > 2 ** 31 - 1)
      throw new RangeError(`initial must be an integer >= 0 (total below 2^31), got ${initial}`);
    this.n = accounts;
    this.buffer = new SharedArrayBuffer((1 + 2 * accounts) * Int32Array.BYTES_PER_ELEMENT);
    this.slots = new Int32Array(this.buffer);
    this.slots[0] = accounts;
    this.slots.fill(initial, 1, 1 + accounts);
  }

  /**
   * Move `amount` from account `from` to account `to`: true when `from` held at least `amount`,
   * false (and nothing moved) otherwise. RangeError for a bad account or an amount that is not a
   * positive integer. `transfer(a, a, x)` moves nothing and says whether `a` holds `x`.
   */
  transfer(from: number, to: number, amount: number): boolean {
    this.check(from);
    this.check(to);
    if (!Number.isInteger(amount) || amount < 1) throw new RangeError(`amount must be an integer >= 1, got ${amount}`);
    // Deadlock: worker A moving 0 -> 1 holds 0 and waits for 1 while worker B moving 1 -> 0 holds 1
    // and waits for 0. Every thread takes its locks in one global order (the lower account first),
    // so no cycle of waiting threads can form. total() takes them in the same order.
    const first = Math.min(from, to);
    const second = Math.max(from, to);
    this.lock(first);
    this.lock(second);
    try {
      // The check and the move under the same locks: checking first and locking after lets two
      // threads both see enough money and both take it (a negative balance).
      if (this.slots[1 + from]! < amount) return false;
      this.slots[1 + from] = this.slots[1 + from]! - amount;
      this.slots[1 + to] = this.slots[1 + to]! + amount;
      return true;
    } finally {
      this.unlock(second);
      this.unlock(first);
    }
  }

  /** The balance of account `account` (RangeError for a bad account). */
  balance(account: number): number {
    this.check(account);
    return Atomics.load(this.slots, 1 + account);
  }

  /** The sum of all balances, as of one moment: never a transfer half done. */
  total(): number {
    // Holding every account's lock (in the global order) freezes every transfer for the sum: a
    // transfer from an account already summed to one not yet summed would count its money twice.
    for (let a = 0; a < this.n; a++) this.lock(a);
    let sum = 0;
    for (let a = 0; a < this.n; a++) sum += this.slots[1 + a]!;
    for (let a = this.n - 1; a >= 0; a--) this.unlock(a);
    return sum;
  }

  private check(account: number): void {
    if (!Number.isInteger(account) || account < 0 || account >= this.n)
      throw new RangeError(`no account ${account}: accounts are 0 to ${this.n - 1}`);
  }

  private lock(account: number): void {
    const slot = 1 + this.n + account;
    // compareExchange takes the lock only if it is free; otherwise sleep until the holder's
    // notify. A release between our failed compareExchange and the wait makes wait return at once
    // (the word is no longer 1), so a wake-up is never lost.
    while (Atomics.compareExchange(this.slots, slot, 0, 1) !== 0) Atomics.wait(this.slots, slot, 1);
  }

  private unlock(account: number): void {
    const slot = 1 + this.n + account;
    Atomics.store(this.slots, slot, 0);
    Atomics.notify(this.slots, slot, 1);
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
