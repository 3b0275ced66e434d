/**
 * What the live-lesson tests share: the course's notebooks built into a site (no execution: live cells do not
 * need stored outputs), `tsnb serve` (with the isolation headers) and a plain static server that sends none
 * (the host a reader copies the site to), and helpers that drive a page's Run controls.
 */
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Page } from "playwright-core";
import { buildSite } from "../../src/site/build/build-site.ts";

// The callbacks given to evaluate() run in the browser. The project compiles without the DOM library
// (its code runs on Node), so the few browser globals they use are declared here, for this file only.
interface DomElement {
  classList: { contains(name: string): boolean };
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  textContent: string | null;
  innerText: string;
  dispatchEvent(event: unknown): boolean;
}
declare const document: { querySelector(s: string): DomElement | null; querySelectorAll(s: string): ArrayLike<DomElement> & Iterable<DomElement> };
declare const InputEvent: new (type: string, init: { bubbles: boolean }) => unknown;

/** Builds the real lessons (unexecuted) into a fresh folder under .tsnb-tmp; returns the site folder. */
export async function buildLiveSite(repo: string): Promise<{ tmp: string; site: string }> {
  await mkdir(path.join(repo, ".tsnb-tmp"), { recursive: true });
  const tmp = await mkdtemp(path.join(repo, ".tsnb-tmp", "live-"));
  const summary = await buildSite({
    root: repo,
    executedDir: path.join(tmp, "none"),
    outDir: path.join(tmp, "site"),
    execute: false,
    cacheDir: path.join(tmp, "cache"),
  });
  return { tmp, site: summary.outDir };
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };

/** A static server that sends files with a content type and nothing else (no COOP/COEP, no caching rules). */
export async function plainStaticServer(dir: string): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer(async (req, res) => {
    const urlPath = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    const file = path.join(dir, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ""));
    const info = await stat(file).catch(() => undefined);
    if (!file.startsWith(dir) || !info?.isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Presses "Run all" and waits until every cell has run; returns each code cell's output text. */
export async function runAll(page: Page, timeoutMs: number): Promise<string[]> {
  await page.getByRole("button", { name: /^Run all/ }).click();
  await page.waitForFunction(() => /^Ran \d+ cells/.test(document.querySelector(".live-status")?.textContent ?? ""), null, {
    timeout: timeoutMs,
  });
  return outputs(page);
}

/** Each code cell's output text, in order. */
export function outputs(page: Page): Promise<string[]> {
  return page.$$eval(".cell.code", (cells) => [...cells].map((c) => c.querySelector(".outputs")?.innerText ?? ""));
}

/** The error and stderr outputs of every code cell, labelled by cell number. */
export function errorOutputs(page: Page): Promise<string[]> {
  return page.$$eval(".cell.code", (cells) =>
    [...cells].flatMap((c, i) =>
      [...c.querySelectorAll(".outputs .error, .outputs .stderr")].map((e) => `cell ${i + 1}: ${e.innerText}`),
    ),
  );
}

/** Replaces the code of cell `n` (1-based) as a reader typing into it would. */
export async function editCell(page: Page, n: number, code: string): Promise<void> {
  const editor = page.locator(".cell.code").nth(n - 1).locator("[contenteditable]");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await editor.evaluate((el, text) => {
    const box = el as unknown as DomElement;
    box.textContent = text;
    box.dispatchEvent(new InputEvent("input", { bubbles: true }));
  }, code);
}

/** Presses cell `n`'s Run button and waits until it has run; returns its output text. */
export async function runCell(page: Page, n: number, timeoutMs = 30_000): Promise<string> {
  const cell = page.locator(".cell.code").nth(n - 1);
  // Done when the prompt shows a new execution count (a cell run before already shows one).
  const before = await cell.locator(".prompt").textContent();
  await page.getByRole("button", { name: `Run cell ${n}`, exact: true }).click();
  await page.waitForFunction(
    ([i, old]) => {
      const el = document.querySelectorAll(".cell.code")[i as number];
      const prompt = el?.querySelector(".prompt")?.textContent ?? "";
      return el !== undefined && !el.classList.contains("running") && prompt !== old && /^\[\d+\]:$/.test(prompt);
    },
    [n - 1, before] as const,
    { timeout: timeoutMs },
  );
  return (await cell.locator(".outputs").innerText()).trim();
}
