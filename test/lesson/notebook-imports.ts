/**
 * What a lesson or exercise notebook may import, checked without a kernel: the TypeScript compiler
 * parses every code cell and each module specifier is judged against the allowed sources.
 */
import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { joinSource, readNotebook } from "../../src/notebook/index.ts";

/** One module specifier found in a code cell, with where it is. */
export interface FoundImport {
  specifier: string;
  /** 0-based index into the notebook's `cells`. */
  cellIndex: number;
  /** 1-based line inside the cell. */
  line: number;
}

/** A specifier a notebook must not use, located for the error message. */
export interface ImportViolation extends FoundImport {
  file: string;
  reason: string;
}

/**
 * Every static import, `export ... from`, `import x = require()`, `require("...")` and `import("...")`
 * with a string literal in one cell's source. Strings that merely hold code (a worker's source text)
 * are not imports of the cell, so they are not reported.
 */
export function importsOfSource(source: string): Array<{ specifier: string; line: number }> {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: Array<{ specifier: string; line: number }> = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined) => {
    if (spec && ts.isStringLiteralLike(spec)) found.push({ specifier: spec.text, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal as ts.Expression);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The package a bare specifier names: `piscina/dist/x` -> `piscina`, `@scope/pkg/x` -> `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The `dependencies` declared in a package.json (not devDependencies: a learner's notebook runs on those). */
export function declaredDependencies(packageJson: string): Set<string> {
  const pkg = JSON.parse(readFileSync(packageJson, "utf8")) as { dependencies?: Record<string, string> };
  return new Set(Object.keys(pkg.dependencies ?? {}));
}

/**
 * Why a specifier is not allowed in a notebook at `notebookDir`, or undefined when it is: a local entry
 * point (`entries`: the helpers' public index; for exercise notebooks also the check cell's module),
 * a Node builtin (with or without `node:`), or a declared dependency.
 */
export function whyNotAllowed(specifier: string, notebookDir: string, entries: string | readonly string[], dependencies: Set<string>): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    const wanted = (typeof entries === "string" ? [entries] : entries).map((e) => path.relative(notebookDir, e).split(path.sep).join("/").replace(/\.ts$/, ""));
    if (wanted.includes(specifier)) return undefined;
    return `a notebook here imports local code only through ${wanted.map((w) => `"${w}"`).join(" or ")} (the helpers' public entry point${wanted.length > 1 ? ", the check cell's module" : ""})`;
  }
  if (specifier.startsWith("node:")) return builtinModules.includes(specifier.slice(5)) || builtinModules.includes(specifier) ? undefined : "not a Node builtin";
  if (builtinModules.includes(specifier)) return undefined;
  if (dependencies.has(packageName(specifier))) return undefined;
  return `"${packageName(specifier)}" is neither a Node builtin nor a dependency declared in package.json`;
}

/**
 * Every disallowed import in a notebook's code cells. `asIfIn` judges relative imports as if the
 * notebook lived in that folder (for fixtures kept elsewhere).
 */
export async function importViolations(file: string, helpersIndex: string | readonly string[], dependencies: Set<string>, asIfIn?: string): Promise<ImportViolation[]> {
  const nb = await readNotebook(file);
  const dir = asIfIn ?? path.dirname(path.resolve(file));
  const out: ImportViolation[] = [];
  nb.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== "code") return;
    for (const found of importsOfSource(joinSource(cell.source))) {
      const reason = whyNotAllowed(found.specifier, dir, helpersIndex, dependencies);
      if (reason) out.push({ file, cellIndex, line: found.line, specifier: found.specifier, reason });
    }
  });
  return out;
}
