// A correct solution unlike the reference: per-account locks taken in call order, but the second
// one only if it is free; otherwise let go of the first and try again. A thread never waits while
// holding a lock, so no cycle of waiting threads can form, and no global order is needed.
// Balances in a Float64Array after the lock words.
class Bank {
  readonly buffer: SharedArrayBuffer;
  private readonly locks: Int32Array;
  private readonly money: Float64Array;
  private readonly count: number;

  constructor(accounts: number | SharedArrayBuffer, initial?: number) {
    if (accounts instanceof SharedArrayBuffer) {
      this.buffer = accounts;
      this.count = new Int32Array(accounts, 0, 1)[0]!;
    } else {
      const start = initial ?? 0;
      if (!Number.isSafeInteger(accounts) || accounts <= 0) throw new RangeError("need at least one account");
      if (!Number.isSafeInteger(start) || start < 0) throw new RangeError("initial must be a whole amount >= 0");
      this.count = accounts;
      this.buffer = new SharedArrayBuffer(8 + 8 * accounts + 8 * accounts);
      new Int32Array(this.buffer, 0, 1)[0] = accounts;
      new Float64Array(this.buffer, 8 + 4 * 2 * accounts, accounts).fill(start);
    }
    this.locks = new Int32Array(this.buffer, 8, this.count);
    this.money = new Float64Array(this.buffer, 8 + 8 * this.count, this.count);
  }

  private valid(a: number): void {
    if (typeof a !== "number" || !Number.isInteger(a) || a < 0 || a >= this.count)
      throw new RangeError(`account ${a}?`);
  }

  private take(a: number): void {
    while (Atomics.compareExchange(this.locks, a, 0, 1) !== 0) Atomics.wait(this.locks, a, 1, 20);
  }

  private tryTake(a: number): boolean {
    return Atomics.compareExchange(this.locks, a, 0, 1) === 0;
  }

  private give(a: number): void {
    Atomics.store(this.locks, a, 0);
    Atomics.notify(this.locks, a);
  }

  transfer(from: number, to: number, amount: number): boolean {
    this.valid(from);
    this.valid(to);
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0)
      throw new RangeError(`amount ${amount}?`);
    this.take(from);
    if (from !== to) {
      while (!this.tryTake(to)) {
        this.give(from); // whoever holds `to` may be waiting for `from`
        this.take(from);
      }
    }
    const ok = this.money[from]! >= amount;
    if (ok && from !== to) {
      this.money[from] = this.money[from]! - amount;
      this.money[to] = this.money[to]! + amount;
    }
    if (from !== to) this.give(to);
    this.give(from);
    return ok;
  }

  balance(account: number): number {
    this.valid(account);
    this.take(account);
    const b = this.money[account]!;
    this.give(account);
    return b;
  }

  total(): number {
    // Blocking on each lock in turn is safe here: the transfers never wait while holding a lock.
    for (let a = 0; a < this.count; a++) this.take(a);
    let sum = 0;
    for (let a = 0; a < this.count; a++) sum += this.money[a]!;
    for (let a = 0; a < this.count; a++) this.give(a);
    return sum;
  }
}

export {};
