// Grading suite of download-manager (run by `tsnb grade`). The test server runs here, in the trusted
// process: its count of requests in flight is what the concurrency tests believe.
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../../kernel-helpers/index.ts";
import { probe } from "../../src/grade/suite.ts";

interface Seen {
  results: Array<{ url: string; ok: boolean; status?: number; bytes: number; error?: string }>;
  progress: Array<[number, number]>;
}

let server: TestServer;
let refusedUrl = "";
beforeAll(async () => {
  server = await startTestServer();
  // A port that was free a moment ago and is closed now: connecting to it is refused.
  const probeServer = createServer();
  await new Promise<void>((r) => probeServer.listen(0, "127.0.0.1", r));
  refusedUrl = `http://127.0.0.1:${(probeServer.address() as { port: number }).port}/gone`;
  await new Promise((r) => probeServer.close(r));
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const run = (urls: string[], concurrency: number) =>
  probe<Seen>("download", { urls, concurrency }, { timeoutMs: 20_000 });

test("[2] results come in input order, with ok, status and the body's size in bytes", async () => {
  // The first URLs finish last: results in completion order would be reversed.
  const urls = [
    `${server.url}/delay/0.3`,
    `${server.url}/delay/0.15`,
    `${server.url}/bytes/2048`,
    `${server.url}/bytes/0`,
    `${server.url}/bytes/100`,
  ];
  const { results } = await run(urls, 5);
  expect(
    results.map((r) => r.url),
    "results[i] should be the result of urls[i]",
  ).toEqual(urls);
  expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
  expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(
    results.slice(2).map((r) => r.bytes),
    "bytes: the length of the response body",
  ).toEqual([2048, 0, 100]);
});

test("[1] an HTTP error status gives ok: false with the status, and the other URLs still succeed", async () => {
  const urls = [
    `${server.url}/status/404`,
    `${server.url}/bytes/10`,
    `${server.url}/status/500`,
    `${server.url}/bytes/20`,
  ];
  const { results } = await run(urls, 1);
  expect(results.map((r) => [r.ok, r.status])).toEqual([
    [false, 404],
    [true, 200],
    [false, 500],
    [true, 200],
  ]);
  expect(results[3]!.bytes).toBe(20);
});

test("[1] a refused connection gives ok: false with an error message, and stops nothing else", async () => {
  const urls = [`${server.url}/bytes/5`, refusedUrl, `${server.url}/bytes/7`];
  const { results } = await run(urls, 1);
  expect(results[1], "the refused URL's result").toMatchObject({ url: refusedUrl, ok: false, bytes: 0 });
  expect(
    typeof results[1]!.error === "string" && results[1]!.error.length > 0,
    "error should say what went wrong",
  ).toBe(true);
  expect(
    results.map((r) => r.bytes),
    "the URLs around it are downloaded",
  ).toEqual([5, 0, 7]);
});

test("[2] never more than `concurrency` requests in flight, and that many while enough are pending", async () => {
  await run(
    Array.from({ length: 12 }, (_, i) => `${server.url}/delay/0.1?i=${i}`),
    3,
  );
  const stats = server.stats();
  expect(stats.requests, "every URL requested once").toBe(12);
  expect(
    stats.maxConcurrent,
    "requests in flight at once, with concurrency 3 and 12 URLs (the test server counted)",
  ).toBe(3);
});

test("[2] a slow download does not hold back the others (a pool, not batches)", async () => {
  const urls = [`${server.url}/delay/1.2`, ...Array.from({ length: 6 }, (_, i) => `${server.url}/delay/0.1?i=${i}`)];
  await run(urls, 2);
  const log = server.stats().log;
  const slow = log.find((e) => e.path === "/delay/1.2")!;
  const startedDuringSlow = log.filter((e) => e.path !== "/delay/1.2" && e.startMs < slow.endMs).length;
  expect(
    startedDuringSlow,
    "with concurrency 2, all six short downloads should run while the slow one is in flight",
  ).toBe(6);
});

test("[1] concurrency 1 downloads one at a time", async () => {
  await run(
    Array.from({ length: 4 }, (_, i) => `${server.url}/delay/0.05?i=${i}`),
    1,
  );
  expect(server.stats().maxConcurrent).toBe(1);
});

test("[1] onProgress(done, total) after each completion, counting up to (n, n)", async () => {
  const urls = Array.from({ length: 5 }, (_, i) => `${server.url}/bytes/${i}`);
  const { progress } = await run([...urls, refusedUrl], 2);
  expect(progress).toEqual([
    [1, 6],
    [2, 6],
    [3, 6],
    [4, 6],
    [5, 6],
    [6, 6],
  ]);
});
