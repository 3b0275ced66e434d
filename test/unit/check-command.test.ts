import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNotebook } from "../../src/commands/check.ts";
import { walkFiles } from "../../src/fs-walk.ts";

const root = path.resolve(import.meta.dirname, "../..");
const cli = path.join(root, "bin/tsnb.js");
const tsnb = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: root });

let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), "tsnb-check-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tsnb check", () => {
  it("passes every notebook of this repository, and --fix would leave each one as it is", async () => {
    const notebooks: string[] = [];
    for await (const { full } of walkFiles(path.join(root, "notebooks"), (e) => e.name === ".ipynb_checkpoints")) {
      if (full.endsWith(".ipynb")) notebooks.push(full);
    }
    expect(notebooks.length).toBeGreaterThan(20);
    for (const file of notebooks) {
      expect((await checkNotebook(file)).problems, file).toEqual([]);
    }
    const r = tsnb("check", "notebooks/");
    expect(r.stderr).toMatch(new RegExp(`${notebooks.length} notebooks checked, 0 invalid`));
    expect(r.status).toBe(0);
  });

  it("exit 1 with every problem as FILE:LINE:COLUMN: PATH: MESSAGE; --fix leaves an invalid notebook alone", async () => {
    const file = path.join(dir, "bad.ipynb");
    const text = `${JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: "tslab" }, cells: [{ cell_type: "markdown", id: "x y", metadata: {}, source: "" }] }, null, 1)}\n`;
    await writeFile(file, text);
    for (const args of [["check", file], ["check", "--fix", file]]) {
      const r = tsnb(...args);
      expect(r.status).toBe(1);
      expect(r.stdout.trim().split("\n").sort()).toEqual([
        `${file}:10:10: cells[0].id: invalid cell id "x y": 1 to 64 letters, digits, '-' or '_'`,
        `${file}:5:17: metadata.kernelspec: expected an object, got the string "tslab"`,
      ].sort());
    }
    expect(await readFile(file, "utf8")).toBe(text);
    expect(tsnb("check").status).toBe(2);
    expect(tsnb("check", path.join(dir, "missing.ipynb")).stdout).toMatch(/missing\.ipynb: notebook: no such file/);
  });

  it("--fix adds missing and repeated ids and rewrites as Jupyter writes; a second --fix touches nothing", async () => {
    const file = path.join(dir, "ids.ipynb");
    const cell = (id?: string) => ({ cell_type: "raw", ...(id ? { id } : {}), metadata: { trusted: true }, source: "a\r\nb" });
    await writeFile(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell("same"), cell("same"), cell()] }));
    expect((await checkNotebook(file)).problems.map((p) => p.fixable)).toEqual([true, true]);
    const fixed = await checkNotebook(file, true);
    expect(fixed).toMatchObject({ problems: [], fixed: ["2 cell ids added or replaced"] });
    const text = await readFile(file, "utf8");
    const ids = (JSON.parse(text) as { cells: { id: string }[] }).cells.map((c) => c.id);
    expect(ids[0]).toBe("same");
    expect(ids.slice(1).every((id) => /^[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(text).toContain('"source": [\n    "a\\r\\n",\n    "b"\n   ]');
    expect(text).not.toContain("trusted");
    const mtime = (await stat(file)).mtimeMs;
    expect(await checkNotebook(file, true)).toEqual({ file, problems: [], fixed: [] });
    expect((await stat(file)).mtimeMs).toBe(mtime);
  });
});
