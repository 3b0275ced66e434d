// Grading suite of bounded-queue (run by `tsnb grade`): "[points] what is checked".
import { expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

test("[1] a capacity below 1 throws a RangeError", async () => {
  const seen = await probe<{ zero: string; negative: string; one: string }>("capacities");
  expect(seen.zero, "new BoundedQueue(0) should throw a RangeError").toBe("RangeError");
  expect(seen.negative, "new BoundedQueue(-3) should throw a RangeError").toBe("RangeError");
  expect(seen.one, "new BoundedQueue(1) is a valid queue").toBe("ok");
});

test("[1] items come out in the order they went in; size counts them", async () => {
  const seen = await probe<{ got: number[]; sizeAfterPuts: number; sizeAfterGets: number }>("fifo");
  expect(seen.got, "put 1, 2, 3 then get three times (first in, first out)").toEqual([1, 2, 3]);
  expect(seen.sizeAfterPuts, "size after three puts").toBe(3);
  expect(seen.sizeAfterGets, "size after three puts and two gets").toBe(1);
});

test("[2] put() waits while the queue is full and goes on when get() frees a slot", async () => {
  const seen = await probe<Record<string, unknown>>("backpressure");
  expect(seen["waitedWhileFull"], "a put() on a full queue (capacity 2) should wait: no backpressure?").toBe(true);
  expect(seen["sizeWhileFull"], "size never goes above the capacity").toBe(2);
  expect(seen["first"]).toBe("a");
  expect(seen["thirdAfterGet"], "after one get(), the first waiting put() should complete").toBe(true);
  expect(seen["fourthAfterOneGet"], "one get() frees one slot: the second waiting put() should still wait").toBe(false);
  expect(seen["rest"], "waiting puts keep their order").toEqual(["b", "c", "d"]);
});

test("[2] get() waits while the queue is empty; waiting consumers are served in order", async () => {
  const seen = await probe<Record<string, unknown>>("waitsWhileEmpty");
  expect(seen["waitedWhileEmpty"], "get() on an empty queue should wait for a put()").toBe(true);
  expect([seen["first"], seen["second"]], "the first waiting get() gets the first item").toEqual(["x", "y"]);
  expect(seen["sizeAtEnd"], "items handed to waiting consumers are not left in the queue").toBe(0);
});

test("[2] after close(): put() rejects, get() drains what is left, then resolves undefined", async () => {
  const seen = await probe<Record<string, unknown>>("closing");
  expect(seen["putAfterClose"], "put() after close() should reject").toBe("rejected");
  expect(seen["drained"], "items queued before close() are still delivered, then undefined").toEqual([
    1,
    2,
    undefined,
    undefined,
  ]);
  expect(seen["waitingGot"], "a get() waiting on an empty queue should resolve undefined when it is closed").toBe(
    "undefined",
  );
});

test("[1] for await...of yields every item and ends when the queue is closed", async () => {
  const seen = await probe<{ seen: number[]; ended: string }>("iteration");
  expect(seen.seen).toEqual([1, 2, 3, 4, 5, 6]);
  expect(seen.ended, "the loop should end after close() and the last item").toBe("ended");
});

test("[1] 3 producers and 2 consumers at once: every item exactly once, each producer's order kept, size within capacity", async () => {
  const seen = await probe<{ received: string[][]; maxSize: number }>("stress", {
    producers: 3,
    consumers: 2,
    items: 200,
    capacity: 4,
  });
  const all = seen.received.flat();
  expect(all.length, "every item should be received once").toBe(600);
  expect(new Set(all).size, "no item should be received twice").toBe(600);
  for (const got of seen.received) {
    for (let p = 0; p < 3; p++) {
      const mine = got.filter((s) => s.startsWith(`${p}:`)).map((s) => Number(s.split(":")[1]));
      expect(mine, `producer ${p}'s items should reach a consumer in the order they were put`).toEqual(
        [...mine].sort((a, b) => a - b),
      );
    }
  }
  expect(seen.maxSize, "size should never exceed the capacity (4)").toBeLessThanOrEqual(4);
});
