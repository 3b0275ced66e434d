// The built site in a real browser (Debian's headless Chromium), from `tsnb serve` and from file://.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/site/build/build-site.ts";
import type { SiteSummary } from "../../src/site/types.ts";
import { serveSite, type SiteServer } from "../../src/site/serve/serve.ts";
import { need } from "../support/components.ts";
import { chromiumPath, collectProblems, launchBrowser, type TestBrowser } from "./browser.ts";

// The callbacks given to evaluate() run in the browser. The project compiles without the DOM library
// (its code runs on Node), so the few browser globals they use are declared here, for this file only.
declare const document: { body: unknown; documentElement: { scrollWidth: number; clientWidth: number } };
declare function getComputedStyle(element: unknown): { color: string; backgroundColor: string };

const ready = need("chromium", chromiumPath !== undefined, "apt-get install chromium");
const ARTIFACTS = path.resolve("test-results/site");

describe.skipIf(!ready)("the lesson site in headless Chromium", () => {
  let tmp = "";
  let summary: SiteSummary;
  let server: SiteServer;
  let browser: TestBrowser;
  const pages = () => summary.pages.filter((p) => p.status !== "invalid").map((p) => p.href);

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-site-browser-"));
    summary = await buildSite({
      root: path.resolve("test/fixtures/site"),
      executedDir: path.join(tmp, "executed"),
      outDir: path.join(tmp, "site"),
      execute: false,
      cacheDir: false,
    });
    server = await serveSite({ dir: summary.outDir });
    browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  describe.each([
    ["tsnb serve", () => server.url],
    ["file://", () => pathToFileURL(summary.outDir).href + "/"],
  ])("from %s", (_how, base) => {
    it("loads every page with no console error, exception or failed request", async () => {
      const page = await browser.context.newPage();
      const problems = collectProblems(page);
      for (const href of ["index.html", ...pages()]) {
        await page.goto(base() + href, { waitUntil: "load" });
        expect(await page.locator("main article.notebook").count(), href).toBe(1);
      }
      await page.close();
      expect(problems).toEqual([]);
    });

    it("links every notebook from the index, and prev/next walk the lesson in order", async () => {
      const page = await browser.context.newPage();
      await page.goto(base() + "index.html");
      const links = await page
        .locator("main .toc > li > a")
        .evaluateAll((as) => as.map((a) => (a as { getAttribute(name: string): string | null }).getAttribute("href")));
      expect(links).toEqual(pages());
      let here = "index.html";
      for (const next of pages()) {
        await page.locator("nav.pager a.next").click();
        await page.waitForURL((u) => u.href.endsWith(next));
        here = next;
      }
      expect(await page.locator("nav.pager a.next").count()).toBe(0);
      await page.locator("nav.pager a.prev").click();
      await page.waitForURL((u) => !u.href.endsWith(here));
      expect(page.url().endsWith(pages().at(-2)!)).toBe(true);
      await page.close();
    });

    it("finds a page by a word in its text and opens it from the search box", async () => {
      const page = await browser.context.newPage();
      await page.goto(base() + "index.html");
      await page.locator("#search").fill("deadlock");
      const first = page.locator("#search-results li a").first();
      await expect.poll(() => first.textContent()).toContain("An error");
      await page.locator("#search").press("Enter");
      await page.waitForURL(/02-timeline\.html#an-error$/);
      // Every word must match when some page has them all; otherwise any word does.
      await page.locator("#search").fill("deadlock zzqxnothing");
      await expect.poll(() => page.locator("#search-results li a").first().textContent()).toContain("An error");
      await page.locator("#search").fill("zzqxnothing");
      await expect.poll(() => page.locator("#search-results li.none").textContent()).toContain("No results");
      await page.close();
    });

    it("shows the SVG timeline, the ANSI-coloured error, highlighted TypeScript, the PNG and the math", async () => {
      const page = await browser.context.newPage();
      await page.goto(base() + "02-timeline.html");
      const svg = page.locator(".output .svg svg").first();
      expect(await svg.isVisible()).toBe(true);
      expect((await svg.boundingBox())!.width).toBeGreaterThan(100);
      const red = page.locator(".output.error .ansi-red-fg").first();
      expect(await red.isVisible()).toBe(true);
      expect(await red.textContent()).toContain("Error: deadlock detected");
      const colours = await red.evaluate((el) => [
        getComputedStyle(el).color,
        getComputedStyle(el.closest("main")!).color,
      ]);
      expect(colours[0]).not.toBe(colours[1]);
      const keyword = page.locator("pre.shiki span", { hasText: "import" }).first();
      expect(await keyword.evaluate((el) => getComputedStyle(el).color)).not.toBe(colours[1]);

      await page.goto(base() + "01-threads.html");
      const png = page.locator(".output img[src^='data:image/png']").first();
      expect(await png.evaluate((img) => (img as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      expect(await page.locator(".katex").count()).toBeGreaterThan(0);
      expect(await page.locator(".output .html table.demo td", { hasText: "fetch" }).isVisible()).toBe(true);
      await page.screenshot({
        path: path.join(ARTIFACTS, `lesson-page-${base().startsWith("file:") ? "file" : "served"}.png`),
        fullPage: true,
      });
      await page.close();
    });
  });

  it("follows the reader's dark setting and fits a phone's width", async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(server.url + "01-threads.html");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(150);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "lesson-page-phone-dark.png") });
    await page.close();
  });

  it("keeps the exercise page free of outputs and offers its notebook for download", async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url + "exercises/01-safe-counter.html");
    expect(await page.locator(".outputs").count()).toBe(0);
    const link = page.locator("a.download").first();
    const response = await page.request.get(new URL((await link.getAttribute("href"))!, page.url()).href);
    expect(response.status()).toBe(200);
    expect(JSON.parse(await response.text()).nbformat).toBe(4);
    await page.close();
  });
});
