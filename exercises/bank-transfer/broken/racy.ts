// expect-fail: [3] no deadlock: 2 workers transfer between the same two accounts in opposite directions at once
// expect-fail: [3] money is never created or lost: 4 workers, random transfers among 5 accounts
// expect-fail: [3] total() never sees a transfer half done: a worker sums the bank while 3 others transfer
// No lock at all: right on one thread, but two workers updating one balance at once both read the
// old value and one update is lost: money is created or destroyed. (Each balance is read once and
// written as that value minus the amount, so it never goes below 0: only the lost updates show.)
class Bank {
  readonly buffer: SharedArrayBuffer;
  private readonly b: Int32Array;
  constructor(accounts: number | SharedArrayBuffer, initial = 0) {
    if (accounts instanceof SharedArrayBuffer) {
      this.buffer = accounts;
    } else {
      if (!Number.isInteger(accounts) || accounts < 1) throw new RangeError("accounts");
      if (!Number.isInteger(initial) || initial < 0) throw new RangeError("initial");
      this.buffer = new SharedArrayBuffer(4 * accounts);
      new Int32Array(this.buffer).fill(initial);
    }
    this.b = new Int32Array(this.buffer);
  }
  private check(a: number): void {
    if (!Number.isInteger(a) || a < 0 || a >= this.b.length) throw new RangeError(`account ${a}`);
  }
  transfer(from: number, to: number, amount: number): boolean {
    this.check(from);
    this.check(to);
    if (!Number.isInteger(amount) || amount < 1) throw new RangeError(`amount ${amount}`);
    const have = this.b[from]!;
    if (have < amount) return false;
    this.b[from] = have - amount;
    this.b[to] = this.b[to]! + amount;
    return true;
  }
  balance(a: number): number {
    this.check(a);
    return this.b[a]!;
  }
  total(): number {
    return this.b.reduce((s, x) => s + x, 0);
  }
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
