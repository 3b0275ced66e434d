/**
 * Notebook model figures: reading (parse, validate against nbformat's schema, upgrade) and writing
 * (as nbformat.writes) the same notebooks here and in Python's nbformat (Debian's /usr/bin/python3),
 * each warm, in the same run, alternately; and what every `tsnb run`, `site` and `grade` pays once in a
 * fresh process: loading the generated validators, and the first read.
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { formatNotebook, parseNotebook } from "../../src/notebook/index.ts";
import type { BenchContext, Figure } from "./types.ts";

const PYTHON = "/usr/bin/python3";
const ROUNDS = 5;
const REPEAT = 20;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function ipynbs(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((f) => f.endsWith(".ipynb")).map((f) => path.join(dir, f));
}

const PY = `
import json, sys, time, warnings, logging
import nbformat
warnings.simplefilter("ignore"); logging.disable(logging.CRITICAL)
texts = [open(f, encoding="utf-8").read() for f in json.load(sys.stdin)["files"]]
repeat = int(sys.argv[1])
for t in texts: nbformat.writes(nbformat.reads(t, as_version=4))
started = time.perf_counter()
for _ in range(repeat):
    for t in texts: nbformat.writes(nbformat.reads(t, as_version=4))
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
`;

export async function bench(ctx: BenchContext): Promise<Record<string, Figure>> {
  const files = [
    ...(await ipynbs(path.join(ctx.root, "build", "executed"))),
    ...(await ipynbs(path.join(ctx.root, "notebooks"))),
    ...(await ipynbs(path.join(ctx.root, "notebooks", "exercises"))),
    ...(await ipynbs(path.join(ctx.root, "test", "fixtures", "site", "notebooks"))),
  ];
  const texts = await Promise.all(files.map((f) => readFile(f)));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  ctx.log(`${files.length} notebooks, ${(bytes / 1e6).toFixed(1)} MB, ${REPEAT} passes per round`);

  const ours = (): number => {
    const started = performance.now();
    for (let i = 0; i < REPEAT; i++) for (const [j, t] of texts.entries()) formatNotebook(parseNotebook(files[j]!, t));
    return performance.now() - started;
  };
  const python = (): number => {
    const r = spawnSync(PYTHON, ["-c", PY, String(REPEAT)], { input: JSON.stringify({ files }), encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`nbformat: ${r.stderr.slice(-1000)}`);
    return (JSON.parse(r.stdout) as { ms: number }).ms;
  };

  ours(); // warm: Ajv loaded, schemas compiled, code optimised
  const hasNbformat = spawnSync(PYTHON, ["-c", "import nbformat"], { stdio: "ignore" }).status === 0;
  const oursMs: number[] = [];
  const pyMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so both sides see the same machine load.
    if (r % 2) {
      if (hasNbformat) pyMs.push(python());
      oursMs.push(ours());
    } else {
      oursMs.push(ours());
      if (hasNbformat) pyMs.push(python());
    }
  }
  const figures: Record<string, Figure> = {
    "notebook.read_write_ms_per_mb": {
      value: median(oursMs) / REPEAT / (bytes / 1e6),
      unit: "ms/MB",
      note: `read (validate, upgrade) and write as nbformat does; median of ${ROUNDS} rounds`,
    },
  };
  if (hasNbformat) {
    figures["notebook.read_write_vs_nbformat"] = {
      value: median(oursMs) / median(pyMs),
      target: "<= 1",
      note: `nbformat.writes(nbformat.reads(t, as_version=4)) in ${PYTHON} on the same ${files.length} notebooks (${median(pyMs).toFixed(0)} ms vs ours ${median(oursMs).toFixed(0)} ms for ${REPEAT} passes)`,
    };
  } else ctx.log(`no nbformat in ${PYTHON}: sudo apt-get install python3-nbformat for the comparison`);

  // A fresh process: loading the generated validators (no schema compiled) and the first read.
  const first = `
    const { readFileSync } = require("node:fs");
    const text = readFileSync(${JSON.stringify(files[0])});
    const a = performance.now();
    import(${JSON.stringify(path.join(ctx.root, "src/notebook/schemas/validators.generated.js"))}).then(() => {
      const b = performance.now();
      return import(${JSON.stringify(path.join(ctx.root, "src/notebook/index.ts"))}).then((m) => {
        const c = performance.now(); m.parseNotebook("x.ipynb", text); const d = performance.now();
        console.log(JSON.stringify({ load: b - a, first: d - c }));
      });
    });`;
  const load: number[] = [];
  const cold: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const out = spawnSync(process.execPath, ["--import", "tsx", "-e", first], { cwd: ctx.root, encoding: "utf8" });
    if (out.status !== 0) throw new Error(out.stderr);
    const t = JSON.parse(out.stdout) as { load: number; first: number };
    load.push(t.load);
    cold.push(t.first);
  }
  figures["notebook.validators_load_ms"] = {
    value: median(load),
    unit: "ms",
    note: `loading the generated validators of every nbformat schema in a fresh process; median of ${ROUNDS} (compiling the 4.5 schema with Ajv at run time cost 300-370 ms under the same load)`,
  };
  figures["notebook.first_read_ms"] = {
    value: median(cold),
    unit: "ms",
    note: `the first notebook read in a fresh process, validators loaded; median of ${ROUNDS}`,
  };
  return figures;
}
