/**
 * The live lesson's browser assets, bundled with esbuild from `src/live/browser/` and the helpers' sources:
 * `assets/live/loader.js` (the Run buttons: the only script a page loads before Run is pressed),
 * `kernel.js` (the kernel worker, with sucrase and acorn), `thread.js` (every thread's bootstrap),
 * `helpers.js` (kernel-helpers for the browser, loaded by the first cell that imports them) and `live-sw.js` at
 * the site's root (the service worker that isolates a plain static host). Built once per change of their
 * sources (a hash of paths, sizes and times names the cache folder), then copied into each site.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import { CourseError } from "../errors.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const browserDir = path.join(here, "browser");
const helpersDir = path.join(root, "kernel-helpers");
const platformDir = path.join(helpersDir, "platform", "browser");

/** The files a site gets, relative to its root. */
export const LIVE_FILES = [
  "assets/live/loader.js",
  "assets/live/live.css",
  "assets/live/kernel.js",
  "assets/live/thread.js",
  "assets/live/helpers.js",
  "live-sw.js",
] as const;

// Helpers modules that are Node-only by nature, and their browser backends (kernel-helpers/platform/browser/).
const REPLACED: Record<string, string> = {
  "runtime/paths.ts": "paths.ts",
  "runtime/bundle.ts": "bundle.ts",
  "viz/display.ts": "display.ts",
  "http/test-server.ts": "test-server.ts",
  "process/process.ts": "process.ts",
  "pools/process-pool.ts": "process-pool.ts",
};

const NODE_BUILTIN = /^(node:)?(worker_threads|os|path|events|util|perf_hooks|timers|timers\/promises|async_hooks|v8|vm|url|module|crypto|fs|fs\/promises|child_process|net|http|https|stream|assert|buffer)$/;

/**
 * Maps the helpers onto the browser: Node's modules to the realm's `require` (the shims that kernel.js and
 * thread.js installed: one instance per worker, shared with the cells), piscina to a small pool over those
 * workers, and the Node-only modules to their browser backends.
 */
const helpersForBrowser: Plugin = {
  name: "helpers-for-browser",
  setup(b) {
    b.onResolve({ filter: NODE_BUILTIN }, (args) => ({ path: args.path.replace(/^node:/, ""), namespace: "realm" }));
    b.onResolve({ filter: /^tsx\/cjs\/api$/ }, () => ({ path: "tsx", namespace: "realm-stub" }));
    b.onResolve({ filter: /^piscina$/ }, () => ({ path: path.join(platformDir, "piscina.ts") }));
    b.onLoad({ filter: /.*/, namespace: "realm" }, (args) => ({
      contents: `module.exports = globalThis.require(${JSON.stringify(`node:${args.path}`)});`,
      loader: "js",
    }));
    b.onLoad({ filter: /.*/, namespace: "realm-stub" }, () => ({
      contents: "module.exports = { register() {} };",
      loader: "js",
    }));
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.importer.startsWith(platformDir)) return undefined;
      const base = path.resolve(args.resolveDir, args.path);
      for (const [from, to] of Object.entries(REPLACED)) {
        const target = path.join(helpersDir, from);
        if (base === target || `${base}.ts` === target) return { path: path.join(platformDir, to) };
      }
      return undefined;
    });
  },
};

async function sourcesHash(): Promise<string> {
  const hash = createHash("sha1");
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (/\.(ts|cjs|js|css)$/.test(entry.name)) {
        const s = await stat(file);
        hash.update(`${file}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  await walk(here);
  await walk(helpersDir);
  return hash.digest("hex").slice(0, 16);
}

async function bundleAll(outDir: string): Promise<void> {
  // Loaded only when the bundles must be built: esbuild's API costs about 70 ms of CPU to load, and a
  // site build whose bundles are current (nearly every one) never needs it.
  const { build } = await import("esbuild");
  const common = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome110",
    legalComments: "none",
    logLevel: "silent",
    charset: "utf8",
  } as const;
  const entry = (name: string) => path.join(browserDir, name);
  await mkdir(path.join(outDir, "assets", "live"), { recursive: true });
  await Promise.all([
    copyFile(path.join(browserDir, "live.css"), path.join(outDir, "assets/live/live.css")),
    build({ ...common, entryPoints: [entry("loader.ts")], outfile: path.join(outDir, "assets/live/loader.js"), minify: true }),
    build({ ...common, entryPoints: [entry("kernel.ts")], outfile: path.join(outDir, "assets/live/kernel.js"), minify: true }),
    build({ ...common, entryPoints: [entry("thread.ts")], outfile: path.join(outDir, "assets/live/thread.js"), minify: true }),
    build({ ...common, entryPoints: [entry("sw.ts")], outfile: path.join(outDir, "live-sw.js"), minify: true }),
    build({
      ...common,
      entryPoints: [path.join(platformDir, "entry.ts")],
      outfile: path.join(outDir, "assets/live/helpers.js"),
      plugins: [helpersForBrowser],
      define: { __dirname: JSON.stringify("/kernel-helpers/runtime") },
      // Names kept: errors and stacks from the helpers name their functions.
      minifyWhitespace: true,
      minifySyntax: true,
    }),
  ]);
}

/** The bundles' folder for the current sources, built if missing (atomically: two builds may race). */
export async function liveBundles(cacheRoot = path.join(os.tmpdir(), "tsnb-live")): Promise<string> {
  const dir = path.join(cacheRoot, await sourcesHash());
  if (await stat(path.join(dir, "live-sw.js")).catch(() => undefined)) return dir;
  const partial = `${dir}.${process.pid}.${Date.now()}.partial`;
  try {
    await bundleAll(partial);
    await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another build finished first: keep its copy.
      await rm(partial, { recursive: true, force: true });
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw new CourseError("ERR_LIVE_BUNDLE", `could not bundle the live lesson runtime (src/live/browser): ${String(error)}`, { cause: error });
  }
  return dir;
}

/** Copies the live runtime into the site folder `out` (see {@link LIVE_FILES}). */
export async function copyLiveAssets(out: string): Promise<void> {
  const dir = await liveBundles();
  await mkdir(path.join(out, "assets", "live"), { recursive: true });
  await Promise.all(LIVE_FILES.map((file) => copyFile(path.join(dir, file), path.join(out, file))));
}
