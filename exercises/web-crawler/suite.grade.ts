// Grading suite of web-crawler (run by `tsnb grade`). The sites run here, in the trusted process:
// the helpers' test server (/site/: 12 pages in a cycle, a 404, a slow page, an external link) and
// a wide site whose pages answer after 60 ms, to count requests in flight.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../../kernel-helpers/index.ts";
import { probe } from "../../src/grade/suite.ts";

interface PageResult {
  url: string;
  status?: number;
  title?: string;
  error?: string;
}

let site: TestServer;
let wide: Server;
let wideBase = "";
let wideActive = 0;
let wideMax = 0;
let wideRequests = 0;
const WIDE_PAGES = 16;

beforeAll(async () => {
  site = await startTestServer();
  wide = createServer((req, res) => {
    wideRequests += 1;
    wideActive += 1;
    wideMax = Math.max(wideMax, wideActive);
    const body =
      req.url === "/"
        ? `<html><head><title>Wide</title></head><body>${Array.from({ length: WIDE_PAGES }, (_, i) => `<a href="/p${i + 1}">p${i + 1}</a>`).join(" ")}</body></html>`
        : `<html><head><title>${req.url}</title></head><body>leaf</body></html>`;
    setTimeout(() => {
      wideActive -= 1;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    }, 60);
  });
  await new Promise<void>((r) => wide.listen(0, "127.0.0.1", r));
  wideBase = `http://127.0.0.1:${(wide.address() as { port: number }).port}`;
});
afterAll(async () => {
  await site.close();
  wide.closeAllConnections();
  await new Promise((r) => wide.close(r));
});
beforeEach(() => {
  site.resetStats();
  wideActive = 0;
  wideMax = 0;
  wideRequests = 0;
});

const crawl = (url: string, concurrency: number, maxPages?: number) =>
  probe<PageResult[]>(
    "crawl",
    { url, concurrency, ...(maxPages !== undefined ? { maxPages } : {}) },
    { timeoutMs: 20_000 },
  );

/** Every URL of the helpers' site a crawler from /site/ should visit, sorted. */
const expectedUrls = () =>
  [
    `${site.url}/site/`,
    ...Array.from({ length: 12 }, (_, i) => `${site.url}/site/page/${i + 1}`),
    `${site.url}/site/missing`,
    `${site.url}/delay/0.3`,
  ].sort();

test("[2] visits every page of the site exactly once, following relative and absolute links", async () => {
  const results = await crawl(`${site.url}/site/`, 3);
  expect(
    results.map((r) => r.url),
    "the URLs visited, sorted",
  ).toEqual(expectedUrls());
  expect(site.stats().requests, "requests the server received: one per page").toBe(expectedUrls().length);
});

test("[1] each result has the page's status and its <title>", async () => {
  const results = await crawl(`${site.url}/site/`, 3);
  const byUrl = new Map(results.map((r) => [r.url, r]));
  expect(byUrl.get(`${site.url}/site/`)).toMatchObject({ status: 200, title: "Site index" });
  for (let n = 1; n <= 12; n++)
    expect(byUrl.get(`${site.url}/site/page/${n}`), `page ${n}`).toMatchObject({ status: 200, title: `Page ${n}` });
  expect(
    byUrl.get(`${site.url}/site/missing`)?.status,
    "a broken link is a result with status 404, and the crawl goes on",
  ).toBe(404);
});

test("[1] results are sorted by URL and contain no fragment (#...) and no duplicate", async () => {
  const urls = (await crawl(`${site.url}/site/`, 2)).map((r) => r.url);
  expect(
    urls.filter((u) => u.includes("#")),
    "URLs with a #fragment are the same page",
  ).toEqual([]);
  expect(new Set(urls).size, "each URL once").toBe(urls.length);
  expect(urls, "sorted by URL").toEqual([...urls].sort());
});

test("[1] stays on the start URL's origin (an external link is not followed)", async () => {
  const results = await crawl(`${site.url}/site/`, 3);
  const foreign = results.filter((r) => !r.url.startsWith(`${site.url}/`));
  expect(
    foreign.map((r) => r.url),
    "URLs from another origin",
  ).toEqual([]);
});

test("[2] never more than `concurrency` requests in flight, and that many while enough are queued", async () => {
  await crawl(`${wideBase}/`, 4);
  expect(wideRequests, `the wide site's index and its ${WIDE_PAGES} pages`).toBe(WIDE_PAGES + 1);
  expect(wideMax, "requests in flight at once with concurrency 4 (counted by the server)").toBe(4);
});

test("[2] maxPages: stops after that many pages", async () => {
  const results = await crawl(`${wideBase}/`, 3, 6);
  expect(results.length, "results with maxPages 6").toBe(6);
  expect(wideRequests, "requests the server received with maxPages 6").toBe(6);
});

test("[1] an unreachable start URL gives one result with an error, not a rejection", async () => {
  const results = await crawl("http://127.0.0.1:9/", 2);
  expect(results.length).toBe(1);
  expect(results[0]!.url).toBe("http://127.0.0.1:9/");
  expect(typeof results[0]!.error, "error: what went wrong").toBe("string");
});
