/**
 * Showing a picture: through tslab's display API inside a notebook, as text elsewhere (a script, a test, a
 * grader), so the same helper works in both places.
 */
import { createRequire } from "node:module";
import { join } from "node:path";

interface TslabDisplay {
  html(html: string): void;
}

/** Whether this process is a tslab kernel (`node .../tslab/bin/tslab kernel ...`). */
function inTslab(): boolean {
  return /(^|[\\/])tslab([\\/]|$)/.test(process.argv[1] ?? "");
}

function tslabDisplay(): TslabDisplay | undefined {
  // Why check first: loading tslab outside its kernel loads a whole TypeScript compiler (about 150 ms) for nothing.
  if (!inTslab()) return undefined;
  try {
    // Why the module-local `require` first: inside tslab it is tslab's wrapped require, whose "tslab" is the
    // running kernel's display API; outside, createRequire finds the package, whose display then throws.
    const req = typeof require === "function" ? require : createRequire(join(process.cwd(), "x.js"));
    const display = (req("tslab") as { display?: TslabDisplay }).display;
    return typeof display?.html === "function" ? display : undefined;
  } catch {
    return undefined;
  }
}

/** Displays `html` in the running notebook cell; outside Jupyter prints `fallback` and returns false. */
export function displayHtml(html: string, fallback: string): boolean {
  const display = tslabDisplay();
  if (display) {
    try {
      display.html(html);
      return true;
    } catch {
      // not inside a kernel: fall through
    }
  }
  process.stdout.write(`${fallback}\n`);
  return false;
}

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`. */
export function niceStep(span: number, count = 8): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** A stable colour for a label (the same task name gets the same colour in every picture). */
export function colourFor(label: string): string {
  const palette = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
  ];
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) >>> 0;
  return palette[h % palette.length] ?? "#4e79a7";
}
