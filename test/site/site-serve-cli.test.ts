// `tsnb serve` as a reader runs it: prints its URL, serves the built site on 127.0.0.1, stops on Ctrl-C.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/site/build/build-site.ts";

const TSNB = path.resolve("bin/tsnb.js");
let tmp = "";

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-serve-cli-"));
  await buildSite({
    root: path.resolve("test/fixtures/site"),
    executedDir: path.join(tmp, "x"),
    outDir: path.join(tmp, "site"),
    cacheDir: false,
    execute: false,
  });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("tsnb serve", () => {
  it("serves the site at the URL it prints and exits 0 on Ctrl-C", async () => {
    const child = spawn(process.execPath, [TSNB, "serve", "--dir", path.join(tmp, "site"), "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on("close", () => reject(new Error(`exited before listening: ${stdout}${stderr}`)));
    });
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('class="toc lessons"');
    const page = await fetch(new URL("02-timeline.html", url));
    expect(await page.text()).toContain("deadlock detected");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/^200 GET \/\n200 GET \/02-timeline\.html\n/);
  });

  it("says how to build the site when there is none", async () => {
    const child = spawn(process.execPath, [TSNB, "serve", "--dir", path.join(tmp, "nothing-here")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /tsnb serve: .*nothing-here has no index\.html: build the site first \(npm start, or tsnb site\)/,
    );
  });
});
