import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AbortError, ClosedError, TimeoutError } from "../../kernel-helpers/errors";
import { Pipe } from "../../kernel-helpers/queues/pipe";
import { runWorkers, startWorkers } from "./sync-support";

describe("Pipe", () => {
  it("main <-> worker: the worker's blocking recv doubles what the main thread sends, in order", async () => {
    const [parent, child] = Pipe();
    const worker = startWorkers(1, `const [conn] = args; for (;;) { let v; try { v = conn.recv(); } catch (e) { return e.code; } conn.send(v * 2); }`, [child]);
    const answers: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      parent.send(i);
      answers.push(await parent.recvAsync({ timeout: 10_000 }));
    }
    expect(answers).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    parent.close();
    expect((await worker.outcomes)[0]).toEqual({ ok: true, value: "ERR_PIPE_CLOSED" });
  });

  it("worker <-> worker ping-pong of 5,000 messages with structured values", async () => {
    const [a, b] = Pipe();
    const results = await runWorkers<number>(
      2,
      `const [conn] = args;
       if (index === 0) { let total = 0; for (let i = 0; i < 5000; i++) { conn.send({ i, at: new Date(i) }); total += conn.recv().i; } conn.close(); return total; }
       let n = 0; for (;;) { let m; try { m = conn.recv(); } catch (e) { return n; } if (!(m.at instanceof Date)) throw new Error("not a Date"); conn.send({ i: m.i + 1 }); n++; }`,
      (i: number) => [i === 0 ? a : b],
    );
    expect(results).toEqual([(5000 * 5001) / 2, 5000]);
  });

  it("what was sent before close is still received; then recv throws ClosedError (EOF)", async () => {
    const [a, b] = Pipe();
    a.send("one");
    a.send("two");
    a.close();
    expect(await b.recvAsync()).toBe("one");
    expect(b.poll()).toBe(true);
    expect(await b.recvAsync()).toBe("two");
    await expect(b.recvAsync()).rejects.toThrow(ClosedError);
    expect(() => b.send(1)).toThrow("send on a pipe whose other end is closed");
    expect(() => a.send(1)).toThrow("send on a closed connection");
  });

  it("recv timeouts, poll, abort, duplex: false, and no blocking recv on the main thread", async () => {
    const [a, b] = Pipe();
    await expect(a.recvAsync({ timeout: 20 })).rejects.toThrow(TimeoutError);
    expect(a.poll()).toBe(false);
    expect(() => a.recv()).toThrow(/main thread/);
    const controller = new AbortController();
    const waiting = a.recvAsync({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toThrow(AbortError);
    const [code] = await runWorkers<string>(1, `try { args[0].recv({ timeout: 30 }); } catch (e) { return e.code; }`, [b]);
    expect(code).toBe("ERR_RECV_TIMEOUT");
    const [reader, writer] = Pipe({ duplex: false });
    expect(() => reader.send(1)).toThrow(/read-only/);
    expect(() => writer.poll()).toThrow(/write-only/);
    writer.send("hi");
    expect(await reader.pollAsync({ timeout: 1000 })).toBe(true);
    expect(await reader.recvAsync()).toBe("hi");
    a.close();
    reader.close();
    writer.close();
  });

  it("leaves nothing waiting: a script using a pipe, a lock and a shared queue with workers exits by itself", () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
    const script = `
      require(${JSON.stringify(tsx)}).register();
      const { Worker } = require("node:worker_threads");
      const { Pipe } = require(${JSON.stringify(path.join(root, "kernel-helpers/queues/pipe.ts"))});
      const { SharedQueue } = require(${JSON.stringify(path.join(root, "kernel-helpers/queues/shared-queue.ts"))});
      const { Lock } = require(${JSON.stringify(path.join(root, "kernel-helpers/sync/mutex.ts"))});
      const { toWire } = require(${JSON.stringify(path.join(root, "kernel-helpers/sync/transfer.ts"))});
      (async () => {
        const [a, b] = Pipe(); const q = new SharedQueue(); const lock = new Lock();
        const transfer = []; const wire = toWire([b, q, lock], transfer);
        const w = new Worker(\`require(${JSON.stringify(tsx)}).register();
          const { workerData } = require("node:worker_threads");
          require(${JSON.stringify(path.join(root, "kernel-helpers/kinds.ts"))});
          const [b, q, lock] = require(${JSON.stringify(path.join(root, "kernel-helpers/sync/transfer.ts"))}).fromWire(workerData);
          lock.withLock(() => q.put(b.recv()));\`, { eval: true, workerData: wire, transferList: transfer });
        await lock.acquireAsync({ timeout: 5000 }); // held while the worker starts
        a.send("hello"); lock.release();
        console.log(await q.getAsync({ timeout: 10000 }));
        await a.recvAsync({ timeout: 50 }).catch((e) => console.log(e.code)); // an async wait that times out
      })();`;
    const started = Date.now();
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000, cwd: root });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split("\n")).toEqual(["hello", "ERR_RECV_TIMEOUT"]);
    expect(result.signal).toBeNull(); // not killed by the 20 s timeout: it exited on its own
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
