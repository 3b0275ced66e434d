/**
 * Targets: what a thread, a process or a pool task runs. A function travels as its source text (closures cannot
 * travel: see README "How a target travels"); a module target travels as an absolute path and an export name.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { HelperError, invalid } from "../errors";
import type { TargetSpec } from "../protocol";

export type { TargetSpec } from "../protocol";

/** A module export to run: `{ module: "./work.ts", export: "crunch" }`; the path is relative to the current directory. */
export interface ModuleTarget {
  /** Path of a `.ts`, `.js`, `.cjs` or `.mjs` file, relative to the current directory (the notebook's folder). */
  module: string;
  /** The exported function's name. @default "default" */
  export?: string;
}

/** A function to run elsewhere (it may use only its parameters, globals and `require`), or a module export. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Target<A extends unknown[] = any[], R = unknown> = ((...args: A) => R) | ModuleTarget;

/** The awaited return type of a target function. */
export type TargetResult<R> = Awaited<R>;

const sourceCache = new WeakMap<object, TargetSpec>();

/** Checks a target and describes it for a worker; `where` names the option in error messages. */
export function describeTarget(target: unknown, where = "target"): TargetSpec {
  if (typeof target === "function") {
    const cached = sourceCache.get(target);
    if (cached) return cached;
    const source = Function.prototype.toString.call(target);
    const name = (target as { name?: string }).name || "anonymous";
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      throw new HelperError(
        "ERR_BAD_TARGET",
        `\`${where}\` is a built-in or bound function (\`${name}\`), whose source cannot travel to a worker: wrap it, e.g. (x) => Math.sqrt(x)`,
      );
    }
    if (/^class\b/.test(source)) {
      throw new HelperError(
        "ERR_BAD_TARGET",
        `\`${where}\` is a class (\`${name}\`): pass a function that creates and uses it`,
      );
    }
    const spec: TargetSpec = { kind: "source", source, name };
    sourceCache.set(target, spec);
    return spec;
  }
  if (typeof target === "object" && target !== null && typeof (target as ModuleTarget).module === "string") {
    const { module, export: exported = "default" } = target as ModuleTarget;
    if (typeof exported !== "string" || exported === "") invalid(`${where}.export`, "an export name", exported);
    const path = isAbsolute(module) ? module : resolve(process.cwd(), module);
    if (!existsSync(path)) {
      throw new HelperError("ERR_BAD_TARGET", `\`${where}.module\` '${module}' does not exist (looked for ${path})`);
    }
    return { kind: "module", path, export: exported, name: exported === "default" ? module : exported };
  }
  return invalid(where, "a function or { module, export? }", target);
}
