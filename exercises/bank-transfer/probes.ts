// Probes of bank-transfer: run in the sandbox next to the submission; they only observe and return
// what they saw. The suite (trusted, another process) decides what is right. Contention runs in
// worker threads started behind a barrier (../_probe-lib/workers), each building `new Bank(buffer)`.
import { contend } from "../_probe-lib/workers";

interface BankLike {
  readonly buffer: unknown;
  transfer(from: number, to: number, amount: number): boolean;
  balance(account: number): number;
  total(): number;
}
type Sub = { Bank: new (accounts: number | SharedArrayBuffer, initial?: number) => BankLike };

function balances(bank: BankLike, n: number): number[] {
  return Array.from({ length: n }, (_, a) => bank.balance(a));
}

/** What a call did: its value, or the name of what it threw. */
function outcome(fn: () => unknown): { value?: unknown; threw?: string } {
  try {
    return { value: fn() };
  } catch (error) {
    return { threw: error instanceof Error ? error.name : typeof error };
  }
}

export function basics(sub: Sub) {
  const bank = new sub.Bank(3, 100);
  const start = { balances: balances(bank, 3), total: bank.total() };
  const moved = bank.transfer(0, 1, 30);
  const afterMove = balances(bank, 3);
  const overdraft = bank.transfer(0, 2, 500);
  const afterOverdraft = balances(bank, 3);
  const all = bank.transfer(0, 2, 70);
  const afterAll = balances(bank, 3);
  const fromEmpty = bank.transfer(0, 1, 1);
  const selfEnough = bank.transfer(1, 1, 130);
  const selfShort = bank.transfer(1, 1, 131);
  return {
    start,
    moved,
    afterMove,
    overdraft,
    afterOverdraft,
    all,
    afterAll,
    fromEmpty,
    selfEnough,
    selfShort,
    afterSelf: balances(bank, 3),
    total: bank.total(),
    defaultInitial: outcome(() => new sub.Bank(2).total()),
  };
}

export function badInput(sub: Sub) {
  const bank = new sub.Bank(3, 50);
  const calls: Record<string, () => unknown> = {
    "transfer(-1, 0, 5)": () => bank.transfer(-1, 0, 5),
    "transfer(0, 3, 5)": () => bank.transfer(0, 3, 5),
    "transfer(0.5, 1, 5)": () => bank.transfer(0.5, 1, 5),
    "transfer(NaN, 1, 5)": () => bank.transfer(NaN, 1, 5),
    "transfer(0, 1, 0)": () => bank.transfer(0, 1, 0),
    "transfer(0, 1, -5)": () => bank.transfer(0, 1, -5),
    "transfer(0, 1, 2.5)": () => bank.transfer(0, 1, 2.5),
    "transfer(0, 1, NaN)": () => bank.transfer(0, 1, NaN),
    "transfer(0, 1, Infinity)": () => bank.transfer(0, 1, Infinity),
    "balance(3)": () => bank.balance(3),
    "balance(-1)": () => bank.balance(-1),
  };
  const seen: Record<string, { value?: unknown; threw?: string }> = {};
  for (const [name, fn] of Object.entries(calls)) seen[name] = outcome(fn);
  return { seen, after: balances(bank, 3), total: bank.total() };
}

export function sameBank(sub: Sub) {
  const bank = new sub.Bank(2, 40);
  const isShared = bank.buffer instanceof SharedArrayBuffer;
  if (!isShared) return { isShared };
  bank.transfer(0, 1, 15);
  // Built after a transfer: it must see the bank as it is now, not a fresh one.
  const twin = new sub.Bank(bank.buffer as SharedArrayBuffer);
  const twinSees = balances(twin, 2);
  twin.transfer(1, 0, 5);
  return { isShared, twinSees, originalSees: balances(bank, 2), twinTotal: twin.total() };
}

const LOOP = `
    // Run for data.ms, and beyond it (up to 3 s) until this worker did 1000 rounds of 64 calls during
    // which another worker made progress too. Both loops being started is not enough: on a loaded
    // machine the workers may take turns on one core, and a race or a deadlock needs them to run at
    // the same moment, which only the other's progress during our round shows.
    const progress = new Int32Array(data.progress);
    const others = () => { let s = 0; for (let w = 0; w < progress.length; w++) if (w !== index) s += Atomics.load(progress, w); return s; };
    const end = Date.now() + data.ms;
    const hardEnd = Date.now() + 3000;
    let overlapped = 0;
    let calls = 0;
    while ((Date.now() < end || overlapped < 1000) && Date.now() < hardEnd) {
      const before = others();
      for (let k = 0; k < 64; k++, calls++) step();
      Atomics.add(progress, index, 1);
      if (others() !== before) overlapped += 1;
    }`;

const RANDOM = `
    let seed = 12345 + index * 7919;
    const rnd = (k) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % k;`;

/**
 * `workers` workers transfer on one bank for `ms` ms: "opposite" (worker i moves between accounts 0
 * and 1, even workers 0 -> 1, odd 1 -> 0) or "random" (pseudo-random pairs and amounts 1..maxAmount).
 */
export async function hammer(
  sub: Sub,
  args: {
    workers: number;
    accounts: number;
    initial: number;
    ms: number;
    mode: "opposite" | "random";
    maxAmount: number;
  },
  ctx: { workdir: string },
) {
  const bank = new sub.Bank(args.accounts, args.initial);
  const body = `
    const bank = new sub.Bank(data.buffer);
    ${RANDOM}
    let moved = 0;
    const step = () => {
      let from, to;
      if (data.mode === "opposite") { from = index % 2; to = 1 - from; }
      else { from = rnd(data.accounts); to = (from + 1 + rnd(data.accounts - 1)) % data.accounts; }
      if (bank.transfer(from, to, 1 + rnd(data.maxAmount))) moved++;
    };
    ${LOOP}
    return { calls, moved };`;
  const perWorker = (await contend({
    body,
    data: { ...args, buffer: bank.buffer, progress: new SharedArrayBuffer(4 * args.workers) },
    workers: args.workers,
    workdir: ctx.workdir,
  })) as Array<{ calls: number; moved: number }>;
  return { balances: balances(bank, args.accounts), total: bank.total(), perWorker };
}

/**
 * Small balances, big amounts: most transfers are refused and the accounts are often near 0. The
 * last worker only watches, reading every balance in a loop and keeping the lowest it saw.
 */
export async function drain(
  sub: Sub,
  args: { workers: number; accounts: number; initial: number; ms: number },
  ctx: { workdir: string },
) {
  const bank = new sub.Bank(args.accounts, args.initial);
  const body = `
    const bank = new sub.Bank(data.buffer);
    const n = data.accounts;
    const finished = new Int32Array(data.finished);
    if (index === data.workers - 1) {
      let lowest = Infinity, reads = 0;
      while (Atomics.load(finished, 0) < data.workers - 1) {
        for (let a = 0; a < n; a++) { lowest = Math.min(lowest, bank.balance(a)); reads++; }
      }
      return { lowest, reads };
    }
    ${RANDOM}
    let moved = 0;
    const step = () => {
      const from = rnd(n);
      const to = (from + 1 + rnd(n - 1)) % n;
      if (bank.transfer(from, to, 1 + rnd(data.initial))) moved++;
    };
    try {
      ${LOOP}
      return { calls, moved };
    } finally {
      Atomics.add(finished, 0, 1);
    }`;
  const results = (await contend({
    body,
    data: {
      ...args,
      buffer: bank.buffer,
      progress: new SharedArrayBuffer(4 * args.workers),
      finished: new SharedArrayBuffer(4),
    },
    workers: args.workers,
    workdir: ctx.workdir,
  })) as Array<{ lowest?: number; reads?: number; moved?: number }>;
  return { watcher: results[args.workers - 1]!, balances: balances(bank, args.accounts), total: bank.total() };
}

/** The last worker calls total() in a loop while the others transfer; it counts totals that were wrong. */
export async function audit(
  sub: Sub,
  args: { workers: number; accounts: number; initial: number; ms: number },
  ctx: { workdir: string },
) {
  const bank = new sub.Bank(args.accounts, args.initial);
  const body = `
    const bank = new sub.Bank(data.buffer);
    const n = data.accounts;
    const finished = new Int32Array(data.finished);
    if (index === data.workers - 1) {
      let audits = 0, wrong = 0, example;
      while (Atomics.load(finished, 0) < data.workers - 1) {
        const t = bank.total();
        audits++;
        if (t !== n * data.initial) { wrong++; example = t; }
      }
      return { audits, wrong, example };
    }
    ${RANDOM}
    const step = () => {
      const from = rnd(n);
      const to = (from + 1 + rnd(n - 1)) % n;
      bank.transfer(from, to, 1 + rnd(40));
    };
    try {
      ${LOOP}
      return { calls };
    } finally {
      Atomics.add(finished, 0, 1);
    }`;
  const results = (await contend({
    body,
    data: {
      ...args,
      buffer: bank.buffer,
      progress: new SharedArrayBuffer(4 * args.workers),
      finished: new SharedArrayBuffer(4),
    },
    workers: args.workers,
    workdir: ctx.workdir,
  })) as Array<{ audits?: number; wrong?: number; example?: number }>;
  return { auditor: results[args.workers - 1]!, total: bank.total() };
}

/** One worker rebuilds the bank from its buffer and moves 1 from account 0 to 1, `count` times. */
export async function inWorker(sub: Sub, args: { count: number }, ctx: { workdir: string }) {
  const bank = new sub.Bank(2, args.count);
  const body = `
    const bank = new sub.Bank(data.buffer);
    let moved = 0;
    for (let i = 0; i < data.count; i++) if (bank.transfer(0, 1, 1)) moved++;
    return moved;`;
  const [moved] = await contend({
    body,
    data: { buffer: bank.buffer, count: args.count },
    workers: 1,
    workdir: ctx.workdir,
  });
  return { moved, balances: balances(bank, 2) };
}
