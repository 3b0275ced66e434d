// Injection, route by route (the routes nbconvert closed for CVE-2021-32862, and ours): one notebook
// per route carries script in that route only, rendered untrusted and trusted, each page opened in
// headless Chromium with a dialog listener and a global probe (`window.__ran`). Untrusted: nothing
// runs. Trusted: script runs only where the author put it on purpose (a JavaScript output, an HTML or
// SVG output, HTML in markdown), never through an attribute value, image data, file name, tag,
// attachment, widget state or raw cell. Then the second wall: script planted in an untrusted page
// after the build (as if the sanitiser had missed it) is stopped by the page's Content-Security-Policy,
// and nothing remote loads.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/site/build/build-site.ts";
import { need } from "../support/components.ts";
import { chromiumPath, collectProblems, launchBrowser, type TestBrowser } from "./browser.ts";

const ready = need("chromium", chromiumPath !== undefined, "apt-get install chromium");

/** Script that records `route` in a global and opens a dialog: single quotes only, so it fits a double-quoted attribute. */
const P = (route: string) => `window.__ran=(window.__ran||[]).concat('${route}');alert('${route}')`;
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

type Json = Record<string, unknown>;
let ids = 0;
const id = () => `cell-${(ids += 1)}`;
const code = (outputs: Json[], metadata: Json = {}): Json => ({
  cell_type: "code",
  execution_count: 1,
  id: id(),
  metadata,
  outputs,
  source: "show()",
});
const display = (data: Json, metadata: Json = {}): Json => ({ output_type: "display_data", data, metadata });
const markdown = (source: string, attachments?: Json): Json => ({
  cell_type: "markdown",
  id: id(),
  metadata: {},
  source,
  ...(attachments ? { attachments } : {}),
});
const notebook = (cells: Json[], metadata: Json = {}): Json => ({
  cells: [markdown("# Route"), ...cells],
  metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" }, ...metadata },
  nbformat: 4,
  nbformat_minor: 5,
});
const hostileName = (route: string) => `x.png"><script>${P(route)}</script><img src=x onerror="${P(route)}">`;

/** One notebook per route; `sanctioned` when a trusted page is meant to run it (the author asked for script there). */
const ROUTES: { route: string; sanctioned: boolean; nb: Json }[] = [
  {
    route: "image-data",
    sanctioned: false,
    nb: notebook([
      code([
        display({ "image/png": `${PNG}"><script>${P("image-data")}</script><img src=x onerror="${P("image-data")}`, "text/plain": "png" }),
        display({ "image/jpeg": `/9j/' onerror='${P("image-data")}' x='`, "text/plain": "jpeg" }),
        display({ "image/gif": [`R0lGOD"><svg onload="${P("image-data")}">`], "text/plain": "gif" }),
        // An unknown image type whose name breaks out of the data: URL and the attribute.
        display({ [`image/x-icon" onerror="${P("image-data")}" x="`]: "AAAA" }),
        display({ "image/webp": `${PNG}" onload="${P("image-data")}` }),
      ]),
    ]),
  },
  {
    route: "filenames",
    sanctioned: false,
    nb: notebook([
      code([display({ "image/png": PNG, "text/plain": "png" }, { filenames: { "image/png": hostileName("filenames") } })]),
    ]),
  },
  {
    route: "width-height",
    sanctioned: false,
    nb: notebook([
      code([
        display(
          { "image/png": PNG },
          { "image/png": { width: `1" onload="${P("width-height")}`, height: `"><script>${P("width-height")}</script>` } },
        ),
        display({ "image/jpeg": "/9j/4AAQ" }, { "image/jpeg": { width: `1 onerror=${P("width-height")}` } }),
      ]),
    ]),
  },
  {
    route: "tags",
    sanctioned: false,
    nb: notebook([
      code([], { tags: [`"><script>${P("tags")}</script>`, `x" onmouseover="${P("tags")}" autofocus onfocus="${P("tags")}`] }),
    ]),
  },
  {
    route: "attachments",
    sanctioned: false,
    nb: notebook([
      markdown(
        [
          "![data](attachment:data.png)",
          `![name](attachment:${encodeURIComponent(hostileName("attachments"))})`,
          "![type](attachment:type.png)",
          "![svg](attachment:pic.svg)",
        ].join("\n\n"),
        {
          "data.png": { "image/png": `${PNG}"><script>${P("attachments")}</script><img src=x onerror="${P("attachments")}` },
          [hostileName("attachments")]: { "image/png": `x" onerror="${P("attachments")}` },
          "type.png": { [`image/png" onerror="${P("attachments")}`]: "AAAA" },
          "pic.svg": { "image/svg+xml": `"><svg xmlns="http://www.w3.org/2000/svg" onload="${P("attachments")}"><script>${P("attachments")}</script></svg>` },
        },
      ),
    ]),
  },
  {
    route: "widget-json",
    sanctioned: false,
    nb: notebook(
      [
        code([
          display({
            "application/vnd.jupyter.widget-view+json": {
              model_id: `</script><script>${P("widget-json")}</script>`,
              version_major: 2,
              version_minor: 0,
            },
            "text/plain": `</script><script>${P("widget-json")}</script>`,
          }),
          display({ "application/vnd.jupyter.widget-state+json": { state: `</script><script>${P("widget-json")}</script>` } }),
        ]),
      ],
      {
        widgets: {
          "application/vnd.jupyter.widget-state+json": {
            state: { m: { state: { value: `</script><script>${P("widget-json")}</script>` } } },
            version_major: 2,
            version_minor: 0,
          },
        },
      },
    ),
  },
  {
    route: "raw-cell",
    sanctioned: false,
    nb: notebook([
      {
        cell_type: "raw",
        id: id(),
        metadata: { raw_mimetype: "text/html", format: "text/html" },
        source: `<script>${P("raw-cell")}</script><img src=x onerror="${P("raw-cell")}">`,
      },
    ]),
  },
  {
    route: "markdown-html",
    sanctioned: true,
    nb: notebook([markdown(`<script>${P("markdown-html")}</script>\n\n<img src=x onerror="${P("markdown-html")}">`)]),
  },
  {
    route: "svg",
    sanctioned: true,
    nb: notebook([
      code([
        display({
          "image/svg+xml": `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>${P("svg")}</script><rect width="4" height="4"/></svg>`,
        }),
      ]),
    ]),
  },
  {
    route: "text-html",
    sanctioned: true,
    nb: notebook([code([display({ "text/html": `<b>html</b><script>${P("text-html")}</script>` })])]),
  },
  {
    route: "javascript",
    sanctioned: true,
    nb: notebook([code([display({ "application/javascript": P("javascript"), "text/plain": "js" })])]),
  },
];

describe.skipIf(!ready)("no notebook data scripts a page, route by route, in headless Chromium", () => {
  let tmp = "";
  let browser: TestBrowser;
  const out = (trusted: boolean) => path.join(tmp, trusted ? "trusted" : "untrusted");
  const pageFile = (trusted: boolean, route: string) => path.join(out(trusted), `${route}.html`);

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "tsnb-injection-"));
    await mkdir(path.join(tmp, "notebooks"));
    for (const { route, nb } of ROUTES)
      await writeFile(path.join(tmp, "notebooks", `${route}.ipynb`), JSON.stringify(nb, null, 1));
    for (const trusted of [false, true]) {
      const summary = await buildSite({ root: tmp, outDir: out(trusted), execute: false, trusted, cacheDir: false });
      const pages = summary.pages.map((p) => [p.relative, p.status, p.error ?? ""]);
      expect(pages.sort()).toEqual(ROUTES.map(({ route }) => [`notebooks/${route}.ipynb`, "stored", ""]).sort());
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  /** Open a page, give every handler a chance (hover, focus, image errors), and report what ran. */
  async function open(url: string): Promise<{ ran: string[]; dialogs: string[] }> {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });
    for (const cell of await page.locator(".cell").all()) await cell.hover({ timeout: 1000 }).catch(() => undefined);
    await page.keyboard.press("Tab");
    await page.waitForTimeout(150);
    const ran = await page.evaluate(() => (globalThis as { __ran?: string[] }).__ran ?? []);
    await page.close();
    return { ran: [...new Set(ran)], dialogs: [...new Set(dialogs)] };
  }

  it.each(ROUTES.map((r) => [r.route, r] as const))("%s: untrusted runs nothing", async (route) => {
    expect(await open(pathToFileURL(pageFile(false, route)).href)).toEqual({ ran: [], dialogs: [] });
  });

  it.each(ROUTES.map((r) => [r.route, r] as const))(
    "%s: trusted runs script only where the author asked for it",
    async (route, { sanctioned }) => {
      const seen = await open(pathToFileURL(pageFile(true, route)).href);
      expect(seen).toEqual(sanctioned ? { ran: [route], dialogs: [route] } : { ran: [], dialogs: [] });
    },
  );

  it("the untrusted pages' Content-Security-Policy stops script the sanitiser would have missed, and the site's own scripts still run", async () => {
    const built = await readFile(pageFile(false, "text-html"), "utf8");
    expect(built).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-[^"]+&#39;/);
    const planted = `<script>${P("planted")}</script><img src="data:," onerror="${P("planted")}"><svg onload="${P("planted")}"></svg>`;
    const withPlant = built.replace("<main>", `<main>${planted}`);
    await writeFile(path.join(out(false), "planted.html"), withPlant);
    // The same page without the policy: the planted script runs, so the probe can see it.
    await writeFile(
      path.join(out(false), "planted-no-csp.html"),
      withPlant.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""),
    );
    expect((await open(pathToFileURL(path.join(out(false), "planted-no-csp.html")).href)).ran).toEqual(["planted"]);

    const page = await browser.context.newPage();
    const problems = collectProblems(page);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path.join(out(false), "planted.html")).href, { waitUntil: "load" });
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => (globalThis as { __ran?: string[] }).__ran ?? [])).toEqual([]);
    expect(dialogs).toEqual([]);
    // The site's own scripts carry the nonce: search works, and the stylesheet applied.
    await page.fill("#search", "route");
    await expect.poll(() => page.locator("#search-results li a").count()).toBeGreaterThan(0);
    expect(await page.evaluate("getComputedStyle(document.querySelector('.topbar')).position")).toBe("sticky");
    // The only complaints are the policy refusing the planted script and handler.
    expect(problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
    await page.close();
  });

  it("an untrusted page loads nothing remote: an image pointing at a server is refused before any request", async () => {
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const nb = notebook([
        code([display({ "text/html": `<img src="http://127.0.0.1:${port}/beacon.png"><p style="background:url(http://127.0.0.1:${port}/bg.png)">x</p>` })]),
      ]);
      const root = path.join(tmp, "remote");
      await mkdir(path.join(root, "notebooks"), { recursive: true });
      await writeFile(path.join(root, "notebooks", "beacon.ipynb"), JSON.stringify(nb));
      for (const trusted of [false, true]) {
        const site = path.join(root, trusted ? "trusted" : "untrusted");
        await buildSite({ root, outDir: site, execute: false, trusted, cacheDir: false });
        const before = requests;
        const page = await browser.context.newPage();
        await page.goto(pathToFileURL(path.join(site, "beacon.html")).href, { waitUntil: "load" });
        await page.waitForTimeout(200);
        await page.close();
        // Trusted pages load what the author pointed at (which shows the server would have seen it).
        if (trusted) expect(requests).toBeGreaterThan(before);
        else expect(requests).toBe(before);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
