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

/** Always needed from npm: run_autograder starts the grader with `node --import tsx`. */
const LOADER = "tsx";

/** Folders shipped whole: the grader, the notebook model it reads submissions with, the helpers. */
const TREES = ["src/grade", "src/notebook", "kernel-helpers"];
const CODE = /\.(ts|cjs|mjs|js)$/;
/** Tests, benches, docs, and the helpers' browser backend (the live pages'; the grader runs on Node). */
const SKIP = /(\.test\.|\.bench\.|(^|\/)README\.md$|^kernel-helpers\/platform\/browser\/)/;

/** Specifiers a module imports (static, dynamic, require, re-export), as written. */
function imports(code: string): string[] {
  const out: string[] = [];
  // `import type ... from "x"` is erased when the code runs: it needs no package.
  code = code.replace(/\b(?:import|export)\s+type\b[^;]*?\bfrom\s*(["'])[^"']+\1/g, "");
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'])([^"'\s]+)\1/g;
  for (const m of code.matchAll(re)) out.push(m[2]!);
  // `createRequire(import.meta.url)("pkg")`: a require made on the spot.
  for (const m of code.matchAll(/\)\s*\(\s*(["'])([^"'\s]+)\1\s*\)/g)) out.push(m[2]!);
  return out;
}

/** The npm package a bare specifier names (`vitest/node` -> `vitest`, `@a/b/c` -> `@a/b`), or undefined for a relative path or a built-in. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) return undefined;
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
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

/** Everything of the checkout the zip holds, as relative paths (sorted), and the npm packages they import. */
export async function graderFiles(
  root: string,
  exerciseIds: readonly string[],
): Promise<{ files: string[]; packages: string[] }> {
  const packages = new Set<string>([LOADER]);
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
    for (const spec of imports(await readFile(path.join(root, rel), "utf8"))) {
      const pkg = packageOf(spec);
      if (pkg !== undefined) {
        packages.add(pkg);
        continue;
      }
      if (!spec.startsWith(".")) continue;
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
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/** The zip's entries for `config` (its exercises), from the checkout at `root`. */
export async function autograderEntries(root: string, config: AutograderConfig): Promise<ZipEntry[]> {
  const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const ranges = { ...pkg.devDependencies, ...pkg.dependencies };
  const { files, packages } = await graderFiles(root, config.exercises);
  // Only packages this checkout declares: a specifier-looking string in a comment or a test
  // fixture (`require("x.ts")`) names no package; types-only packages are erased by tsx but cost little.
  const dependencies: Record<string, string> = {};
  for (const name of packages) if (ranges[name]) dependencies[name] = ranges[name];
  const repoLock = JSON.parse(await readFile(path.join(root, "package-lock.json"), "utf8")) as Lockfile;
  // An optional peer the checkout installs on purpose (ajv for ajv-draft-04) is a dependency here too:
  // npm does not install optional peers by itself.
  for (const name of Object.keys(dependencies)) {
    for (const peer of Object.keys(repoLock.packages[`node_modules/${name}`]?.peerDependencies ?? {}))
      if (ranges[peer] && !dependencies[peer] && !peer.startsWith("@types/")) dependencies[peer] = ranges[peer];
  }
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  const name = "tsnb-autograder";
  const lock = subsetLockfile(repoLock, name, sorted);
  const manifest = {
    name,
    version: "1.0.0",
    private: true,
    description: `Gradescope autograder for ${config.exercises.join(", ")} (built by tsnb gradescope build)`,
    type: "module",
    engines: { node: ">=20.19" },
    dependencies: sorted,
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
  for (const rel of files) entries.push({ name: rel, data: await readFile(path.join(root, rel)) });
  return entries;
}
