/**
 * Find where JSON text first goes wrong, as a 0-based offset. V8's `JSON.parse` messages give no
 * position for many errors ("Unexpected token ','"), and a learner needs a line and column, so on a
 * parse failure (never on the happy path) this small recursive-descent scanner walks the text again.
 */
export function locateJsonError(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "")) i++;
        else fail();
      } else if (ch < " ") fail();
      else i++;
    }
    fail();
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail();
      }
    } else if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail();
      }
    } else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (pos) {
    return pos as number;
  }
}

/** `line L, column C` (1-based) of an offset. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

/** 1-based line and column of an offset (lines end at `\n`; a `\r\n` file counts the same). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offset where the value at `path` starts in valid JSON text; where the path leaves the text, the
 * start of the deepest value it reaches. Only used to report a problem, so a plain scan will do.
 * For a repeated key the last one counts, as in `JSON.parse` and Python's `json`.
 */
export function locateJsonPath(text: string, path: readonly (string | number)[]): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return "";
    }
  };
  const skipValue = (): void => {
    ws();
    const ch = text[i];
    if (ch === '"') {
      readString();
      return;
    }
    if (ch !== "{" && ch !== "[") {
      while (i < text.length && !",]} \t\n\r".includes(text[i]!)) i++;
      return;
    }
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        readString();
        continue;
      }
      if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      }
      i++;
    }
  };
  ws();
  let at = i;
  for (const seg of path) {
    const ch = text[at];
    let found = -1;
    i = at + 1;
    if (ch === "{" && typeof seg === "string") {
      for (;;) {
        ws();
        if (text[i] !== '"') break;
        const key = readString();
        ws();
        i++; // ':'
        ws();
        if (key === seg) found = i;
        skipValue();
        ws();
        if (text[i] !== ",") break;
        i++;
      }
    } else if (ch === "[" && typeof seg === "number") {
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === "]") break;
        if (n === seg) {
          found = i;
          break;
        }
        skipValue();
        ws();
        if (text[i] !== ",") break;
        i++;
      }
    }
    if (found < 0) return at;
    at = found;
  }
  return at;
}
