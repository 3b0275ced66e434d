import net from "node:net";

/**
 * A line-based TCP chat server: a client's first line is its name; each later line reaches every
 * other client as `name: text`; joins and leaves are announced to the others.
 */
function startChatServer(
  options: { port?: number; host?: string } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  // BEGIN SOLUTION
  const named = new Map<net.Socket, string>(); // clients that sent their name
  const sockets = new Set<net.Socket>(); // every open connection, named or not

  const broadcast = (from: net.Socket, line: string) => {
    for (const socket of named.keys()) if (socket !== from && socket.writable) socket.write(`${line}\n`);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    // setEncoding puts a StringDecoder in front of "data": a character split across two TCP
    // packets is joined before we see it (Buffer.toString on each chunk would garble it).
    socket.setEncoding("utf8");
    let pending = "";
    let name: string | undefined;
    socket.on("data", (chunk: string) => {
      // A packet may hold part of a line or several lines: keep the unfinished tail for later.
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, end).replace(/\r$/, "");
        pending = pending.slice(end + 1);
        if (name === undefined) {
          name = line;
          broadcast(socket, `* ${name} joined`); // before adding it: the newcomer is not told of itself
          named.set(socket, name);
        } else {
          broadcast(socket, `${name}: ${line}`);
        }
      }
    });
    // An abrupt disconnect (ECONNRESET) emits "error": without a listener it would crash the whole
    // server. "close" follows in every case, so leaving is handled once, there.
    socket.on("error", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      if (named.delete(socket)) broadcast(socket, `* ${name} left`);
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      const close = () =>
        new Promise<void>((done) => {
          // server.close waits for every connection to end: end them, or it never calls back.
          server.close(() => done());
          for (const socket of sockets) socket.destroy();
        });
      resolve({ port, close });
    });
  });
  // END SOLUTION
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
