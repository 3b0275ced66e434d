/**
 * Did the kernel run the saved solution? The check cell sends what the kernel holds (tslab keeps
 * each cell's top-level names in `__tslab__.exports`; a function or class keeps its compiled source,
 * `toString()`); this compares it with the saved solution cells compiled as tslab compiles a cell
 * (types erased, CommonJS, ES2022), token by token, so whitespace and comments never count.
 */
import { ts } from "../typescript.ts";

/** A top-level name as the kernel holds it: its `typeof`, and its source when it is a function or class. */
export interface LiveDefinition {
  type: string;
  source?: string;
}

/** How the kernel's definitions relate to the saved solution. */
export type KernelMatch =
  | { state: "same" }
  /** The saved solution declares names the kernel does not know: its cell was never run. */
  | { state: "not-run"; names: string[] }
  /** The kernel knows the names, but runs other code for some (unsaved edits, or edits not run). */
  | { state: "differs"; names: string[] }
  /** Not a tslab kernel, or the solution declares nothing to compare. */
  | { state: "unknown" };

/** The top-level declarations of compiled code: name -> the text of its function or class (undefined for other values). */
function declarations(js: string): Map<string, string | undefined> {
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out = new Map<string, string | undefined>();
  for (const s of file.statements) {
    if ((ts.isClassDeclaration(s) || ts.isFunctionDeclaration(s)) && s.name) {
      out.set(s.name.text, s.getText(file));
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const init = d.initializer;
        // `const node_os_1 = require("node:os")`: an import; tslab keeps the imported names instead.
        if (init && /^(?:__import(?:Default|Star)\()?require\(/.test(init.getText(file))) continue;
        const code =
          init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isClassExpression(init))
            ? init.getText(file)
            : undefined;
        out.set(d.name.text, code);
      }
    }
  }
  return out;
}

/**
 * The tokens of JavaScript source, trivia (whitespace, comments) skipped. No rescanning of regular
 * expressions or template parts: both sides are scanned alike, so equal code gives equal tokens.
 */
function tokens(code: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan())
    out.push(scanner.getTokenText());
  return out;
}

const sameTokens = (a: string, b: string) => {
  const x = tokens(a);
  const y = tokens(b);
  return x.length === y.length && x.every((t, i) => t === y[i]);
};

/** Compare the saved solution (TypeScript) with what the kernel holds (`live`, or null outside tslab). */
export function compareWithKernel(savedCode: string, live: Record<string, LiveDefinition> | null): KernelMatch {
  if (live === null) return { state: "unknown" };
  const js = ts.transpileModule(savedCode, {
    fileName: "cell.ts",
    reportDiagnostics: false,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const saved = declarations(js);
  if (saved.size === 0) return { state: "unknown" };
  const missing = [...saved.keys()].filter((name) => !(name in live));
  if (missing.length > 0) return { state: "not-run", names: missing };
  const differ = [...saved].filter(([name, code]) => {
    const held = live[name]!;
    if (code === undefined) return false; // a plain value: its presence is all we can compare
    return held.source === undefined || !sameTokens(code, held.source);
  });
  return differ.length > 0 ? { state: "differs", names: differ.map(([name]) => name) } : { state: "same" };
}
