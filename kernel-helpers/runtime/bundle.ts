/**
 * The worker-side code for shared primitives (`threads/wire-worker.ts` and everything it imports: the sync and
 * queue primitives, the Timeline), bundled once into plain JavaScript with esbuild, so a worker that receives a
 * Lock loads one small file instead of registering a TypeScript loader (measured: a thread with a Lock started
 * 70-270 ms slower through tsx). The bundle's name carries a hash of the sources' sizes and times, so an edited
 * primitive is rebuilt; it is written next to this file (git-ignored `.bundle/`), or in the temp folder when the
 * checkout is read-only. Without esbuild the workers fall back to tsx (slower, same behaviour).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runtimeDir } from "./paths";

interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

let cached: string | null | undefined;

function sourcesHash(root: string): string {
  const hash = createHash("sha1");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        const s = statSync(path);
        hash.update(`${path}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return hash.digest("hex").slice(0, 12);
}

function esbuild(): Esbuild {
  // esbuild comes with tsx (a dependency of this project): resolve it from there.
  const fromTsx = createRequire(createRequire(join(runtimeDir, "x.js")).resolve("tsx/package.json"));
  return fromTsx("esbuild") as Esbuild;
}

function build(outDir: string, name: string): string {
  const out = join(outDir, name);
  if (existsSync(out)) return out;
  mkdirSync(outDir, { recursive: true });
  // Why a temporary name and a rename: two kernels building at once must never load a half-written file.
  const partial = `${out}.${process.pid}.${Date.now()}.partial`;
  esbuild().buildSync({
    entryPoints: [join(dirname(runtimeDir), "threads", "wire-worker.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: partial,
    logLevel: "silent",
  });
  renameSync(partial, out);
  prune(outDir, name);
  return out;
}

const STALE_MS = 60 * 60 * 1000;

/** Removes bundles of older sources; an hour's grace, since a kernel started before the change may still load one. */
function prune(outDir: string, keep: string): void {
  for (const file of readdirSync(outDir)) {
    if (file === keep || !/^wire-worker-[0-9a-f]+\.cjs$/.test(file)) continue;
    const path = join(outDir, file);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    } catch {
      // another kernel pruned it first
    }
  }
}

/** The bundle's path, built on first use; `undefined` when it cannot be built (workers then use tsx). */
export function wireBundle(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    const name = `wire-worker-${sourcesHash(dirname(runtimeDir))}.cjs`;
    try {
      cached = build(join(runtimeDir, ".bundle"), name);
    } catch {
      cached = build(join(tmpdir(), "kernel-helpers-build"), name);
    }
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
