import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { walkFiles } from "../fs-walk.ts";
import { compileModule, SANDBOX_HELPERS } from "./compile.ts";

/** The repository root (this file is src/grade/workdir.ts). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SANDBOX_FILES = path.join(ROOT, "src/grade/sandbox");

/** Shared probe code of all exercises (exercises/_probe-lib), copied as probe-lib/ into each sandbox. */
const PROBE_LIB = "_probe-lib";

/** Probe modules compiled so far in this process, by their source: every submission of a batch gets the same. */
const compiledProbes = new Map<string, string>();

/**
 * A probe module compiled for the sandbox: `../_probe-lib/x` imports point at its copy. Compiled
 * once per source text (3 of a safe-counter submission's 4 TypeScript compiles: a folder took
 * 120-150 ms to prepare, 10-40 ms with them cached), read afresh every time, so an edited probe is
 * never served stale.
 */
function probeModule(code: string, fileName: string, inLib = false): string {
  const key = `${inLib}\0${fileName}\0${code}`;
  let js = compiledProbes.get(key);
  if (js === undefined) {
    const base = inLib ? "." : "./probe-lib";
    js = compileModule(code, fileName).replace(
      /require\((["'])(?:\.\.\/_probe-lib|\.)\/([\w-]+)\1\)/g,
      (_m, _q: string, name: string) => `require("${base}/${name}.js")`,
    );
    compiledProbes.set(key, js);
  }
  return js;
}

let helpersCache: Promise<Map<string, string>> | undefined;

/** kernel-helpers/**.ts compiled to CommonJS once per grader process (relative path -> JS). */
function compiledHelpers(): Promise<Map<string, string>> {
  helpersCache ??= (async () => {
    const out = new Map<string, string>();
    const base = path.join(ROOT, "kernel-helpers");
    for await (const { full, entry } of walkFiles(base)) {
      const name = entry.name;
      if (name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.includes(".test.")) {
        out.set(
          path.relative(base, full).replace(/\.ts$/, ".js"),
          compileModule(await readFile(full, "utf8"), name, { exportAll: false }),
        );
      } else if (/\.(js|cjs|json)$/.test(name)) out.set(path.relative(base, full), await readFile(full, "utf8"));
    }
    return out;
  })();
  return helpersCache;
}

/**
 * A submission's own temporary folder: the only place (with node_modules) its process may read.
 * Holds the compiled submission, the exercise's probes, a compiled copy of the helpers and the
 * sandbox host. Never the suite, never a reference solution.
 */
export async function prepareWorkdir(
  code: string,
  probesFile: string,
): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-grade-"));
  await writeFile(path.join(dir, "package.json"), '{ "type": "commonjs" }\n');
  await mkdir(path.join(dir, "scratch")); // the one folder the submission may write to
  const submission = compileModule(code, "submission.ts");
  await writeFile(path.join(dir, "submission.js"), submission);
  await writeFile(path.join(dir, "probes.js"), probeModule(await readFile(probesFile, "utf8"), "probes.ts"));
  const lib = path.join(path.dirname(probesFile), "..", PROBE_LIB);
  await mkdir(path.join(dir, "probe-lib"));
  for (const name of await readdir(lib).catch(() => [] as string[])) {
    if (name.endsWith(".ts"))
      await writeFile(
        path.join(dir, "probe-lib", name.replace(/\.ts$/, ".js")),
        probeModule(await readFile(path.join(lib, name), "utf8"), name, true),
      );
  }
  await copyFile(path.join(SANDBOX_FILES, "host.cjs"), path.join(dir, "host.cjs"));
  await copyFile(path.join(SANDBOX_FILES, "preload.cjs"), path.join(dir, "preload.cjs"));
  await copyFile(path.join(SANDBOX_FILES, "children.cjs"), path.join(dir, "children.cjs"));
  await copyFile(path.join(SANDBOX_FILES, "wire-codec.cjs"), path.join(dir, "wire-codec.cjs"));
  // The helpers only when the submission imports them (most reference solutions use raw Node APIs).
  const helpers = submission.includes(SANDBOX_HELPERS) ? await compiledHelpers() : new Map<string, string>();
  for (const [rel, js] of helpers) {
    const target = path.join(dir, "kernel-helpers", rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, js);
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
