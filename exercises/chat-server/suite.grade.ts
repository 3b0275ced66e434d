// Grading suite of chat-server (run by `tsnb grade`): the learner's server runs in a sandbox; the
// clients are real TCP connections from this (trusted) process.
import net from "node:net";
import { afterEach, expect, test } from "vitest";
import { Sandbox } from "../../src/grade/suite.ts";

/** A test client: collects the lines it receives. */
class Client {
  readonly lines: string[] = [];
  readonly socket: net.Socket;
  closed = false;
  #pending = "";
  #waiters: Array<() => void> = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.#pending += chunk;
      let end: number;
      while ((end = this.#pending.indexOf("\n")) >= 0) {
        this.lines.push(this.#pending.slice(0, end).replace(/\r$/, ""));
        this.#pending = this.#pending.slice(end + 1);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  static connect(port: number, name?: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        const client = new Client(socket);
        clients.push(client);
        if (name !== undefined) socket.write(`${name}\n`);
        resolve(client);
      });
      socket.once("error", reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Wait until a received line equals `line` (or the connection closes, or `ms` pass). */
  async waitFor(line: string, ms = 3000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.lines.includes(line)) {
      if (this.closed || Date.now() > deadline) return false;
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return true;
  }
}

const clients: Client[] = [];
let sandbox: Sandbox | undefined;

async function startServer(): Promise<number> {
  sandbox = await Sandbox.open();
  const { port } = await sandbox.call<{ port: unknown }>("start");
  expect(
    typeof port === "number" && port > 0,
    `startChatServer({ port: 0 }) should resolve with the port it listens on, got ${String(port)}`,
  ).toBe(true);
  return port as number;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await sandbox?.close();
  sandbox = undefined;
});

const settle = () => new Promise((r) => setTimeout(r, 150));

test("[1] port 0 picks a free port, and the server accepts connections there", async () => {
  const port = await startServer();
  const client = await Client.connect(port, "ana");
  expect(client.closed).toBe(false);
});

test("[2] a line from one client reaches every other client as `name: text`, not the sender", async () => {
  const port = await startServer();
  const alice = await Client.connect(port, "alice");
  const bob = await Client.connect(port, "bob");
  const carol = await Client.connect(port, "carol");
  expect(await carol.waitFor("* carol joined", 300)).toBe(false);
  await settle();
  alice.send("hello everyone\n");
  expect(await bob.waitFor("alice: hello everyone"), `bob received: ${JSON.stringify(bob.lines)}`).toBe(true);
  expect(await carol.waitFor("alice: hello everyone"), `carol received: ${JSON.stringify(carol.lines)}`).toBe(true);
  bob.send("hi alice\n");
  expect(await alice.waitFor("bob: hi alice"), `alice received: ${JSON.stringify(alice.lines)}`).toBe(true);
  await settle();
  expect(alice.lines, "the sender should not get its own message back").not.toContain("alice: hello everyone");
});

test("[2] joins and leaves reach the others as `* name joined` / `* name left`", async () => {
  const port = await startServer();
  const alice = await Client.connect(port, "alice");
  await settle();
  const bob = await Client.connect(port, "bob");
  expect(await alice.waitFor("* bob joined"), `alice received: ${JSON.stringify(alice.lines)}`).toBe(true);
  bob.socket.end();
  expect(await alice.waitFor("* bob left"), `alice received: ${JSON.stringify(alice.lines)}`).toBe(true);
});

test("[2] one client's abrupt disconnect disturbs no other: the server stays up and the chat goes on", async () => {
  const port = await startServer();
  const alice = await Client.connect(port, "alice");
  const bob = await Client.connect(port, "bob");
  const mallory = await Client.connect(port, "mallory");
  await settle();
  mallory.send("half a line without its end");
  await settle();
  mallory.socket.resetAndDestroy(); // a TCP reset, as when a laptop drops off the network
  await settle();
  alice.send("still there?\n");
  expect(await bob.waitFor("alice: still there?"), `bob received: ${JSON.stringify(bob.lines)}`).toBe(true);
  const late = await Client.connect(port, "dave");
  expect(await alice.waitFor("* dave joined"), "a new client can still join after the reset").toBe(true);
  expect(late.closed).toBe(false);
});

test("[1] lines are reassembled across TCP packets, UTF-8 characters included", async () => {
  const port = await startServer();
  const alice = await Client.connect(port, "alice");
  const bob = await Client.connect(port, "bob");
  await settle();
  const bytes = Buffer.from("héllo ✓ wörld\nsecond line\n", "utf8");
  const cut = bytes.indexOf(Buffer.from("✓")) + 1; // inside the 3-byte character
  alice.socket.write(bytes.subarray(0, cut));
  await settle();
  alice.socket.write(bytes.subarray(cut));
  expect(await bob.waitFor("alice: héllo ✓ wörld"), `bob received: ${JSON.stringify(bob.lines)}`).toBe(true);
  expect(await bob.waitFor("alice: second line"), `bob received: ${JSON.stringify(bob.lines)}`).toBe(true);
});

test("[1] 12 clients at once: each receives the other 11 messages", async () => {
  const port = await startServer();
  const many = await Promise.all(Array.from({ length: 12 }, (_, i) => Client.connect(port, `user${i}`)));
  await settle();
  many.forEach((c, i) => c.send(`message ${i}\n`));
  for (const [i, c] of many.entries()) {
    const other = (i + 1) % 12;
    expect(await c.waitFor(`user${other}: message ${other}`), `user${i} received: ${JSON.stringify(c.lines)}`).toBe(
      true,
    );
  }
  await settle();
  for (const [i, c] of many.entries()) {
    const chat = c.lines.filter((l) => !l.startsWith("* "));
    expect(chat.length, `user${i} should get 11 messages, got ${JSON.stringify(chat)}`).toBe(11);
  }
});

test("[1] close() resolves with clients still connected, disconnects them and leaves no open socket", async () => {
  const port = await startServer();
  const alice = await Client.connect(port, "alice");
  await Client.connect(port, "bob");
  await settle();
  const { after } = await sandbox!.call<{ before: number; after: number }>("stop", {}, { timeoutMs: 3000 });
  expect(after, "TCP handles still open in the server's process after close()").toBe(0);
  await alice.waitFor("(never)", 500);
  expect(alice.closed, "clients should be disconnected by close()").toBe(true);
  await expect(Client.connect(port), "the port should refuse connections after close()").rejects.toThrow();
});
