// Preload for the tslab kernel (node --require): lets a notebook import local TypeScript modules that live
// outside its own folder (notebooks/NN.ipynb importing "../kernel-helpers/index").
//
// tslab 1.0.x compiles every cell with `rootDir` = the kernel's working directory (the notebook's folder) and
// refuses local modules outside it ("File ... is not under 'rootDir'"). This hook rewrites tslab's
// converter as it loads so that rootDir is the project root (the nearest ancestor folder with a
// package.json), keeping the cell's own output path and the side outputs' paths consistent with it.
"use strict";
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");

const CONVERTER = path.join("tslab", "dist", "converter.js");
const originalJs = Module._extensions[".js"];

/** The nearest ancestor of `dir` (itself included) holding a package.json; `dir` if none. */
function projectRoot(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, "package.json"))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

const edits = [
  ["const cwd = ts.sys.getCurrentDirectory();", "const cwd = ts.sys.getCurrentDirectory();\n    const __root = __tslabRoot(cwd);\n    const __sub = path_1.default.relative(__root, cwd);"],
  ['const dstFilename = (0, tspath_1.normalizeJoin)(outDir, "__tslab__.js");', 'const dstFilename = (0, tspath_1.normalizeJoin)(outDir, __sub, "__tslab__.js");'],
  ['const dstDeclFilename = (0, tspath_1.normalizeJoin)(outDir, "__tslab__.d.ts");', 'const dstDeclFilename = (0, tspath_1.normalizeJoin)(outDir, __sub, "__tslab__.d.ts");'],
  ["rootDir: cwd,", "rootDir: __root,"],
  ["path: (0, tspath_1.normalizeJoin)(cwd, rel),", "path: (0, tspath_1.normalizeJoin)(__root, rel),"],
];

Module._extensions[".js"] = function (module, filename) {
  if (!filename.endsWith(CONVERTER)) return originalJs(module, filename);
  let source = fs.readFileSync(filename, "utf8");
  for (const [from, to] of edits) {
    if (!source.includes(from)) return originalJs(module, filename); // another tslab version: leave it alone
    source = source.replace(from, to);
  }
  module.__tslabRoot = projectRoot;
  module._compile(`const __tslabRoot = module.__tslabRoot;\n${source}`, filename);
};
