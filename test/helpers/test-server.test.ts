import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../kernel-helpers/index.ts";

describe("startTestServer", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("listens on 127.0.0.1 on a free port", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it("echoes /get with method, path, headers and query", async () => {
    const res = await fetch(`${server.url}/get?a=1&b=two`, { headers: { "x-test": "yes" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { method: string; path: string; headers: Record<string, string>; query: Record<string, string> };
    expect(body.method).toBe("GET");
    expect(body.path).toBe("/get");
    expect(body.query).toEqual({ a: "1", b: "two" });
    expect(body.headers["x-test"]).toBe("yes");
  });

  it("serves status codes, deterministic bytes and titled HTML, 404 otherwise", async () => {
    const s = await fetch(`${server.url}/status/418`);
    expect(s.status).toBe(418);
    expect(await s.text()).toContain("418");
    const b = new Uint8Array(await (await fetch(`${server.url}/bytes/300`)).arrayBuffer());
    expect(b.length).toBe(300);
    expect([b[0], b[255], b[256], b[299]]).toEqual([0, 255, 0, 43]);
    const h = await (await fetch(`${server.url}/html/${encodeURIComponent("Hello & <World>")}`)).text();
    expect(h).toContain("<title>Hello &#38; &#60;World&#62;</title>");
    expect(h.match(/<p>/g)?.length).toBeGreaterThanOrEqual(3);
    expect((await fetch(`${server.url}/nothing/here`)).status).toBe(404);
    expect((await fetch(`${server.url}/status/abc`)).status).toBe(400);
  });

  it("counts the most requests in flight at once, and the log", async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/delay/0.3`).then((r) => r.json())));
    expect(responses).toHaveLength(5);
    let stats = server.stats();
    expect(stats.requests).toBe(5);
    expect(stats.maxConcurrent).toBe(5);
    expect(stats.active).toBe(0);
    expect(stats.log.map((e) => [e.method, e.path, e.status])).toEqual(Array(5).fill(["GET", "/delay/0.3", 200]));
    for (const e of stats.log) expect(e.endMs - e.startMs).toBeGreaterThanOrEqual(250);
    server.resetStats();
    // Sequential requests never overlap: maxConcurrent must say 1.
    for (let i = 0; i < 3; i++) await (await fetch(`${server.url}/delay/0.05`)).text();
    stats = server.stats();
    expect(stats).toMatchObject({ requests: 3, maxConcurrent: 1, active: 0 });
  });

  it("ends an aborted /delay request early and stops counting it as active", async () => {
    const controller = new AbortController();
    const pending = fetch(`${server.url}/delay/30`, { signal: controller.signal });
    await expect.poll(() => server.stats().active).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => server.stats().active).toBe(0);
    expect(server.stats().log).toHaveLength(1);
  });

  it("serves a crawlable site: 12 titled pages in a cycle, a 404, a slow page and an external link", async () => {
    const index = await (await fetch(`${server.url}/site/`)).text();
    expect(index).toContain("<title>Site index</title>");
    for (let n = 1; n <= 12; n++) expect(index).toContain(`href="/site/page/${n}"`);
    const pages = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${server.url}/site/page/${i + 1}`).then((r) => r.text())));
    pages.forEach((html, i) => expect(html).toContain(`<title>Page ${i + 1}</title>`));
    const all = pages.join("\n");
    expect(pages[11]).toContain(`href="1"`); // the cycle back to page 1, relative
    expect(all).toContain(`href="${server.url}/site/page/`); // absolute links
    expect(all).toContain(`href="#section-2"`);
    expect(all).toContain(`href="/site/missing"`);
    expect(all).toContain(`href="/delay/0.3"`);
    expect(all).toContain(`href="http://example.invalid/"`);
    expect((await fetch(`${server.url}/site/missing`)).status).toBe(404);
    expect((await fetch(`${server.url}/site/page/13`)).status).toBe(404);
  });

  it("closes promptly with keep-alive sockets open", async () => {
    const other = await startTestServer();
    await (await fetch(`${other.url}/get`)).text(); // fetch keeps the socket alive
    const t0 = performance.now();
    await other.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(fetch(`${other.url}/get`)).rejects.toThrow();
  });

  it("rejects a bad port with a clear message", async () => {
    await expect(startTestServer({ port: -1 })).rejects.toThrow("Expected `port` to be an integer from 0 to 65535");
  });
});
