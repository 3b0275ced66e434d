/* eslint-disable @typescript-eslint/no-require-imports -- targets that run in a child require() what they need */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  HelperError,
  Lock,
  Process,
  RemoteError,
  TimeoutError,
  currentProcess,
  runInProcess,
} from "../../kernel-helpers/index.ts";
import { liveChildren } from "../../kernel-helpers/process/children.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("Process", () => {
  it("runs the target in a child with a real pid and ppid; join() gives exit code 0 and result holds the value", async () => {
    const p = new Process({
      target: (n: number) => ({ n: n * 2, pid: process.pid, ppid: process.ppid, me: currentProcess() }),
      args: [21],
      name: "Doubler",
    });
    expect(p.exitCode).toBeNull();
    p.start();
    expect(p.pid).toBeGreaterThan(0);
    expect(await p.join()).toBe(0);
    expect(p.exitCode).toBe(0);
    const r = p.result as { n: number; pid: number; ppid: number; me: { name: string; isMain: boolean } };
    expect(r.n).toBe(42);
    expect(r.pid).toBe(p.pid);
    expect(r.pid).not.toBe(process.pid);
    expect(r.ppid).toBe(process.pid);
    expect(r.me).toMatchObject({ name: "Doubler", isMain: false });
    expect(currentProcess()).toMatchObject({ name: "MainProcess", pid: process.pid, isMain: true });
  });

  it("exit code 1 and the error kept when the target throws; runInProcess rejects with the error and its stack", async () => {
    const p = new Process({
      target: function broken() {
        throw new TypeError("bad input");
      },
    });
    expect(await p.start().join()).toBe(1);
    expect(p.error).toBeInstanceOf(RemoteError);
    const error = await runInProcess(function broken2(x: number) {
      if (x) throw new RangeError(`too far: ${x}`);
    }, 9).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).message).toBe("too far: 9");
    expect((error as RemoteError).remoteName).toBe("RangeError");
    expect((error as RemoteError).stack).toContain("at broken2");
    expect((error as RemoteError).stack).toMatch(/--- thrown in process 'Process-\d+' \(pid \d+\)$/);
  });

  it("gives process.exit(n) as the exit code and -N when killed by signal N", async () => {
    expect(await new Process({ target: () => process.exit(7) }).start().join()).toBe(7);
    const sleeper = new Process({ target: () => new Promise(() => setInterval(() => undefined, 1000)) }).start();
    setTimeout(() => sleeper.kill("SIGKILL"), 100);
    expect(await sleeper.join()).toBe(-9);
    expect(sleeper.isAlive()).toBe(false);
  });

  it("kills a process past its timeout, even one that ignores SIGTERM, and leaves nothing running", async () => {
    const p = new Process({
      target: () => {
        process.on("SIGTERM", () => undefined);
        process.send!("deaf"); // SIGTERM is ignored from here on
        for (;;) {
          // busy and deaf to SIGTERM: only SIGKILL ends it
        }
      },
      timeout: 1500,
    });
    let deaf = false;
    p.on("message", (m) => (deaf ||= m === "deaf"));
    p.start();
    const pid = p.pid!;
    const error = await p.join().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe("ERR_PROCESS_TIMEOUT");
    expect((error as Error).message).toMatch(/ran longer than 1500 ms and was killed/);
    // Killed by SIGKILL after the grace period when it had become deaf to SIGTERM (the usual case), by SIGTERM
    // when a loaded machine let the timeout fire before the target started.
    if (deaf) expect(p.exitCode).toBe(-9);
    else expect([-9, -15]).toContain(p.exitCode);
    expect(alive(pid)).toBe(false);
  });

  it("exchanges messages both ways, including ones sent before the target listens", async () => {
    const p = new Process({
      target: () =>
        new Promise<string>((resolve) => {
          const seen: string[] = [];
          process.on("message", (m: { text: string }) => {
            if (m.text === "stop") resolve(seen.join(","));
            else {
              seen.push(m.text);
              process.send!({ echo: m.text.toUpperCase() });
            }
          });
        }),
    });
    const echoes: string[] = [];
    p.on("message", (m: { echo: string }) => echoes.push(m.echo));
    p.start();
    p.send({ text: "a" }); // sent at once: the child is still loading its target
    p.send({ text: "b" });
    await new Promise((r) => setTimeout(r, 150));
    p.send({ text: "stop" });
    expect(await p.join()).toBe(0);
    expect(p.result).toBe("a,b");
    expect(echoes).toEqual(["A", "B"]);
  });

  it("refuses shared-memory primitives (processes share no memory)", () => {
    expect(() => new Process({ target: (l: Lock) => l, args: [new Lock()] }).start()).toThrow(
      expect.objectContaining({ code: "ERR_NOT_SHAREABLE" }),
    );
  });

  it("explains a closure as for threads", async () => {
    const factor = 3;
    await expect(runInProcess((x: number) => x * factor, 2)).rejects.toMatchObject({
      code: "ERR_CLOSURE",
      message: expect.stringContaining("uses `factor` from outside its body; closures cannot travel to a process"),
    });
  });

  it("never leaves an orphan: a child busy in a loop dies when its parent is SIGKILLed", async () => {
    // The parent is itself a child running a Process whose target loops forever; we SIGKILL the parent.
    const parent = new Process({
      target: async (helpers: string) => {
        (require("tsx/cjs/api") as { register(): void }).register();
        const { Process: P } = require(helpers) as typeof import("../../kernel-helpers/index.ts");
        const child = new P({
          target: () => {
            for (;;) {
              /* busy */
            }
          },
        }).start();
        await new Promise((r) => setTimeout(r, 300));
        process.send!({ grandchild: child.pid });
        return new Promise(() => undefined);
      },
      args: [require.resolve("../../kernel-helpers/index.ts")],
    });
    const got = new Promise<number>((resolve) =>
      parent.on("message", (m: { grandchild: number }) => resolve(m.grandchild)),
    );
    parent.start();
    const grandchild = await Promise.race([
      got,
      parent.join().then((code) => Promise.reject(new Error(`parent exited early: ${code}`))),
    ]);
    expect(alive(grandchild)).toBe(true);
    parent.kill("SIGKILL");
    await parent.join();
    const deadline = Date.now() + 5000;
    while (alive(grandchild) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it("never leaves an orphan even when the parent dies while the child is still starting", async () => {
    const parent = new Process({
      target: async (helpers: string) => {
        (require("tsx/cjs/api") as { register(): void }).register();
        const { Process: P } = require(helpers) as typeof import("../../kernel-helpers/index.ts");
        const child = new P({
          target: () => {
            for (;;) {
              /* busy */
            }
          },
        }).start();
        process.send!({ grandchild: child.pid }); // at once: the grandchild has not booted yet
        return new Promise(() => undefined);
      },
      args: [require.resolve("../../kernel-helpers/index.ts")],
    });
    const got = new Promise<number>((resolve) =>
      parent.on("message", (m: { grandchild: number }) => resolve(m.grandchild)),
    );
    parent.start();
    const grandchild = await Promise.race([
      got,
      parent.join().then((code) => Promise.reject(new Error(`parent exited early: ${code}`))),
    ]);
    parent.kill("SIGKILL");
    await parent.join();
    const deadline = Date.now() + 8000;
    while (alive(grandchild) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it("runs a TypeScript module export in the child", async () => {
    const p = new Process({
      target: { module: join(import.meta.dirname, "..", "fixtures", "helpers", "work.ts"), export: "crunch" },
      args: [100],
    });
    expect(await p.start().join()).toBe(0);
    expect(p.result).toBe(4950);
  });

  it("has no live children left after the tests above", () => {
    expect(liveChildren()).toBe(0);
  });

  it("validates its options with clear messages", () => {
    expect(() => new Process({ target: 42 as never })).toThrow(
      "Expected `target` to be a function or { module, export? }, got `42` (number)",
    );
    expect(() => new Process({ target: () => 1, timeout: -1 })).toThrow(
      "Expected `timeout` to be a number of milliseconds from 0 up, got `-1` (number)",
    );
    expect(() => new Process({ target: () => 1, args: 3 as never })).toThrow(
      "Expected `args` to be an array, got `3` (number)",
    );
    expect(() => new Process({ target: Math.max })).toThrow(HelperError);
  });
});
