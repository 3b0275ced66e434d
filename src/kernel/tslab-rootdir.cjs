#!/usr/bin/env node
// @ts-check
// Patches the installed tslab (run by `npm install` as the postinstall script; idempotent) so that a
// notebook can import local TypeScript modules from a folder above its own:
// notebooks/NN.ipynb imports "../kernel-helpers/index", exercises "../../kernel-helpers/index".
// Three patches (converter.js twice, executor.js once), each with its own marker:
//
// Why: tslab 1.0.22 compiles every cell with `rootDir` = the kernel's working directory (the notebook's
// folder), so a .ts file outside it fails with "File '.../kernel-helpers/index.ts' is not under 'rootDir'",
// and its emitted output would land outside tslab's `outDir` ("unexpected emit path"). The patch widens
// `rootDir` to the project root, i.e. the nearest folder at or above the working directory that holds a
// package.json (the working directory itself when there is none, which is tslab's own behaviour), and maps
// the cell's output file and the side outputs of imported modules under that root.
//
// Why (executor.js): tslab loads a cell's local modules itself and caches each one only after its code has
// run, so two modules that import each other (a cycle, which Node allows) recurse until "Maximum call stack
// size exceeded". The patch caches the module before running it, as Node's own loader does: the second
// import of a cycle then sees the first module's partial exports, exactly as under plain Node.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MARKER = "/* tsnb: rootDir = project root */";
const CYCLE_MARKER = "/* tsnb: cache before compile (import cycles) */";
const TIER_MARKER = "/* tsnb: TypeScript's functions stay out of TurboFan */";

/** @typedef {Array<[from: string, to: string]>} Edits */

/** The edits, as [tslab's original text, the replacement]. Each original must occur exactly once. @type {Edits} */
const EDITS = [
  [
    'const dstFilename = (0, tspath_1.normalizeJoin)(outDir, "__tslab__.js");',
    `${MARKER}
    const tsnbRoot = (() => {
        for (let dir = cwd;; dir = path_1.default.dirname(dir)) {
            if (require("fs").existsSync(path_1.default.join(dir, "package.json"))) return (0, tspath_1.normalizeSlashes)(dir);
            if (path_1.default.dirname(dir) === dir) return cwd;
        }
    })();
    const tsnbSub = path_1.default.relative(tsnbRoot, cwd);
    const dstFilename = (0, tspath_1.normalizeJoin)(outDir, tsnbSub, "__tslab__.js");`,
  ],
  [
    'const dstDeclFilename = (0, tspath_1.normalizeJoin)(outDir, "__tslab__.d.ts");',
    'const dstDeclFilename = (0, tspath_1.normalizeJoin)(outDir, tsnbSub, "__tslab__.d.ts");',
  ],
  ["rootDir: cwd,", "rootDir: tsnbRoot,"],
  ["path: (0, tspath_1.normalizeJoin)(cwd, rel),", "path: (0, tspath_1.normalizeJoin)(tsnbRoot, rel),"],
];

/** @type {Edits} */
const CYCLE_EDITS = [
  [
    `        mod._compile(sideOutputs.get(filename), filename);
        sideModules.set(filename, mod);`,
    `        ${CYCLE_MARKER}
        sideModules.set(filename, mod);
        try {
            mod._compile(sideOutputs.get(filename), filename);
        } catch (error) {
            sideModules.delete(filename);
            throw error;
        }`,
  ],
];

/**
 * Why (converter.js, TurboFan): a kernel's TypeScript compiles every cell, and V8 optimises its hottest
 * functions (the checker's) with TurboFan on helper threads: measured over the ten cells of
 * test/fixtures/executor/ten-cells.ipynb, 380-440 ms of helper CPU per kernel (a third of its CPU), for
 * no gain on the kernel's main thread (850-930 ms either way). That work competes with the other
 * kernel under `tsnb run --jobs 2` on two cores. The patch turns TurboFan off while tslab converts,
 * inspects or completes, and back on before the cell runs, so the cell's own code (and its workers,
 * which share V8's flags) is optimised as usual. Not done when the kernel was started without TurboFan
 * (--jitless, --no-opt, ...): the patch would turn it on.
 * @type {Edits}
 */
const TIER_EDITS = [
  [
    `    return {
        close,
        convert,
        inspect,
        complete,
        addModule,
    };`,
    `    ${TIER_MARKER}
    const tsnbColdTier = (() => {
        const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS || "").split(/\\s+/)];
        if (flags.some((f) => /^--(jitless|no-opt|no-turbofan|max-opt)\\b/.test(f))) return (f) => f;
        const v8 = require("v8");
        return (f) => function (...args) {
            v8.setFlagsFromString("--no-turbofan");
            try {
                return f.apply(this, args);
            } finally {
                v8.setFlagsFromString("--turbofan");
            }
        };
    })();
    return {
        close,
        convert: tsnbColdTier(convert),
        inspect: tsnbColdTier(inspect),
        complete: tsnbColdTier(complete),
        addModule,
    };`,
  ],
];

/**
 * Patches tslab's converter.js in place; returns what it did.
 * @param {string} converterFile
 */
function patchTslab(converterFile) {
  return patchFile(converterFile, MARKER, EDITS);
}

/**
 * Patches tslab's converter.js in place (no TurboFan while it compiles); returns what it did.
 * @param {string} converterFile
 */
function patchTier(converterFile) {
  return patchFile(converterFile, TIER_MARKER, TIER_EDITS);
}

/**
 * Patches tslab's executor.js in place (module cache before compile); returns what it did.
 * @param {string} executorFile
 */
function patchExecutor(executorFile) {
  return patchFile(executorFile, CYCLE_MARKER, CYCLE_EDITS);
}

/**
 * Applies `edits` to `file` (atomically: a temporary file renamed over it) unless `marker` shows they are in.
 * @param {string} file
 * @param {string} marker
 * @param {Edits} edits
 * @returns {"already patched" | "patched"}
 */
function patchFile(file, marker, edits) {
  const source = fs.readFileSync(file, "utf8");
  if (source.includes(marker)) return "already patched";
  let patched = source;
  for (const [from, to] of edits) {
    const count = patched.split(from).length - 1;
    if (count !== 1)
      throw new Error(`${file}: expected the text \`${from}\` once, found it ${count} times (another tslab version?)`);
    patched = patched.replace(from, to);
  }
  const tmp = `${file}.tsnb-tmp`;
  fs.writeFileSync(tmp, patched);
  fs.renameSync(tmp, file);
  return "patched";
}

function converterPath() {
  try {
    return path.join(
      path.dirname(require.resolve("tslab/package.json", { paths: [path.join(__dirname, "..", "..")] })),
      "dist",
      "converter.js",
    );
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  const file = converterPath();
  if (!file || !fs.existsSync(file)) {
    console.log("tsnb: tslab is not installed; nothing to patch");
  } else {
    const executor = path.join(path.dirname(file), "executor.js");
    /** @type {Array<[target: string, patch: (file: string) => string, what: string]>} */
    const patches = [
      [file, patchTslab, "notebooks may import ../kernel-helpers/index"],
      [executor, patchExecutor, "local modules may import each other in a cycle"],
      [file, patchTier, "no TurboFan while tslab compiles a cell"],
    ];
    for (const [target, patch, what] of patches) {
      try {
        console.log(`tsnb: ${patch(target)} ${path.relative(process.cwd(), target)} (${what})`);
      } catch (error) {
        // Never fail an install over this: the notebooks that import the helpers will say what is wrong.
        console.warn(`tsnb: could not patch tslab: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

module.exports = {
  patchTslab,
  patchExecutor,
  patchTier,
  converterPath,
  MARKER,
  CYCLE_MARKER,
  TIER_MARKER,
  EDITS,
  CYCLE_EDITS,
  TIER_EDITS,
};
