/**
 * The files of the autograder zip: setup.sh and run_autograder at the root, the grader (src/grade
 * and what it imports), the helpers (compiled into a sandbox when a submission imports them), the
 * chosen exercises' suites and probes, the probe library, gradescope.json, and a package.json with
 * its lockfile holding only the grader's dependencies. Never a reference solution.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CourseError } from "../../errors.ts";
import { walkFiles } from "../../fs-walk.ts";
import { exerciseDir } from "../exercises.ts";
import { CONFIG_FILE, type AutograderConfig } from "./config.ts";
import { subsetLockfile, type Lockfile } from "./lockfile.ts";
import { RUN_AUTOGRADER, SETUP_SH } from "./scripts.ts";
import type { ZipEntry } from "./zip.ts";

/** What the grader needs from npm: the suite runner, the TypeScript loader, the compiler, the helpers' thread pool. */
export const GRADER_DEPENDENCIES = ["tsx", "typescript", "vitest", "piscina"] as const;

/** Folders shipped whole: the grader, the notebook model it reads submissions with, the helpers. */
const TREES = ["src/grade", "src/notebook", "kernel-helpers"];
const CODE = /\.(ts|cjs|mjs|js)$/;
const SKIP = /(\.test\.|\.bench\.|(^|\/)README\.md$)/;

/** Relative specifiers a module imports (static, dynamic, require, re-export). */
function relativeImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+)\1/g;
  for (const m of code.matchAll(re)) out.push(m[2]!);
  return out;
}

/** The file a relative specifier names, as tsx and Node resolve it here (extension optional). */
function resolveImport(root: string, fromRel: string, spec: string): string | undefined {
  const base = path.join(path.dirname(path.join(root, fromRel)), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.cjs`, `${base}.js`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && !candidate.endsWith(path.sep) && path.extname(candidate))
      return path.relative(root, candidate).split(path.sep).join("/");
  }
  return undefined;
}

/** Everything of the checkout the zip holds, as relative paths (sorted). */
export async function graderFiles(root: string, exerciseIds: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const tree of TREES) {
    for await (const { full } of walkFiles(path.join(root, tree))) {
      const rel = path.relative(root, full).split(path.sep).join("/");
      if (!SKIP.test(rel)) files.add(rel);
    }
  }
  for await (const { full } of walkFiles(path.join(root, "exercises/_probe-lib")))
    files.add(path.relative(root, full).split(path.sep).join("/"));
  for (const id of exerciseIds) {
    for (const name of ["suite.grade.ts", "probes.ts"]) {
      const file = path.join(exerciseDir(id, root), name);
      if (!existsSync(file)) throw new CourseError("ERR_AUTOGRADER_BUILD", `${file}: missing (exercise ${id})`);
      files.add(path.relative(root, file).split(path.sep).join("/"));
    }
  }
  // What those import from elsewhere in the checkout (src/errors.ts, src/fs-walk.ts, ...), transitively.
  const queue = [...files];
  while (queue.length) {
    const rel = queue.pop()!;
    if (!CODE.test(rel)) continue;
    for (const spec of relativeImports(await readFile(path.join(root, rel), "utf8"))) {
      const target = resolveImport(root, rel, spec);
      if (target && !files.has(target) && !target.startsWith("..")) {
        if (/(^|\/)(solution|alternative|broken)(\/|\.ts$)/.test(target))
          throw new CourseError(
            "ERR_AUTOGRADER_BUILD",
            `${rel} imports ${target}: a solution must not ship in the autograder`,
          );
        files.add(target);
        queue.push(target);
      }
    }
  }
  return [...files].sort();
}

/** The zip's entries for `config` (its exercises), from the checkout at `root`. */
export async function autograderEntries(root: string, config: AutograderConfig): Promise<ZipEntry[]> {
  const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const ranges = { ...pkg.devDependencies, ...pkg.dependencies };
  const dependencies: Record<string, string> = {};
  for (const name of GRADER_DEPENDENCIES) {
    const range = ranges[name];
    if (!range) throw new CourseError("ERR_AUTOGRADER_BUILD", `package.json: no ${name} among the dependencies`);
    dependencies[name] = range;
  }
  const name = "tsnb-autograder";
  const lock = subsetLockfile(
    JSON.parse(await readFile(path.join(root, "package-lock.json"), "utf8")) as Lockfile,
    name,
    dependencies,
  );
  const manifest = {
    name,
    version: "1.0.0",
    private: true,
    description: `Gradescope autograder for ${config.exercises.join(", ")} (built by tsnb gradescope build)`,
    type: "module",
    engines: { node: ">=20.19" },
    dependencies,
    // npm 11's install-script allow list: esbuild's postinstall (tsx's compiler) checks its binary.
    allowScripts: { esbuild: true },
  };
  const entries: ZipEntry[] = [
    { name: "setup.sh", data: SETUP_SH, mode: 0o755 },
    { name: "run_autograder", data: RUN_AUTOGRADER, mode: 0o755 },
    { name: CONFIG_FILE, data: `${JSON.stringify(config, null, 2)}\n` },
    { name: "package.json", data: `${JSON.stringify(manifest, null, 2)}\n` },
    { name: "package-lock.json", data: `${JSON.stringify(lock, null, 2)}\n` },
  ];
  for (const rel of await graderFiles(root, config.exercises))
    entries.push({ name: rel, data: await readFile(path.join(root, rel)) });
  return entries;
}
