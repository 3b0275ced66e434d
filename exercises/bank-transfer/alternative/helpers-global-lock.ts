// A correct solution unlike the reference: one lock for the whole bank, the course helpers' Lock.
// A Lock's handle is plain data (its kind and its buffer), and the lock lives in the first 8 bytes
// of that buffer: here the bank's own buffer, so `new Bank(bank.buffer)` rebuilds the same lock.
// Simple and obviously deadlock-free; the price is that no two transfers ever run at once.
import { Lock } from "../../../kernel-helpers/index";

class Bank {
  readonly buffer: SharedArrayBuffer;
  private readonly lock: Lock;
  private readonly balances: Float64Array;

  constructor(accounts: number | SharedArrayBuffer, initial: number = 0) {
    if (typeof accounts === "number") {
      if (!(Number.isInteger(accounts) && accounts > 0)) throw new RangeError("accounts must be a positive integer");
      if (!(Number.isInteger(initial) && initial >= 0)) throw new RangeError("initial must be a non-negative integer");
      this.buffer = new SharedArrayBuffer(8 + 8 * accounts);
      new Float64Array(this.buffer, 8).fill(initial);
    } else {
      this.buffer = accounts;
    }
    this.lock = Lock.from({ __kernelHelpers: "Lock", buffer: this.buffer, name: "bank" });
    this.balances = new Float64Array(this.buffer, 8);
  }

  private account(a: number): number {
    if (!(Number.isInteger(a) && a >= 0 && a < this.balances.length)) throw new RangeError(`bad account ${a}`);
    return a;
  }

  transfer(from: number, to: number, amount: number): boolean {
    this.account(from);
    this.account(to);
    if (!(Number.isInteger(amount) && amount > 0)) throw new RangeError(`bad amount ${amount}`);
    return this.lock.withLock(() => {
      if (this.balances[from]! < amount) return false;
      this.balances[from]! -= amount;
      this.balances[to]! += amount;
      return true;
    });
  }

  balance(a: number): number {
    this.account(a);
    return this.lock.withLock(() => this.balances[a]!);
  }

  total(): number {
    return this.lock.withLock(() => this.balances.reduce((s, b) => s + b, 0));
  }
}

export {};
