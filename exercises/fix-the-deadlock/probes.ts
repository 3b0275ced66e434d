// Probes of fix-the-deadlock: workers (started together behind a barrier) call the submission's
// transfer on one shared bank; the probe reports balances, lock words and what an auditor saw.
import { contend } from "../_probe-lib/workers";

type Sub = { transfer(bank: Int32Array, from: number, to: number, amount: number): boolean };

function newBank(accounts: number, balance: number): Int32Array {
  const bank = new Int32Array(new SharedArrayBuffer(accounts * 2 * 4));
  bank.fill(balance, 0, accounts);
  return bank;
}

export function single(sub: Sub) {
  const bank = newBank(3, 100);
  const moved = sub.transfer(bank, 0, 1, 30);
  const afterMove = Array.from(bank.subarray(0, 3));
  const overdraft = sub.transfer(bank, 0, 2, 500);
  const afterOverdraft = Array.from(bank.subarray(0, 3));
  sub.transfer(bank, 2, 2, 10);
  return {
    moved,
    afterMove,
    overdraft,
    afterOverdraft,
    afterSelf: Array.from(bank.subarray(0, 3)),
    locks: Array.from(bank.subarray(3)),
  };
}

/**
 * Each worker transfers for `ms` milliseconds: "opposite" (worker i: 0 -> 1 or 1 -> 0) or
 * pseudo-random pairs. For a time, not a count: on 2 busy cores a fixed count sometimes finished
 * before the other worker ran at all, and the deadlock it should provoke never happened.
 */
export async function hammer(
  _sub: Sub,
  args: { workers: number; accounts: number; ms: number; mode: "opposite" | "random" },
  ctx: { workdir: string },
) {
  const bank = newBank(args.accounts, 1000);
  const body = `
    const bank = new Int32Array(data.buffer);
    let seed = 12345 + index * 7919;
    const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    let ok = 0;
    const end = Date.now() + data.ms;
    for (let i = 0; (i & 127) !== 0 || Date.now() < end; i++) {
      let from, to;
      if (data.mode === "opposite") { from = index % 2; to = 1 - from; }
      else { from = rnd(data.accounts); to = (from + 1 + rnd(data.accounts - 1)) % data.accounts; }
      if (sub.transfer(bank, from, to, 1 + rnd(data.mode === "opposite" ? 3 : 40))) ok++;
    }
    return ok;`;
  const done = await contend({
    body,
    data: { buffer: bank.buffer, ms: args.ms, accounts: args.accounts, mode: args.mode },
    workers: args.workers,
    workdir: ctx.workdir,
  });
  return {
    balances: Array.from(bank.subarray(0, args.accounts)),
    locks: Array.from(bank.subarray(args.accounts)),
    succeeded: done,
  };
}

/** Worker 0 audits (locks every account in ascending order, sums, unlocks) while the others transfer. */
export async function audit(
  _sub: Sub,
  args: { workers: number; accounts: number; ms: number },
  ctx: { workdir: string },
) {
  const bank = newBank(args.accounts, 1000);
  const finished = new Int32Array(new SharedArrayBuffer(4));
  const body = `
    const bank = new Int32Array(data.buffer);
    const finished = new Int32Array(data.finished);
    const n = data.accounts;
    if (index === 0) {
      const take = (a) => { while (Atomics.compareExchange(bank, n + a, 0, 1) !== 0) Atomics.wait(bank, n + a, 1, 50); };
      const drop = (a) => { Atomics.store(bank, n + a, 0); Atomics.notify(bank, n + a, 1); };
      let audits = 0, bad = 0, example;
      while (Atomics.load(finished, 0) < data.workers - 1) {
        for (let a = 0; a < n; a++) take(a);
        let total = 0;
        for (let a = 0; a < n; a++) total += bank[a];
        for (let a = n - 1; a >= 0; a--) drop(a);
        audits++;
        if (total !== n * 1000) { bad++; example = total; }
      }
      return { audits, bad, example };
    }
    let seed = 777 + index * 104729;
    const rnd = (k) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % k;
    const end = Date.now() + data.ms;
    for (let i = 0; (i & 127) !== 0 || Date.now() < end; i++) {
      const from = rnd(n);
      const to = (from + 1 + rnd(n - 1)) % n;
      sub.transfer(bank, from, to, 1 + rnd(40));
    }
    Atomics.add(finished, 0, 1);
    return null;`;
  const results = await contend({
    body,
    data: {
      buffer: bank.buffer,
      finished: finished.buffer,
      ms: args.ms,
      accounts: args.accounts,
      workers: args.workers,
    },
    workers: args.workers,
    workdir: ctx.workdir,
  });
  return { auditor: results[0], balances: Array.from(bank.subarray(0, args.accounts)) };
}
