// Grading suite of bank-transfer. Run by `tsnb grade` only (it needs the sandbox the grader prepares).
// Each test is named "[points] what is checked"; the submission runs in sandbox processes, never here.
// A deadlock shows as a probe that never answers: the sandbox is stopped after DEADLOCK_MS and the
// test fails as a timeout. Any correct locking scheme gets full marks, one lock for the whole bank
// included: the suite checks correctness under contention, never speed.
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

// Workers transfer for this long (and on until they overlapped with another, up to 3 s): two
// workers moving money in opposite directions with the locks taken in call order deadlock within
// a few milliseconds (measured: every run of 20), and an unlocked bank loses money in every run.
const MS = 300;
// Generous for a loaded machine (a correct bank answers in under a second), short enough that a
// deadlocked submission does not hold the grader for long.
const DEADLOCK_MS = 8000;

test("[2] one thread: balances, a transfer, a refused overdraft, an account emptied, a transfer to the same account", async () => {
  const seen = await probe<Record<string, unknown>>("basics", {}, { timeoutMs: 4000 });
  expect(seen["start"], "new Bank(3, 100): three accounts of 100, total 300").toEqual({
    balances: [100, 100, 100],
    total: 300,
  });
  expect(seen["moved"], "transfer(0, 1, 30) with 100 in account 0 returns true").toBe(true);
  expect(seen["afterMove"]).toEqual([70, 130, 100]);
  expect(seen["overdraft"], "transfer(0, 2, 500) with 70 in account 0 returns false").toBe(false);
  expect(seen["afterOverdraft"], "a refused transfer moves nothing").toEqual([70, 130, 100]);
  expect(seen["all"], "transfer(0, 2, 70) moves all of account 0's 70").toBe(true);
  expect(seen["afterAll"]).toEqual([0, 130, 170]);
  expect(seen["fromEmpty"], "transfer(0, 1, 1) from an empty account returns false").toBe(false);
  expect(seen["selfEnough"], "transfer(1, 1, 130): account 1 holds 130, so true (and nothing moves)").toBe(true);
  expect(seen["selfShort"], "transfer(1, 1, 131): account 1 holds only 130, so false").toBe(false);
  expect(seen["afterSelf"], "a transfer to the same account changes nothing").toEqual([0, 130, 170]);
  expect(seen["total"]).toBe(300);
  expect(seen["defaultInitial"], "new Bank(2) (no initial): total 0").toEqual({ value: 0 });
});

test("[1] a bad account or an amount that is not a positive integer throws RangeError and moves nothing", async () => {
  const seen = await probe<{ seen: Record<string, { value?: unknown; threw?: string }>; after: number[] }>(
    "badInput",
    {},
    { timeoutMs: 4000 },
  );
  for (const [call, result] of Object.entries(seen.seen))
    expect(result, `${call} on a bank of 3 accounts should throw a RangeError`).toEqual({ threw: "RangeError" });
  expect(seen.after, "after the refused calls every account still holds 50").toEqual([50, 50, 50]);
});

test("[2] the bank lives in its SharedArrayBuffer: new Bank(bank.buffer) is the same bank, here and in a worker", async () => {
  const seen = await probe<{ isShared: boolean; twinSees?: number[]; originalSees?: number[]; twinTotal?: number }>(
    "sameBank",
    {},
    { timeoutMs: 4000 },
  );
  expect(seen.isShared, "bank.buffer should be a SharedArrayBuffer (the memory workers share)").toBe(true);
  expect(seen.twinSees, "new Bank(bank.buffer), built after transfer(0, 1, 15), sees [25, 55]").toEqual([25, 55]);
  expect(seen.originalSees, "the twin's transfer(1, 0, 5) shows in the original: [30, 50]").toEqual([30, 50]);
  expect(seen.twinTotal).toBe(80);
  const worker = await probe<{ moved: number; balances: number[] }>("inWorker", { count: 500 }, { timeoutMs: 8000 });
  expect(worker.moved, "500 transfers of 1 from account 0 (holding 500) in a worker all succeed").toBe(500);
  expect(worker.balances, "the main thread sees the worker's transfers").toEqual([0, 1000]);
});

test("[3] no deadlock: 2 workers transfer between the same two accounts in opposite directions at once", async () => {
  const seen = await probe<{ balances: number[]; total: number }>(
    "hammer",
    { workers: 2, accounts: 2, initial: 1000, ms: MS, mode: "opposite", maxAmount: 3 },
    { timeoutMs: DEADLOCK_MS },
  );
  expect(
    seen.balances.reduce((a, b) => a + b, 0),
    `no money created or lost: balances ${seen.balances}`,
  ).toBe(2000);
  expect(seen.total, "total() afterwards").toBe(2000);
});

test("[3] money is never created or lost: 4 workers, random transfers among 5 accounts", async () => {
  const seen = await probe<{ balances: number[]; total: number }>(
    "hammer",
    { workers: 4, accounts: 5, initial: 1000, ms: MS, mode: "random", maxAmount: 40 },
    { timeoutMs: DEADLOCK_MS },
  );
  expect(
    seen.balances.reduce((a, b) => a + b, 0),
    `the sum of the balances ${seen.balances}`,
  ).toBe(5000);
  expect(seen.total, "total() afterwards").toBe(5000);
});

test("[3] no balance is ever negative: 3 workers drain small accounts while a 4th watches every balance", async () => {
  const seen = await probe<{ watcher: { lowest: number; reads: number }; balances: number[] }>(
    "drain",
    { workers: 4, accounts: 3, initial: 20, ms: MS },
    { timeoutMs: DEADLOCK_MS },
  );
  expect(seen.watcher.reads, "the watcher should have read balances while the transfers ran").toBeGreaterThan(0);
  expect(
    seen.watcher.lowest,
    "the lowest balance the watcher saw: check the balance and move the money under the same lock",
  ).toBeGreaterThanOrEqual(0);
  expect(
    seen.balances.filter((b) => b < 0),
    "balances below 0 at the end",
  ).toEqual([]);
});

test("[3] total() never sees a transfer half done: a worker sums the bank while 3 others transfer", async () => {
  const seen = await probe<{ auditor: { audits: number; wrong: number; example?: number }; total: number }>(
    "audit",
    { workers: 4, accounts: 4, initial: 1000, ms: MS },
    { timeoutMs: DEADLOCK_MS },
  );
  expect(seen.auditor.audits, "the auditor should have called total() while the transfers ran").toBeGreaterThan(0);
  expect(
    seen.auditor.wrong,
    `totals other than 4000 among ${seen.auditor.audits} calls (e.g. ${seen.auditor.example}): total() must hold off every transfer while it sums`,
  ).toBe(0);
  expect(seen.total).toBe(4000);
});
