// A rebuild with every page in the render cache (`npm start` with no notebook changed) loads neither
// the highlighter nor the markdown and math renderers: the whole command is run with a loader hook that
// logs every module it resolves from node_modules, once cold (the hook must see shiki then, or it
// proves nothing) and once from the cache. The command runs from the CLI's prebuilt bundle
// (bin/prebuilt.mjs), whose files carry some packages inlined: a file of the bundle counts as the
// packages its packages.json lists.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TSNB = path.resolve("bin/tsnb.js");
const REGISTER = path.resolve("test/fixtures/site/load-log/register.mjs");
let tmp = "";

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-cached-build-"));
  await cp(path.resolve("test/fixtures/site/notebooks"), path.join(tmp, "project", "notebooks"), { recursive: true });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Build the fixture site with the loader hook; the packages the command loaded. */
async function build(run: string): Promise<Set<string>> {
  const log = path.join(tmp, `${run}.log`);
  const args = ["--import", REGISTER, TSNB, "site", "--no-execute", "--out", path.join(tmp, "site")];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: path.join(tmp, "project"),
      env: { ...process.env, TSNB_LOAD_LOG: log },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
  expect(code).toBe(0);
  const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean);
  const packages = new Set<string>();
  for (const url of urls) {
    const file = fileURLToPath(url);
    if (file.includes(`${path.sep}.cache${path.sep}tsnb-cli${path.sep}`)) {
      const carried = JSON.parse(await readFile(path.join(path.dirname(file), "packages.json"), "utf8")) as Record<string, string[]>;
      for (const p of carried[path.basename(file)] ?? []) packages.add(p);
    } else packages.add(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? url);
  }
  return packages;
}

describe("a cached build", () => {
  it("loads no highlighter, markdown or math renderer when every page comes from the render cache", async () => {
    const cold = await build("cold");
    expect([...cold]).toEqual(expect.arrayContaining(["shiki", "katex", "markdown-it"]));
    const cached = await build("cached");
    expect([...cached].filter((p) => /shiki|katex|markdown-it|anser|sanitize-html/.test(p))).toEqual([]);
    expect(cached).toContain("minisearch");
  });
});
