import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNotebook } from "../../src/commands/check.ts";
import { parsePyJson } from "../../src/notebook/py-json.ts";
import { need } from "../support/components.ts";
import { corpus } from "./nbformat-corpus.ts";

const PYTHON = "/usr/bin/python3";
const hasNbformat = need(
  "Python's nbformat (/usr/bin/python3)",
  spawnSync(PYTHON, ["-c", "import nbformat, fastjsonschema"], { stdio: "ignore" }).status === 0,
  "sudo apt-get install python3-nbformat (it comes with jupyter-nbconvert)",
);

/**
 * Python's nbformat on each file. `valid`: `nbformat.validator.isvalid` of the notebook as read in its own
 * version (a missing or repeated cell id is invalid; nbformat.read would repair it), and `nbformat.reads(as_version=4)` neither raising nor capturing a validation error. `written`:
 * when nbformat reads it without error, what `nbformat.write(nbformat.read(f, as_version=4))` writes,
 * after `nbformat.v4.upgrade` for 4.0-4.4 (the upgrade JupyterLab makes on save, and `--fix` makes).
 * A lone surrogate cannot be encoded as UTF-8: it is written as its JSON escape ("backslashreplace").
 */
const ORACLE = `
import json, logging, sys, warnings
import nbformat
from nbformat import v4
from nbformat.validator import isvalid
warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)
result = {}
for path in json.load(sys.stdin):
    r = {"valid": False, "written": None, "error": None}
    try:
        with open(path, encoding="utf-8") as f:
            s = f.read()
        try:
            # reader.reads: json.loads, rejoin_lines, strip_transient; no validate(), which would repair ids.
            own = isvalid(nbformat.reader.reads(s))
        except Exception as e:
            own = False
            r["error"] = f"{type(e).__name__}: {e}"
        captured = {}
        nb = nbformat.reads(s, as_version=4, capture_validation_error=captured)
        r["valid"] = bool(own) and "ValidationError" not in captured
        if "ValidationError" not in captured:
            if nb.nbformat == 4 and nb.nbformat_minor < 5:
                nb = v4.upgrade(nb)
            out = nbformat.writes(nb)
            if not out.endswith("\\n"):
                out += "\\n"
            r["written"] = out.encode("utf-8", "backslashreplace").decode("utf-8")
    except Exception as e:
        r["error"] = f"{type(e).__name__}: {e}"
    result[path] = r
json.dump(result, sys.stdout)
`;

interface Verdict {
  valid: boolean;
  written: string | null;
  error: string | null;
}

const ID = /^[0-9a-f]{8}$/;

/** Cell ids per cell, from written notebook text. */
const idsOf = (text: string): unknown[] => ((parsePyJson(text) as { cells?: { id?: unknown }[] }).cells ?? []).map((c) => c.id);

describe.skipIf(!hasNbformat)("the notebook model against Python's nbformat", () => {
  let dir: string;
  let oracle: Record<string, Verdict>;
  const notebooks = corpus();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "nbformat-oracle-"));
    await mkdir(path.join(dir, "original"));
    await mkdir(path.join(dir, "fixed"));
    for (const nb of notebooks) {
      await writeFile(path.join(dir, "original", nb.name), nb.text);
      await writeFile(path.join(dir, "fixed", nb.name), nb.text);
    }
    const files = notebooks.map((nb) => path.join(dir, "original", nb.name));
    const r = spawnSync(PYTHON, ["-c", ORACLE], { input: JSON.stringify(files), encoding: "utf8", maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    oracle = JSON.parse(r.stdout) as Record<string, Verdict>;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("has a corpus where nbformat finds both valid and invalid notebooks, and some it can write", () => {
    const verdicts = Object.values(oracle);
    expect(verdicts.filter((v) => v.valid).length).toBeGreaterThan(15);
    expect(verdicts.filter((v) => !v.valid).length).toBeGreaterThan(15);
    expect(new Set(notebooks.map((n) => n.name)).size).toBe(notebooks.length);
  });

  it.each(corpus().map((nb) => nb.name))("%s: valid exactly when nbformat says so, each problem with its place", async (name) => {
    const file = path.join(dir, "original", name);
    const expected = oracle[file]!;
    const { problems } = await checkNotebook(file);
    const why = `nbformat: ${JSON.stringify(expected)}; tsnb: ${JSON.stringify(problems)}`;
    expect(problems.length === 0, why).toBe(expected.valid);
    for (const p of problems) {
      expect(p.line, why).toBeGreaterThanOrEqual(1);
      expect(p.column, why).toBeGreaterThanOrEqual(1);
      expect(p.message.length).toBeGreaterThan(5);
    }
  });

  it.each(corpus().map((nb) => nb.name))("%s: check --fix writes what nbformat writes, byte for byte", async (name) => {
    const file = path.join(dir, "fixed", name);
    const expected = oracle[path.join(dir, "original", name)]!;
    const before = await readFile(file, "utf8");
    const mtime = (await stat(file)).mtimeMs;
    const result = await checkNotebook(file, true);
    const after = await readFile(file, "utf8");
    if (expected.written === null || result.problems.length) {
      // nbformat cannot write it (it fails to read or validate), or (nbformat 1 and 2, which tsnb does not
      // upgrade) nbformat writes one it calls invalid: --fix reports it and leaves it alone.
      expect(result.problems.length, JSON.stringify(expected)).toBeGreaterThan(0);
      expect(expected.valid).toBe(false);
      expect(after).toBe(before);
      return;
    }
    expect(result.problems, JSON.stringify(result.problems)).toEqual([]);
    if (expected.written === before) {
      expect(after).toBe(before);
      expect((await stat(file)).mtimeMs).toBe(mtime);
    }
    // Ids nbformat generates (random) are the only difference allowed, and only where it generated one.
    const ours = idsOf(after);
    const theirs = idsOf(expected.written);
    const originalIds = before.includes('"worksheets"') ? [] : (((parsePyJson(before) as { cells?: { id?: unknown }[] }).cells ?? []).map((c) => c?.id));
    let normalised = after;
    expect(ours.length).toBe(theirs.length);
    ours.forEach((id, i) => {
      if (id === theirs[i]) return;
      expect(id).toMatch(ID);
      expect(theirs[i]).toMatch(ID);
      const upgraded = !/"nbformat_minor": 5|"nbformat_minor":5/.test(before) || before.includes('"worksheets"');
      const generated = upgraded || originalIds[i] === undefined || originalIds.indexOf(originalIds[i]) < i;
      expect(generated, `cell ${i}: id ${String(originalIds[i])} replaced`).toBe(true);
      normalised = normalised.replace(`"id": "${String(id)}"`, `"id": "${String(theirs[i])}"`);
    });
    expect(normalised).toBe(expected.written);
    // A second --fix finds nothing to do.
    await checkNotebook(file, true);
    expect(await readFile(file, "utf8")).toBe(after);
  });

  it("tsnb check: exit 1 and FILE:LINE:COLUMN: PATH: MESSAGE for an invalid notebook, exit 0 for valid ones", async () => {
    const cli = path.resolve(import.meta.dirname, "../../bin/tsnb.js");
    await copyFile(path.join(dir, "original", "kernelspec-string.ipynb"), path.join(dir, "k.ipynb"));
    const bad = spawnSync(process.execPath, [cli, "check", path.join(dir, "k.ipynb")], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/k\.ipynb:\d+:\d+: metadata\.kernelspec: expected an object, got the string "tslab"/);
    const good = spawnSync(process.execPath, [cli, "check", path.join(dir, "original", "v4.5-rich.ipynb"), path.join(dir, "original", "v3-ipython2.ipynb")], { encoding: "utf8" });
    expect(good.stderr).toMatch(/2 notebooks checked, 0 invalid/);
    expect(good.status).toBe(0);
  });
});
