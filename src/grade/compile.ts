import { ts, type TS } from "./typescript.ts";

/**
 * Matches what a notebook or a `.ts` file may write to import the helpers' entry point, from
 * wherever it sits: "../../kernel-helpers/index", "./kernel-helpers/index.ts", "kernel-helpers".
 */
const HELPERS_ENTRY = /^(?:\.{1,2}\/)*(?:[\w.-]+\/)*kernel-helpers(?:\/index(?:\.[cm]?[jt]s)?)?$/;

/** The specifier the sandbox's copy of the helpers answers to (relative to the sandbox folder). */
export const SANDBOX_HELPERS = "./kernel-helpers/index.js";

/** Names a module declares at top level without exporting them (notebook cells rarely say `export`). */
function unexportedTopLevel(source: TS.SourceFile): string[] {
  const names: string[] = [];
  const exported = (node: TS.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (exported(statement)) continue;
    if (
      (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.push(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    }
  }
  return names;
}

/**
 * Compile a submission (or a probe module) to CommonJS, as tslab does for a cell: types are erased,
 * not checked. Top-level declarations are exported (unless `exportAll: false`, for library
 * modules), and imports of the helpers' entry point are pointed at the sandbox's copy.
 */
export function compileModule(code: string, fileName = "submission.ts", options: { exportAll?: boolean } = {}): string {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = options.exportAll === false ? [] : unexportedTopLevel(source);
  const full = names.length > 0 ? `${code}\n;export { ${names.join(", ")} };\n` : code;
  const out = ts.transpileModule(full, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: false,
    },
  });
  return out.outputText.replace(/require\((["'])([^"']+)\1\)/g, (whole, _q: string, spec: string) =>
    HELPERS_ENTRY.test(spec) ? `require(${JSON.stringify(SANDBOX_HELPERS)})` : whole,
  );
}

/** Syntax errors of a submission, as `line L, column C: message` (empty when it parses). */
export function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, {
    fileName: "submission.ts",
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS },
  });
  return (out.diagnostics ?? []).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `line ${line + 1}, column ${character + 1}: ${text}`;
    }
    return text;
  });
}
