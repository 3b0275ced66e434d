/**
 * How values travel: the one registry of handle kinds (each primitive registers itself), the one walker
 * (sync/transfer.ts), and the one message protocol (protocol.ts) as the runtimes and the main side use it.
 */
import type { TransferListItem } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import * as helpers from "../../kernel-helpers/index.ts";
import { AtomicCounter, Lock, Pipe, SharedArray, Thread, ThreadPool, Timeline, runInThread } from "../../kernel-helpers/index.ts";
import { SourceTable } from "../../kernel-helpers/pools/source-table.ts";
import { isFromRuntime, isResult } from "../../kernel-helpers/protocol.ts";
import { HANDLE_KIND, isHandle, kindNamed, kindOf } from "../../kernel-helpers/sync/handle.ts";
import { fromWire, toWire } from "../../kernel-helpers/sync/transfer.ts";

/** One instance of every class `index.ts` exports whose instances have a `handle`. */
function samples(): object[] {
  const [a] = helpers.Pipe();
  return [
    new helpers.Lock(),
    new helpers.RLock(),
    new helpers.Semaphore(2),
    new helpers.Event(),
    new helpers.Condition(),
    new helpers.Barrier(2),
    new helpers.AtomicCounter(3),
    new helpers.SharedValue("i", 4),
    new helpers.SharedArray("d", [1, 2]),
    new helpers.SharedQueue(),
    a,
    new helpers.Timeline(),
  ];
}

describe("the registry of handle kinds", () => {
  it("knows every shareable class of the public surface, by its class and by its handle's name", () => {
    for (const value of samples()) {
      const kind = kindOf(value);
      expect(kind, value.constructor.name).toBeDefined();
      const handle = (value as { handle: unknown }).handle;
      expect(isHandle(handle)).toBe(true);
      if (isHandle(handle)) expect(kindNamed(handle[HANDLE_KIND])).toBe(kind);
    }
    expect(kindOf({})).toBeUndefined();
    expect(kindOf(new Map())).toBeUndefined();
  });

  it("one walker: handles deep in arrays, objects, Maps and Sets; containers copied only when they changed", () => {
    const lock = new Lock({ name: "deep" });
    const counter = new AtomicCounter(7);
    const untouched = { a: [1, 2, { b: "c" }] };
    const value = { list: [lock, { counter }], map: new Map([["k", lock]]), set: new Set([counter]), untouched };
    const transfer: TransferListItem[] = [];
    const wire = toWire(value, transfer) as typeof value;
    expect(wire).not.toBe(value);
    expect(value.list[0]).toBe(lock); // the caller's object is never modified
    expect(wire.untouched).toBe(untouched);
    expect(isHandle(wire.list[0])).toBe(true);
    expect(wire.list[0]).toBe(wire.map.get("k")); // the same primitive twice: one handle
    expect(transfer).toEqual([]);
    const back = fromWire(structuredClone(wire)) as typeof value;
    expect(back.list[0]).toBeInstanceOf(Lock);
    expect((back.list[0] as Lock).tryAcquire()).toBe(true); // the same shared memory
    expect(lock.locked()).toBe(true);
    expect([...back.set][0]).toBeInstanceOf(AtomicCounter);
    expect((back.list[1] as { counter: AtomicCounter }).counter.value).toBe(7);
  });

  it("a Connection's port goes in the transfer list, and without one the walker says so", () => {
    const [a, b] = Pipe();
    expect(() => toWire([b])).toThrow("toWire: a Connection needs a transfer list");
    const transfer: TransferListItem[] = [];
    toWire([b], transfer);
    expect(transfer).toHaveLength(1);
    a.close();
  });

  it("an unknown kind is a TypeError naming it", () => {
    expect(() => fromWire([{ [HANDLE_KIND]: "Teapot", buffer: new SharedArrayBuffer(4) }])).toThrow(
      "fromWire: unknown shared primitive kind 'Teapot'",
    );
  });

  it("a Timeline and a SharedArray reach a thread through the same walker as themselves", async () => {
    const timeline = new Timeline();
    const array = new SharedArray("i", 3);
    const kinds = await runInThread(
      (a: SharedArray, t: Timeline) => {
        a.array[1] = 42;
        return [a.length, typeof t.svg];
      },
      array,
      timeline,
    );
    expect(kinds).toEqual([3, "function"]);
    expect(array.array[1]).toBe(42);
  });
});

describe("the message protocol", () => {
  it("tells internal messages from a learner's own", () => {
    expect(isResult({ __kh: "result", id: 1, ok: true, value: 1, t0: 0, t1: 0 })).toBe(true);
    expect(isFromRuntime({ __kh: "out", stream: "stdout", text: "x" })).toBe(true);
    expect(isFromRuntime({ __kh: "run" })).toBe(false);
    expect(isFromRuntime({ hello: "world" })).toBe(false);
    expect(isFromRuntime(null)).toBe(false);
  });

  it("a thread's target posting its own message on parentPort does not become its result", async () => {
    const thread = new Thread({
      target: () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a target's require() is the worker's
        const { parentPort } = require("node:worker_threads");
        parentPort.postMessage({ ok: true, value: "not the result" });
        return "the result";
      },
    }).start();
    expect(await thread.join()).toBe("the result");
  });
});

describe("a pool's shared source table (the compact task form)", () => {
  it("gives each source one id, written once; a source that no longer fits gets none (it travels as text)", () => {
    const table = new SourceTable(64);
    const a = table.idOf("(x) => x");
    expect(a).toBeGreaterThan(0);
    expect(table.idOf("(x) => x")).toBe(a);
    const b = table.idOf("(y) => y * 2");
    expect(b).not.toBe(a);
    expect(table.idOf("function big() { return 'more than the sixty-four bytes of this table'; }")).toBeUndefined();
    const i32 = new Int32Array(table.buffer);
    expect(new TextDecoder().decode(new Uint8Array(table.buffer, (a! + 1) * 4, i32[a!]).slice())).toBe("(x) => x");
  });

  it("compact tasks run, map in chunks, explain a closure and report a thrown error like the general form", async () => {
    const pool = new ThreadPool({ size: 1 });
    try {
      const double = (x: number) => x * 2;
      expect(await Promise.all([1, 2, 3].map((x) => pool.submit(double, x)))).toEqual([2, 4, 6]);
      expect(await pool.map(double, [4, 5, 6], { chunkSize: 2 })).toEqual([8, 10, 12]);
      const limit = 3;
      await expect(pool.submit((x: number) => x < limit, 1)).rejects.toMatchObject({ code: "ERR_CLOSURE" });
      await expect(
        pool.submit((x: number) => {
          throw new RangeError(`bad ${x}`);
        }, 7),
      ).rejects.toMatchObject({ message: "bad 7", remoteName: "RangeError" });
    } finally {
      await pool.close();
    }
  });
});
