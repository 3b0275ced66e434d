// The real notebooks of this course, whatever state they are in while the lesson is written: every
// notebook under notebooks/ gets a page that loads cleanly, and one real lesson is executed through
// tslab and rendered with its outputs. Nothing here depends on what the lessons say.
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNotebook } from "../../src/notebook/index.ts";
import { buildSite } from "../../src/site/build/build-site.ts";
import type { SiteSummary } from "../../src/site/types.ts";
import { need } from "../support/components.ts";
import { chromiumPath, collectProblems, launchBrowser, type TestBrowser } from "./browser.ts";

const ready = need("chromium", chromiumPath !== undefined, "apt-get install chromium");
const repo = path.resolve(".");
const notebooks = path.join(repo, "notebooks");
const list = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith(".ipynb"))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

describe.skipIf(!ready)("the course's own notebooks as a site", () => {
  let tmp = "";
  let browser: TestBrowser;

  beforeAll(async () => {
    // Inside the checkout (git-ignored), so a copied lesson finds node_modules and the helpers as it would in notebooks/.
    await mkdir(path.join(repo, ".tsnb-tmp"), { recursive: true });
    tmp = await mkdtemp(path.join(repo, ".tsnb-tmp", "site-real-"));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it("gives every notebook under notebooks/ a page that loads with no console error", async () => {
    const summary = await buildSite({
      root: repo,
      executedDir: path.join(tmp, "none"),
      outDir: path.join(tmp, "stored-site"),
      execute: false,
      cacheDir: path.join(tmp, "cache"),
    });
    const expected = [
      ...(await list(notebooks)),
      ...(await list(path.join(notebooks, "exercises"))).map((f) => `exercises/${f}`),
    ];
    expect(summary.pages.map((p) => path.relative(notebooks, p.source))).toEqual(expected);
    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    for (const p of summary.pages) {
      expect(p.status, `${p.relative}: ${p.error}`).not.toBe("invalid");
      await page.goto(pathToFileURL(path.join(summary.outDir, p.href)).href);
      expect(await page.title(), p.href).toContain(p.title);
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  it("executes a real lesson through tslab and shows its outputs (or its failure) in the browser", async () => {
    const first = (await list(notebooks))[0];
    expect(first, "no lesson notebook in notebooks/").toBeDefined();
    const project = path.join(tmp, "project");
    await mkdir(path.join(project, "notebooks"), { recursive: true });
    await copyFile(path.join(notebooks, first!), path.join(project, "notebooks", first!));
    await symlink(path.join(repo, "kernel-helpers"), path.join(project, "kernel-helpers"));
    let summary: SiteSummary;
    summary = await buildSite({ root: project, timeoutSec: 120 });
    const lesson = summary.pages[0]!;
    expect(lesson.run, "the lesson was executed").toBeDefined();
    const codeCells = (await readNotebook(path.join(notebooks, first!))).cells.filter(
      (c) => c.cell_type === "code",
    ).length;

    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    await page.goto(pathToFileURL(summary.index).href);
    await page.locator("main .toc > li > a").first().click();
    await page.waitForURL(/\.html$/);
    expect(await page.locator(".cell.code").count()).toBe(codeCells);
    if (lesson.run!.ok) {
      expect(lesson.status).toBe("executed");
      expect(await page.locator(".cell.code .outputs").count()).toBeGreaterThan(0);
      expect(await page.locator(".banner.failed").count()).toBe(0);
    } else {
      expect(lesson.status).toBe("failed");
      expect(await page.locator(".banner.failed").isVisible()).toBe(true);
    }
    await page.screenshot({ path: path.resolve("test-results/site/real-lesson.png"), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
    // The helpers are being edited by others while this runs: judge the cache on the lesson alone.
    summary = await buildSite({ root: project, dependsOn: [] });
    expect(summary.pages[0]!.status).toBe(lesson.run!.ok ? "cached" : "failed");
  }, 300_000);
});
