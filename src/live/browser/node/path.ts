/** `node:path` (POSIX) for the browser runtime. */
function normalizeParts(parts: string[], absolute: boolean): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(part);
  }
  return out;
}

export function normalize(p: string): string {
  const absolute = p.startsWith("/");
  const joined = normalizeParts(p.split("/"), absolute).join("/");
  return (absolute ? "/" : "") + (joined || (absolute ? "" : "."));
}

export const join = (...parts: string[]): string => normalize(parts.filter(Boolean).join("/"));
export const isAbsolute = (p: string): boolean => p.startsWith("/");
export function resolve(...parts: string[]): string {
  let out = "";
  for (const part of parts) out = part.startsWith("/") ? part : `${out}/${part}`;
  return normalize(out.startsWith("/") ? out : `/notebooks/${out}`);
}
export function dirname(p: string): string {
  const i = p.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : p.slice(0, i);
}
export function basename(p: string, ext?: string): string {
  const base = p.replace(/\/+$/, "").split("/").pop() ?? "";
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}
export function extname(p: string): string {
  const base = basename(p);
  const i = base.lastIndexOf(".");
  return i <= 0 ? "" : base.slice(i);
}
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  while (a.length && b.length && a[0] === b[0]) {
    a.shift();
    b.shift();
  }
  return [...a.map(() => ".."), ...b].join("/");
}
export const sep = "/";
export const delimiter = ":";
export const posix = { normalize, join, isAbsolute, resolve, dirname, basename, extname, relative, sep, delimiter };
export default { ...posix, posix };
