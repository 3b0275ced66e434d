/**
 * Node services a browser does not have (processes, files, sockets, servers): requiring the module works (so a
 * cell that only imports it still loads), and the first use says in one sentence what needs Node and how to run it.
 */
export const NEEDS_NODE = ["child_process", "fs", "fs/promises", "net", "http", "https", "http2", "dgram", "cluster", "dns", "tls", "readline", "repl", "inspector", "crypto"] as const;

/** The one sentence a cell gets when it uses a Node service the browser lacks. */
export function needsNodeMessage(module: string, what?: string): string {
  return `node:${module}${what ? `.${what}` : ""} needs Node (${describe(module)}), which this page cannot give a cell running in your browser: run this cell in JupyterLab (the notebook's .ipynb) or with \`npx tsnb run\`.`;
}

function describe(module: string): string {
  if (module === "child_process" || module === "cluster") return "operating-system processes";
  if (module.startsWith("fs")) return "the file system";
  if (module === "crypto") return "Node's crypto library";
  if (module === "readline" || module === "repl" || module === "inspector") return "a terminal";
  return "network sockets and servers";
}

export class NeedsNodeError extends Error {
  readonly code = "ERR_NEEDS_NODE";
  constructor(module: string, what?: string) {
    super(needsNodeMessage(module, what));
    this.name = "NeedsNodeError";
  }
}

/** A module whose every function throws {@link NeedsNodeError} when called (importing it succeeds). */
export function unsupportedModule(module: string): Record<string, unknown> {
  const handler: ProxyHandler<Record<string, unknown>> = {
    get(_target, prop) {
      if (typeof prop === "symbol" || prop === "then" || prop === "__esModule") return undefined;
      if (prop === "default") return proxy;
      return () => {
        throw new NeedsNodeError(module, prop);
      };
    },
  };
  const proxy: Record<string, unknown> = new Proxy({}, handler);
  return proxy;
}
