// Grading suite of fix-the-deadlock (run by `tsnb grade`): "[points] what is checked". A deadlock
// shows as a probe that never answers: the sandbox is stopped after a few seconds and the test fails.
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

test("[2] one thread: moves the money, refuses an overdraft, and a transfer to the same account changes nothing", async () => {
  const seen = await probe<Record<string, unknown>>("single", {}, { timeoutMs: 4000 });
  expect(seen["moved"], "transfer(bank, 0, 1, 30) with 100 in account 0").toBe(true);
  expect(seen["afterMove"]).toEqual([70, 130, 100]);
  expect(seen["overdraft"], "transfer(bank, 0, 2, 500) with only 70 in account 0 should return false").toBe(false);
  expect(seen["afterOverdraft"], "a refused transfer changes nothing").toEqual([70, 130, 100]);
  expect(seen["afterSelf"], "transfer(bank, 2, 2, 10) changes nothing").toEqual([70, 130, 100]);
  expect(seen["locks"], "every lock word is 0 (free) afterwards").toEqual([0, 0, 0]);
});

test("[3] no deadlock: 2 workers transfer between the same two accounts in opposite directions for 300 ms", async () => {
  const seen = await probe<{ balances: number[]; locks: number[] }>(
    "hammer",
    { workers: 2, accounts: 2, ms: 300, mode: "opposite" },
    { timeoutMs: 6000 },
  );
  expect(
    seen.balances.reduce((a, b) => a + b, 0),
    "the total money",
  ).toBe(2000);
  expect(seen.locks, "every lock word is 0 (free) at the end").toEqual([0, 0]);
});

test("[3] 4 workers, random transfers among 5 accounts: all finish, the total is kept, no balance below 0", async () => {
  const seen = await probe<{ balances: number[]; locks: number[] }>(
    "hammer",
    { workers: 4, accounts: 5, ms: 300, mode: "random" },
    { timeoutMs: 6000 },
  );
  expect(
    seen.balances.reduce((a, b) => a + b, 0),
    `the total money (balances ${JSON.stringify(seen.balances)})`,
  ).toBe(5000);
  expect(
    seen.balances.filter((b) => b < 0),
    "overdrawn accounts",
  ).toEqual([]);
  expect(seen.locks, "every lock word is 0 (free) at the end").toEqual([0, 0, 0, 0, 0]);
});

test("[2] each transfer is atomic: an auditor holding every account's lock never sees money missing or doubled", async () => {
  const seen = await probe<{ auditor: { audits: number; bad: number; example?: number } }>(
    "audit",
    { workers: 3, accounts: 4, ms: 400 },
    { timeoutMs: 8000 },
  );
  expect(seen.auditor.audits, "the auditor should have run while the transfers ran").toBeGreaterThan(0);
  expect(
    seen.auditor.bad,
    `audits that saw a total other than 4000 (e.g. ${seen.auditor.example}): hold both locks for the whole transfer`,
  ).toBe(0);
});
