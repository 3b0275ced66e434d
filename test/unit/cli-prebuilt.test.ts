// The CLI's prebuilt bundle (bin/prebuilt.mjs) is kept in step with the sources: a site built by the
// bundled `tsnb site` is byte for byte the site the TypeScript sources build, and a bundle whose
// recorded inputs no longer match the files on disk is rebuilt before it is used.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usesBundle } from "../../bin/prebuilt.mjs";
import { buildSite } from "../../src/site/index.ts";

const TSNB = path.resolve("bin/tsnb.js");
const CURRENT = path.resolve("node_modules/.cache/tsnb-cli/current.json");
let tmp = "";

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-prebuilt-"));
  await cp(path.resolve("test/fixtures/site/notebooks"), path.join(tmp, "project", "notebooks"), { recursive: true });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function tsnb(args: string[], cwd: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    const child = spawn(process.execPath, [TSNB, ...args], { cwd, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), await readFile(full));
  }
  return out;
}

describe("the prebuilt CLI", () => {
  it("carries the site commands, the help and the version; every other command runs through tsx", () => {
    for (const argv of [[], ["site"], ["start", "--force"], ["serve", "-p", "0"], ["--help"], ["help", "site"], ["-V"]])
      expect(usesBundle(argv), argv.join(" ")).toBe(true);
    for (const argv of [["run", "x.ipynb"], ["grade"], ["help", "run"], ["check", "--fix"], ["doctor"], ["kernel", "install"]])
      expect(usesBundle(argv), argv.join(" ")).toBe(false);
  });

  it("builds the same site as the TypeScript sources", async () => {
    const project = path.join(tmp, "project");
    const bundled = await tsnb(["site", "--no-execute", "--out", path.join(tmp, "bundled")], project);
    expect(bundled.code).toBe(0);
    await buildSite({ root: project, execute: false, cacheDir: false, outDir: path.join(tmp, "sources") });
    const a = await files(path.join(tmp, "bundled"));
    const b = await files(path.join(tmp, "sources"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
  });

  it("rebuilds a bundle whose sources changed before running it", async () => {
    expect((await tsnb(["--version"], tmp)).code).toBe(0);
    const before = JSON.parse(await readFile(CURRENT, "utf8")) as { inputs: Record<string, [number, number]> };
    const source = "src/site/render/highlight.ts";
    expect(before.inputs[source]).toBeDefined();
    // As if highlight.ts had been edited since the bundle was built.
    await writeFile(CURRENT, JSON.stringify({ ...before, inputs: { ...before.inputs, [source]: [0, 0] } }));
    const { code, stdout } = await tsnb(["--version"], tmp);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^lesson18-concurrency-ts /);
    const after = JSON.parse(await readFile(CURRENT, "utf8")) as { inputs: Record<string, [number, number]> };
    expect(after.inputs[source]).toEqual(before.inputs[source]);
  });
});
