// Probes of chat-server: start the learner's server in the sandbox and stop it; the suite talks to
// it over real TCP connections from its own process.
type Sub = {
  startChatServer(options?: { port?: number; host?: string }): Promise<{ port: number; close(): Promise<void> }>;
};

let running: { port: number; close(): Promise<void> } | undefined;

const tcpHandles = () =>
  (process as unknown as { getActiveResourcesInfo(): string[] })
    .getActiveResourcesInfo()
    .filter((r) => r.startsWith("TCP")).length;

export async function start(sub: Sub) {
  running = await sub.startChatServer({ port: 0, host: "127.0.0.1" });
  return { port: running?.port };
}

export async function stop() {
  const before = tcpHandles();
  await running?.close();
  // Sockets closed by close() release their handles on the next turns of the loop.
  await new Promise((r) => setTimeout(r, 100));
  return { before, after: tcpHandles() };
}
