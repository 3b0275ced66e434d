/**
 * tslab's cell semantics on plain JavaScript: a cell's top-level declarations (const/let/var, functions,
 * classes, imports) become globals of the kernel worker, which every later cell sees; top-level `await` works,
 * and the value of a last expression statement is returned. The cell runs as `async function () { ... }` in
 * sloppy mode: each top-level declaration is rewritten in place into an assignment (`const x = 1` -> `(x = 1)`)
 * to a global the kernel defined first, so line and column numbers stay those of the cell (errors name the
 * cell's own line). Functions keep their declarations (hoisting, and their source text, which threads run).
 * Why globals and not a `with (scope)` block: V8 deoptimises every free-name lookup inside `with` (measured 5x
 * slower loops), which would make the sequential half of each speedup demo look slower than it is.
 */
import { parse, type Node } from "acorn";

interface Edit {
  start: number;
  end: number;
  text: string;
  seq?: number;
}

/** A rewritten cell: the code to evaluate and the names it declares (to define on the scope first). */
export interface RewrittenCell {
  code: string;
  names: string[];
}

interface Pattern extends Node {
  name?: string;
  properties?: (Pattern & { value?: Pattern; argument?: Pattern })[];
  elements?: (Pattern | null)[];
  left?: Pattern;
  argument?: Pattern;
  value?: Pattern;
}

function patternNames(node: Pattern | null | undefined, out: string[]): void {
  if (!node) return;
  switch (node.type) {
    case "Identifier":
      out.push(node.name!);
      break;
    case "ObjectPattern":
      for (const p of node.properties ?? []) patternNames(p.type === "RestElement" ? p.argument : p.value, out);
      break;
    case "ArrayPattern":
      for (const e of node.elements ?? []) patternNames(e, out);
      break;
    case "AssignmentPattern":
      patternNames(node.left, out);
      break;
    case "RestElement":
      patternNames(node.argument, out);
      break;
  }
}

type AnyNode = Node & Record<string, unknown>;

function moduleName(node: AnyNode): string {
  return JSON.stringify((node.source as { value: string }).value);
}

/** Rewrites a cell's JavaScript (types already stripped); throws acorn's SyntaxError with `loc` on bad input. */
export function rewriteCell(js: string): RewrittenCell {
  const program = parse(js, {
    ecmaVersion: "latest",
    sourceType: "module",
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    allowHashBang: true,
  }) as unknown as { body: AnyNode[] };
  const edits: Edit[] = [];
  const names: string[] = [];
  const hoisted: string[] = [];
  const body = program.body;
  body.forEach((original, index) => {
    let node = original;
    if (node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration") {
      const declaration = node.declaration as AnyNode | null;
      if (!declaration) {
        edits.push({ start: node.start, end: node.end, text: "" });
        return;
      }
      edits.push({ start: node.start, end: declaration.start, text: "" });
      node = declaration;
    }
    switch (node.type) {
      case "ImportDeclaration": {
        const from = `__import(${moduleName(node)})`;
        const parts: string[] = [];
        for (const s of node.specifiers as AnyNode[]) {
          const local = (s.local as { name: string }).name;
          names.push(local);
          if (s.type === "ImportDefaultSpecifier") parts.push(`${local} = __default(${from})`);
          else if (s.type === "ImportNamespaceSpecifier") parts.push(`${local} = ${from}`);
          else {
            const imported = s.imported as { name?: string; value?: string };
            parts.push(`${local} = ${from}[${JSON.stringify(imported.name ?? imported.value)}]`);
          }
        }
        const lines = js.slice(node.start, node.end).split("\n").length - 1;
        edits.push({ start: node.start, end: node.end, text: `${parts.length ? parts.join("; ") : from};${"\n".repeat(lines)}` });
        break;
      }
      case "VariableDeclaration": {
        const declarations = node.declarations as AnyNode[];
        for (const d of declarations) patternNames(d.id as Pattern, names);
        const kind = node.kind as string;
        // `const {a} = o` -> `;({a} = o)`: parenthesised, so an object pattern is not read as a block.
        edits.push({ start: node.start, end: node.start + kind.length, text: ";(" });
        for (const d of declarations) {
          if (!d.init) edits.push({ start: (d.id as Node).end, end: (d.id as Node).end, text: " = void 0" });
        }
        const last = declarations[declarations.length - 1]!;
        edits.push({ start: last.end, end: last.end, text: ")" });
        break;
      }
      case "FunctionDeclaration": {
        const name = (node.id as { name: string }).name;
        names.push(name);
        hoisted.push(name);
        break;
      }
      case "ClassDeclaration": {
        const name = (node.id as { name: string }).name;
        names.push(name);
        edits.push({ start: node.start, end: node.start, text: `;${name} = ` });
        edits.push({ start: node.end, end: node.end, text: ";" });
        break;
      }
      case "ExpressionStatement": {
        if (index === body.length - 1 && original === node) {
          const expression = node.expression as Node;
          edits.push({ start: node.start, end: expression.start, text: "return (" });
          edits.push({ start: expression.end, end: node.end, text: ");" });
        }
        break;
      }
    }
  });
  let code = js;
  edits.forEach((e, i) => (e.seq = i));
  // Applied from the end; of two edits at one place the later-made goes first, so it ends up after the other.
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end || b.seq! - a.seq!)) {
    code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  }
  // Function declarations are hoisted inside the `with` block; copying them to the scope first makes them
  // visible to later cells (and to code above them in this cell, as hoisting does).
  const prologue = hoisted.map((n) => `globalThis.${n} = ${n};`).join(" ");
  return {
    code: `(async function (__import, __default) { ${prologue}${code}\n})`,
    names: [...new Set(names)],
  };
}
