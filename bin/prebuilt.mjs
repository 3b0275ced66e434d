// @ts-check
/**
 * The prebuilt site path of the CLI: `tsnb site`, `tsnb start`, `tsnb serve`, `--help` and `--version`
 * run from an esbuild bundle of their sources instead of through tsx's loader, which transpiles and
 * loads each TypeScript module through a hooks thread at every start (measured on the site fixtures:
 * `tsnb --help` 0.31 s of CPU through tsx, 0.08 s from the bundle; a cold `tsnb site --no-execute`
 * 1.3 s against 0.6 s). Every other command runs through tsx as before.
 *
 * The bundle is built by `npm ci` (postinstall) into `node_modules/.cache/tsnb-cli/`, and again by the
 * first command after one of its inputs changed: `current.json` records each source file's size and
 * mtime as read, and a command whose inputs no longer match rebuilds (about 0.3 s) or, if that fails,
 * runs through tsx, which reports the error as it always did. So the bundle is never older than the
 * sources it was built from.
 *
 * File-relative paths keep working: each bundled source file's `import.meta.url` is replaced with that
 * file's own URL, so `new URL("./watchdog.cjs", import.meta.url)`, `createRequire(import.meta.url)` and
 * the site's assets resolve exactly as they do under tsx. Packages stay external (loaded from
 * node_modules as usual) except the pure renderers of the site, which are bundled in.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, utimesSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import module from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, "node_modules", ".cache", "tsnb-cli");
const currentFile = path.join(cacheDir, "current.json");

/** The commands the bundle carries (their modules, as src/cli.ts loads them); any other runs through tsx. */
const BUNDLED = {
  site: "src/site/cli/site-command.ts",
  serve: "src/site/cli/serve-command.ts",
  start: "src/commands/start.ts",
};

/** Packages bundled in (pure JavaScript, no files of their own read at run time): the site's renderers. */
const INLINED = /^(shiki|@shikijs\/[^/]+|katex|markdown-it|markdown-it-texmath|anser|sanitize-html|minisearch)(\/|$)/;

/** Files besides the bundled sources whose change means a rebuild. */
const ALSO = ["package.json", "package-lock.json", "tsconfig.json", "bin/prebuilt.mjs"];

/**
 * Bundled versions no command has started from for this long are removed when a new one is built (a
 * command still running may load a chunk of the version it started with; each start marks its folder).
 */
const KEEP_OLD_MS = 60 * 60 * 1000;

/**
 * Whether `tsnb <argv>` runs from the bundle: a bundled command, or the top-level help or version.
 * @param {string[]} argv
 */
export function usesBundle(argv) {
  const [name, topic, ...rest] = argv;
  if (name === undefined || name === "--version" || name === "-V") return true;
  if (name === "--help" || name === "-h" || name === "help") return topic === undefined || (topic in BUNDLED && !rest.length);
  return name in BUNDLED;
}

/**
 * @typedef {Record<string, [size: number, mtimeMs: number]>} InputState
 * @typedef {{ dir: string, inputs: InputState }} Current
 */

/** @param {string} file @returns {[number, number] | undefined} */
function statOf(file) {
  try {
    const s = statSync(path.join(root, file));
    return [s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
}

/** The bundle's entry URL when `current.json` names a bundle whose inputs are unchanged. @returns {string | undefined} */
function freshEntry() {
  /** @type {Current} */
  let current;
  try {
    current = JSON.parse(readFileSync(currentFile, "utf8"));
  } catch {
    return undefined;
  }
  for (const [file, [size, mtime]] of Object.entries(current.inputs)) {
    const now = statOf(file);
    if (!now || now[0] !== size || now[1] !== mtime) return undefined;
  }
  const entry = path.join(cacheDir, current.dir, "cli.js");
  if (!existsSync(entry)) return undefined;
  // Marks the folder as in use: a build prunes only folders no command has used for KEEP_OLD_MS.
  try {
    const now = new Date();
    utimesSync(path.join(cacheDir, current.dir), now, now);
  } catch {
    // A read-only install: nothing is built or pruned there either.
  }
  return pathToFileURL(entry).href;
}

/**
 * Build the bundle into a new folder named by its inputs' state and make it current (atomically: two
 * commands may build at once; each folder is complete before `current.json` names it).
 * @returns {Promise<string>} the entry's URL
 */
export async function buildBundle() {
  const { build } = await import("esbuild");
  /** @type {InputState} */
  const inputs = {};
  for (const file of ALSO) {
    const s = statOf(file);
    if (s) inputs[file] = s;
  }
  const cli = path.join(root, "src", "cli.ts");
  const bundled = new Set(Object.values(BUNDLED).map((f) => path.join(root, f)));
  const tmp = path.join(cacheDir, `.build-${process.pid}-${Date.now()}`);
  /** @type {import("esbuild").Plugin} */
  const plugin = {
    name: "tsnb-prebuilt",
    setup(b) {
      // src/cli.ts loads each command on demand: the ones not bundled stay out (the CLI never reaches them here).
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.importer !== cli || args.kind !== "dynamic-import") return undefined;
        const target = path.resolve(path.dirname(cli), args.path);
        return bundled.has(target) ? undefined : { path: pathToFileURL(target).href, external: true };
      });
      // Packages: the site's pure renderers bundled in, every other one loaded from node_modules.
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:") || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        return INLINED.test(args.path) ? undefined : { path: args.path, external: true };
      });
      // The project's own sources: stat before reading (an edit during the build makes the record stale, not the bundle), and each keeps its own import.meta.url.
      b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
        const relative = path.relative(root, args.path);
        if (relative.startsWith("..") || relative.split(path.sep).includes("node_modules")) return undefined;
        const s = await stat(args.path);
        inputs[relative.split(path.sep).join("/")] = [s.size, s.mtimeMs];
        const text = (await readFile(args.path, "utf8")).replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href));
        if (/\bimport\.meta\b/.test(text)) throw new Error(`${relative}: import.meta other than import.meta.url cannot be bundled`);
        return { contents: text, loader: /\.ts$/.test(args.path) ? "ts" : "js" };
      });
    },
  };
  try {
    const { metafile } = await build({
      entryPoints: [cli],
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      legalComments: "none",
      plugins: [plugin],
      metafile: true,
      // CommonJS packages bundled in call require() for Node's built-ins.
      banner: { js: 'import { createRequire as __tsnbCreateRequire } from "node:module"; const require = __tsnbCreateRequire(import.meta.url);' },
    });
    // Which packages each file of the bundle carries: what a command loaded, for a test or a reader.
    /** @type {Record<string, string[]>} */
    const packages = {};
    for (const [out, { inputs: used }] of Object.entries(metafile.outputs)) {
      const names = Object.keys(used).map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1]).filter((n) => n !== undefined);
      packages[path.basename(out)] = [...new Set(names)].sort();
    }
    await writeFile(path.join(tmp, "packages.json"), JSON.stringify(packages, null, 1));
    const dir = createHash("sha256").update(JSON.stringify(Object.entries(inputs).sort())).digest("hex").slice(0, 16);
    await rename(tmp, path.join(cacheDir, dir)).catch(async (/** @type {NodeJS.ErrnoException} */ error) => {
      // The same bundle was built by another command meanwhile: keep that one.
      await rm(tmp, { recursive: true, force: true });
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    const next = `${currentFile}.${process.pid}`;
    await writeFile(next, JSON.stringify({ dir, inputs }));
    await rename(next, currentFile);
    await pruneOld(dir);
    return pathToFileURL(path.join(cacheDir, dir, "cli.js")).href;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** @param {string} keep */
async function pruneOld(keep) {
  for (const name of await readdir(cacheDir)) {
    if (name === keep || name === "v8" || name === "current.json" || name.startsWith(".build-") || name.startsWith("current.json."))
      continue;
    const s = await stat(path.join(cacheDir, name)).catch(() => undefined);
    if (s && s.isDirectory() && Date.now() - s.mtimeMs > KEEP_OLD_MS) await rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

/**
 * The bundled CLI's `main` for `argv`, or undefined when `argv` runs through tsx (not a bundled
 * command, or the bundle could not be built).
 * @param {string[]} argv
 * @returns {Promise<((argv: string[]) => Promise<number>) | undefined>}
 */
export async function bundledMain(argv) {
  if (!usesBundle(argv)) return undefined;
  let entry = freshEntry();
  if (!entry) {
    try {
      await mkdir(cacheDir, { recursive: true });
      entry = await buildBundle();
    } catch {
      return undefined;
    }
  }
  // Node 22.1 and later keep V8's compiled code of the bundle between runs (measured under Node 24: a
  // cold `tsnb site --no-execute` on the fixtures 0.63 -> 0.57 s of CPU); Node 20 has no such cache.
  /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (module).enableCompileCache?.(path.join(cacheDir, "v8"));
  return (/** @type {{ main(argv: string[]): Promise<number> }} */ (await import(entry))).main;
}

// `node bin/prebuilt.mjs`: build it now (npm ci's postinstall).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await mkdir(cacheDir, { recursive: true });
  await buildBundle();
}
