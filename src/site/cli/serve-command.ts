import path from "node:path";
import { OUT_OPTION, outFlag, parseCommandArgs } from "../../cli-args.ts";
import { serveSite } from "../serve/serve.ts";
import { parsePort } from "./args.ts";

export const SERVE_HELP = `Usage: tsnb serve [-o/--out DIR] [--port N] [--host H]

Serve the built lesson site (npm start, or tsnb site) over HTTP until Ctrl-C.

  -o, --out DIR    the site folder (default: build/site; -d/--dir also works)
  -p, --port N     the port (default: 0, a free port chosen for you; the URL is printed)
  --host H         the address to listen on (default: 127.0.0.1, this machine only)
  -q, --quiet      no line per request`;

/** Serve `dir` until SIGINT/SIGTERM; resolves with the exit status (0). */
export async function serveUntilInterrupted(options: {
  dir: string;
  port?: number | undefined;
  host?: string | undefined;
  quiet?: boolean;
}): Promise<number> {
  const server = await serveSite({
    dir: options.dir,
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    onRequest: options.quiet
      ? undefined
      : (method, url, status) => process.stderr.write(`${status} ${method} ${url}\n`),
  });
  console.log(
    `Serving ${path.relative(process.cwd(), path.resolve(options.dir)) || "."} at ${server.url}  (Ctrl-C to stop)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await server.close();
  return 0;
}

/** `tsnb serve`. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    options: {
      ...OUT_OPTION,
      dir: { type: "string", short: "d" }, // the first spelling, kept
      port: { type: "string", short: "p" },
      host: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  const v = parsed.values;
  if (v.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  return serveUntilInterrupted({
    dir: outFlag(v) ?? path.join("build", "site"),
    port: parsePort(v.port),
    host: v.host,
    quiet: v.quiet ?? false,
  });
}
