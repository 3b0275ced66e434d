// A kernel whose port another process took between our choice and its bind: tslab only logs EADDRINUSE
// and lives on, deaf on that port (a CI run waited out the 60 s start timeout). The embedded transport
// must notice it at once, stop that kernel and start again on new ports.
import { readlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as connection from "../../src/kernel/connection.ts";
import { startKernel } from "../../src/kernel/index.ts";
import { alive, processesWith, tempDir } from "./executor-support.ts";

const thief: Server = createServer();
// Connections the first kernel's client sockets made to the thief: ZeroMQ drops a connection whose handshake
// never completed only after its handshake interval (30 s), so the test ends them itself.
const stolen = new Set<Socket>();
thief.on("connection", (socket) => {
  stolen.add(socket);
  socket.on("close", () => stolen.delete(socket));
});
const calls: connection.ConnectionInfo[] = [];

vi.mock("../../src/kernel/connection.ts", async (original) => {
  const real = await original<typeof import("../../src/kernel/connection.ts")>();
  return {
    ...real,
    // The first connection info hands out a shell port that is already taken (by `thief`).
    newConnectionInfo: async (ip?: string) => {
      const info = await real.newConnectionInfo(ip);
      if (calls.length === 0) {
        await new Promise<void>((resolve) => thief.listen(0, "127.0.0.1", resolve));
        const address = thief.address();
        info.shell_port = typeof address === "object" && address ? address.port : 0;
      }
      calls.push(info);
      return info;
    },
  };
});

describe("a kernel port taken before tslab binds it", () => {
  afterAll(async () => {
    for (const socket of stolen) socket.destroy();
    await new Promise<void>((resolve) => thief.close(() => resolve()));
  });

  it("is noticed at once: the deaf kernel is stopped and a new one starts on other ports", async () => {
    const { dir, cleanup } = await tempDir("port-taken");
    const started = performance.now();
    const kernel = await startKernel({ cwd: dir, startTimeoutSec: 60 });
    try {
      const took = performance.now() - started;
      expect(calls).toHaveLength(2);
      expect(calls[1]!.shell_port).not.toBe(calls[0]!.shell_port);
      // Far from the 60 s start timeout the deaf kernel used to cost (two starts and a kill).
      expect(took).toBeLessThan(30_000);
      expect((await kernel.execute("1 + 1")).outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2\n" }]);
      // The deaf kernel is gone: of the kernels running in this test's folder, only the one we got is left.
      const inFolder = (await processesWith("tsnb-kernel-")).filter((pid) => {
        try {
          return alive(pid) && readlinkSync(`/proc/${pid}/cwd`) === dir;
        } catch {
          return false; // gone meanwhile
        }
      });
      expect(inFolder).toEqual([kernel.pid]);
    } finally {
      await kernel.shutdown();
      await cleanup();
    }
  }, 120_000);
});
