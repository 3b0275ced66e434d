/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every `test/bench/*.bench.ts` in turn (never two at
 * once: the figures are ratios measured side by side on the same 2 cores) and prints a table, or JSON.
 *
 * A bench module exports `bench(ctx)` returning figures `{ "group.name": { value, target?, unit?, note? } }`.
 * Ratios compare us against the raw library or the Python original measured in the same run.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchContext, Figure } from "./types.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const ctx: BenchContext = {
  log: (message) => {
    process.stderr.write(`  ${message}\n`);
  },
  root: path.resolve(here, "../.."),
};

const files = (await readdir(here)).filter((f) => f.endsWith(".bench.ts")).sort();
const figures: Record<string, Figure> = {};
let failed = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  if (only && name !== only) continue;
  process.stderr.write(`bench ${name}\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { bench(ctx: BenchContext): Promise<Record<string, Figure>> };
    Object.assign(figures, await mod.bench(ctx));
  } catch (error) {
    failed += 1;
    figures[`${name}.error`] = { value: Number.NaN, note: String((error as Error).stack ?? error) };
  }
}

const missed = Object.entries(figures).filter(([, f]) => f.target && !meets(f));
if (json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  const rows = Object.entries(figures).map(([k, f]) => [k, fmt(f.value) + (f.unit ? ` ${f.unit}` : ""), f.target ?? "", f.target ? (meets(f) ? "ok" : "MISSED") : "", f.note ?? ""]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 6));
  for (const r of rows) console.log(r.map((c, i) => (i < 4 ? String(c).padEnd(widths[i]!) : c)).join("  "));
  if (missed.length) console.log(`\n${missed.length} figure(s) missed their target`);
}
process.exitCode = failed ? 1 : 0;

function meets(f: Figure): boolean {
  const m = /^(<=|>=)\s*([\d.]+)/.exec(f.target ?? "");
  if (!m) return true;
  return m[1] === "<=" ? f.value <= Number(m[2]) : f.value >= Number(m[2]);
}
function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
