// A learner's notebook rendered untrusted cannot run script in a reader's browser: checked by
// loading the page in Chromium and looking for any sign that script ran. The same notebook rendered
// trusted (the project's own notebooks) does run its JavaScript output, which shows the probe works.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as nbformat from "@jupyterlab/nbformat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCell, markdownCell, newNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { buildSite } from "../../src/site/build/build-site.ts";
import { need } from "../support/components.ts";
import { chromiumPath, launchBrowser, type TestBrowser } from "./browser.ts";

const ready = need("chromium", chromiumPath !== undefined, "apt-get install chromium");

const mark = (n: number) => `(window.__ran = (window.__ran || []).concat(${n}))`;
const HOSTILE: nbformat.IOutput[] = [
  { output_type: "display_data", metadata: {}, data: { "application/javascript": mark(1), "text/plain": "js" } },
  {
    output_type: "display_data",
    metadata: {},
    data: {
      "text/html": `<script>${mark(2)}</script><img src="data:," onerror="${mark(3)}"><a id="jslink" href="javascript:${mark(4)}">x</a>`,
    },
  },
  {
    output_type: "display_data",
    metadata: {},
    data: {
      "image/svg+xml": `<svg xmlns="http://www.w3.org/2000/svg" onload="${mark(5)}"><script>${mark(6)}</script><rect width="5" height="5"/></svg>`,
    },
  },
  {
    output_type: "display_data",
    metadata: {},
    data: { "text/markdown": `<img src="data:," onerror="${mark(7)}"> [y](javascript:${mark(8)})` },
  },
];

describe.skipIf(!ready)("untrusted notebooks in headless Chromium", () => {
  let tmp = "";
  let browser: TestBrowser;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-untrusted-"));
    await mkdir(path.join(tmp, "notebooks"));
    const hostile = newNotebook([
      markdownCell(`# Submission\n\n<script>${mark(9)}</script><img src="data:," onerror="${mark(10)}">`),
      { ...codeCell("display()"), execution_count: 1, outputs: HOSTILE },
    ]);
    await writeNotebook(path.join(tmp, "notebooks", "01-submission.ipynb"), hostile);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function ran(trusted: boolean): Promise<number[]> {
    const out = path.join(tmp, trusted ? "trusted" : "untrusted");
    await buildSite({ root: tmp, outDir: out, execute: false, trusted, cacheDir: false });
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path.join(out, "01-submission.html")).href, { waitUntil: "load" });
    await page
      .locator("#jslink")
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await page.waitForTimeout(200);
    const marks = await page.evaluate(() =>
      ((globalThis as { __ran?: number[] }).__ran ?? []).slice().sort((a, b) => a - b),
    );
    await page.close();
    expect(dialogs).toEqual([]);
    return marks;
  }

  it("runs nothing a submission wrote when rendered untrusted", async () => {
    expect(await ran(false)).toEqual([]);
  });

  it("runs the JavaScript output of the project's own (trusted) notebooks: the probe can see script run", async () => {
    expect(await ran(true)).toContain(1);
  });
});
