// @ts-check
// The entry of a V8 startup snapshot of the tslab kernel (`node --snapshot-blob FILE --build-snapshot
// tslab-snapshot.cjs`, run by ./snapshot.ts; never loaded with `require`).
//
// Why: a tslab start is ~1.2 s of CPU, and most of it is TypeScript parsing and binding the same ~190
// declaration files every time (lib.es2022.*.d.ts and node_modules/@types), before the first cell.
// Here that work is done once: TypeScript is loaded, the files parsed and bound, and the heap saved.
// A kernel started from the snapshot (`node --snapshot-blob FILE kernel --config-path F`) gets those
// SourceFile objects back from a cache that TypeScript's own `createSourceFile` consults first.
//
// Correctness: a cached file is handed out only for the same path, the same text (compared in full)
// and the same parse options; anything else is parsed as usual. Bound declaration files do not depend
// on compiler options (the binder's strict mode for .d.ts files does not read them), and the checker
// shares bound files between programs by design (TypeScript's document registry does the same), so the
// program tslab builds is the one it would have built. Each cached file is handed out once.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const v8 = require("node:v8");
const Module = require("node:module");

const root = process.env["TSNB_SNAPSHOT_ROOT"];
if (!root) throw new Error("tslab-snapshot.cjs is run by src/kernel/snapshot.ts (TSNB_SNAPSHOT_ROOT unset)");
// Paths only: the require functions made here belong to the build (a kernel makes its own, below).
const tslabBin = path.join(
  path.dirname(Module.createRequire(path.join(root, "package.json")).resolve("tslab/package.json")),
  "bin",
  "tslab",
);
const tsFile = Module.createRequire(tslabBin).resolve("@tslab/typescript-for-tslab");
/** tslab's own @types (its @types/node): its type roots in a folder with no @types/node above (see below). */
const tslabTypes = path.join(path.dirname(path.dirname(tslabBin)), "node_modules", "@types");

/** The hook: TypeScript's createSourceFile asks the cache first. The anchor must match exactly once. */
const ANCHOR =
  "  function createSourceFile(fileName, sourceText, languageVersionOrOptions, setParentNodes = false, scriptKind) {\n";
const HOOK =
  "    { const cached = globalThis.__tsnbTakeSourceFile?.(fileName, sourceText, languageVersionOrOptions, setParentNodes, scriptKind); if (cached) return cached; }\n";

/**
 * tslab's TypeScript 5.0, typed by the project's TypeScript, plus two of its internals used here.
 * @typedef {typeof import("typescript") & {
 *   getDefaultTypeRoots(dir: string, host: { directoryExists(path: string): boolean }): string[] | undefined;
 *   bindSourceFile(file: import("typescript").SourceFile, options: import("typescript").CompilerOptions): void;
 * }} TypeScript
 */

/** TypeScript (one CommonJS file that requires only Node's built-ins), loaded with the hook. */
function loadTypeScript() {
  const source = fs.readFileSync(tsFile, "utf8");
  const at = source.indexOf(ANCHOR);
  if (at < 0 || source.indexOf(ANCHOR, at + 1) >= 0)
    throw new Error(`unknown TypeScript build at ${tsFile}: createSourceFile is not where tslab 1.0.22's is`);
  const patched = source.slice(0, at + ANCHOR.length) + HOOK + source.slice(at + ANCHOR.length);
  // Indirect eval, not `vm`: vm is not supported in snapshot builders. The sourceURL keeps stack traces readable.
  /** @type {(exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void} */
  const factory = (0, eval)(`${Module.wrap(patched)}\n//# sourceURL=${tsFile}`);
  const module = { exports: {} };
  // source-map-support is optional in TypeScript (try/catch around its require); the rest are built-ins.
  const builtinsOnly = /** @type {NodeJS.Require} */ (
    /** @type {unknown} */ (
      (/** @type {string} */ id) => {
        if (!Module.isBuiltin(id)) throw new Error(`not available in the snapshot: ${id}`);
        return require(id);
      }
    )
  );
  factory(module.exports, builtinsOnly, module, tsFile, path.dirname(tsFile));
  return /** @type {TypeScript} */ (module.exports);
}

const ts = loadTypeScript();
/**
 * What tslab 1.0.22 compiles with on Node >= 18 (converter.js getTranspileTargets and createConverter).
 * @param {string[]} typeRoots
 */
const compilerOptions = (typeRoots) => ({
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  resolveJsonModule: true,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  declaration: true,
  typeRoots,
});

/** @type {Map<string, import("typescript").SourceFile>} */
const cache = new Map();
/** The program's one root file, in memory: an empty module (the declaration files come with it). */
const entry = path.join(root, "__tsnb_snapshot__.ts");
/**
 * Parse and bind every declaration file a program with these type roots loads, into the cache.
 * @param {string[]} typeRoots
 */
function cacheDeclarations(typeRoots) {
  const options = compilerOptions(typeRoots);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  const fileExists = host.fileExists;
  host.fileExists = (f) => f === entry || fileExists(f);
  host.getSourceFile = (f, ...rest) =>
    f === entry ? ts.createSourceFile(f, "export {};\n", ts.ScriptTarget.ES2022) : getSourceFile(f, ...rest);
  const program = ts.createProgram([entry], options, host);
  for (const file of program.getSourceFiles()) {
    if (file.fileName === entry || !file.isDeclarationFile) continue;
    ts.bindSourceFile(file, options);
    cache.set(file.fileName, file);
  }
}
// tslab's type roots depend on the kernel's folder (converter.js getTypeRoots): a notebook in this
// project gets the project's node_modules/@types; one in a folder with no @types/node above it (a
// temporary folder, a course folder outside the project) gets tslab's own @types, an older @types/node.
// One blob per set (TSNB_SNAPSHOT_TYPES, chosen by ./snapshot.ts from the kernel's folder): a blob of
// the project's set alone left a kernel in a temporary folder parsing all of tslab's @types/node again
// (2.0-2.3 s of CPU, no faster than without the snapshot), and one blob of both sets costs every start
// ~40% more to deserialize (68 MB instead of 50).
const types = process.env["TSNB_SNAPSHOT_TYPES"];
if (types === "tslab") cacheDeclarations([tslabTypes]);
else if (types === "project")
  cacheDeclarations(ts.getDefaultTypeRoots(root, { directoryExists: ts.sys.directoryExists }) ?? []);
else throw new Error(`TSNB_SNAPSHOT_TYPES is "project" or "tslab", not ${JSON.stringify(types)}`);

/**
 * @param {string} fileName
 * @param {string} text
 * @param {number | { languageVersion: number }} languageVersionOrOptions
 * @param {boolean} setParentNodes
 * @param {number | undefined} scriptKind
 */
function takeSourceFile(fileName, text, languageVersionOrOptions, setParentNodes, scriptKind) {
  const file = cache.get(fileName);
  if (!file || file.text !== text || setParentNodes || scriptKind !== undefined) return undefined;
  const options = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : undefined;
  const version = options ? options.languageVersion : languageVersionOrOptions;
  // An options object may also set the module format (node16/nodenext resolution); tslab uses Node10.
  const otherOptions = options
    ? Object.entries(options).filter(
        ([k, v]) => v !== undefined && k !== "languageVersion" && k !== "setExternalModuleIndicator",
      )
    : [];
  if (version !== file.languageVersion || otherOptions.length > 0) return undefined;
  cache.delete(fileName); // handed out once: a second program must not share this one's mutable state
  return file;
}
/**
 * The declaration files under node_modules (TypeScript's libs, @types) a kernel had to parse itself: a
 * cell can read `globalThis.__tsnbSnapshotMisses`, and test/integration/tslab-snapshot.test.ts expects
 * none in a fresh kernel, whatever its folder. @type {string[]}
 */
const misses = [];
/** @type {Record<string, unknown>} */ (globalThis)["__tsnbSnapshotMisses"] = misses;
/** @type {Record<string, unknown>} */ (globalThis)["__tsnbTakeSourceFile"] = (
  /** @type {Parameters<typeof takeSourceFile>} */ ...args
) => {
  const file = takeSourceFile(...args);
  if (!file && args[0].endsWith(".d.ts") && args[0].includes("/node_modules/")) misses.push(args[0]);
  return file;
};

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // The build's Error.stackTraceLimit does not survive (TypeScript saves and restores it around file
  // probes while Node removes it for serialisation): without it errors have no stack, and a failing
  // cell would print "[Error: message]" instead of its stack. Node's default is 10.
  if (typeof Error.stackTraceLimit !== "number") Error.stackTraceLimit = 10;
  // Children and forks inherit execArgv: without this a child process would start this kernel again.
  const at = process.execArgv.indexOf("--snapshot-blob");
  if (at >= 0) process.execArgv.splice(at, 2);
  // TypeScript memoised the working directory of the build: the kernel's is the notebook's folder.
  ts.sys.getCurrentDirectory = () => process.cwd();
  // tslab's `require("@tslab/typescript-for-tslab")` gets this TypeScript, cache included.
  const cached = new Module(tsFile);
  cached.filename = tsFile;
  cached.loaded = true;
  cached.exports = ts;
  const tslabRequire = Module.createRequire(tslabBin);
  tslabRequire.cache[tsFile] = cached;
  process.argv = [process.argv[0] ?? process.execPath, tslabBin, ...process.argv.slice(1)];
  tslabRequire(tslabBin);
});
