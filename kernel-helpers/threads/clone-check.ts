/** Says which argument cannot be copied to a worker, when `new Worker` / `postMessage` refused the arguments. */
import { HelperError } from "../errors";

/** The error for arguments that structured clone refused: names the first bad argument and why. */
export function notCloneable(args: readonly unknown[], label: string, cause: unknown): HelperError {
  let which = "an argument";
  for (let i = 0; i < args.length; i++) {
    try {
      structuredClone(args[i]);
    } catch (e) {
      const v = args[i];
      const kind =
        typeof v === "function"
          ? `a function (${(v as { name?: string }).name || "anonymous"})`
          : Object.prototype.toString.call(v);
      which = `argument ${i} (${kind})`;
      cause = e;
      break;
    }
  }
  return new HelperError(
    "ERR_NOT_CLONEABLE",
    `${which} cannot be copied to ${label} (${cause instanceof Error ? cause.message : String(cause)}): pass data (numbers, strings, arrays, plain objects, typed arrays, SharedArrayBuffer) or a shared primitive`,
    { cause },
  );
}

/** Whether an error is structured clone's refusal. */
export function isCloneError(error: unknown): boolean {
  return error instanceof Error && (error.name === "DataCloneError" || /could not be cloned/i.test(error.message));
}
