/**
 * Errors that crossed from a worker or a child process, turned back into errors on this side: the target's own
 * error as a `RemoteError` (message and stack kept), and the two mistakes a learner makes most, explained.
 */
import { HelperError, RemoteError } from "../errors";
import type { TargetSpec, WireError } from "../protocol";

export type { WireError } from "../protocol";

/** Where a target ran, for messages: `thread` or `process`, and a label like `thread 'Worker-1'`. */
export interface Place {
  runner: "thread" | "process";
  label: string;
}

/** The error to reject with, for an error that a runtime reported. */
export function fromWireError(error: WireError, target: TargetSpec, place: Place): Error {
  const remote = new RemoteError(error.name, error.message, error.stack, place.label, error.code);
  if (error.closure) return closureError(error.closure, target, place, remote);
  if (error.code === "ERR_NOT_CLONEABLE") {
    return new HelperError(
      "ERR_NOT_CLONEABLE",
      `the value target \`${target.name}\` returned in ${place.label} cannot be copied back (${error.message}): return data (numbers, strings, arrays, plain objects), not functions or class instances`,
      { cause: remote },
    );
  }
  return remote;
}

// Names the runtimes provide inside a target (runtime/globals.cjs), never reported as closures.
const PROVIDED = new Set(["currentThread", "currentProcess", "sleep", "sleepSync"]);

function closureError(name: string, target: TargetSpec, place: Place, cause: Error): HelperError {
  const who = `target \`${target.name}\``;
  const cannot = `closures cannot travel to a ${place.runner}`;
  const source = target.kind === "source" ? target.source : "";
  if (name === "exports" || source.includes(`exports.${name}`)) {
    // tslab compiles a name defined in another cell as `exports.name`.
    const names = [...new Set([...source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1] ?? ""))].filter(
      (n) => !PROVIDED.has(n),
    );
    const list = names.map((n) => `\`${n}\``).join(", ") || "names";
    return new HelperError(
      "ERR_CLOSURE",
      `${who} uses ${list} from other cells; ${cannot}: pass values as arguments (args: [...]), define helper functions inside the target, and require() modules inside it (e.g. \`const os = require("node:os")\`)`,
      { cause },
    );
  }
  let advice: string;
  const tslabImport = /^(.+)_\d+$/.exec(name);
  if (/^__vi(te_ssr)?_import_\d+__$/.test(name) || /^__vi_import/.test(name)) {
    advice =
      "it is an import of the calling module: require() what the function needs inside it, or pass values as arguments";
  } else if (tslabImport) {
    const base = tslabImport[1] ?? name;
    const specifier = base.startsWith("node_") ? `node:${base.slice(5)}` : base;
    const local = specifier.replace(/^node:/, "");
    advice = `\`${name}\` is how tslab compiles an import of the cell (here probably "${specifier}"): imports do not travel; write \`const ${local} = require("${specifier}")\` inside the function, or pass the values it needs as arguments`;
  } else {
    advice = "pass it as an argument (args: [...]) or define it inside the function";
  }
  return new HelperError("ERR_CLOSURE", `${who} uses \`${name}\` from outside its body; ${cannot}: ${advice}`, {
    cause,
  });
}

/** An error a worker reported through its `error` event (an uncaught exception after the target returned, say). */
export function fromWorkerError(error: unknown, place: Place): RemoteError {
  if (error instanceof Error) {
    const raw = (error as Error & { code?: unknown }).code;
    const code = typeof raw === "string" ? raw : undefined;
    return new RemoteError(error.name, error.message, error.stack, place.label, code);
  }
  return new RemoteError("Error", String(error), undefined, place.label);
}
