// Grading suite of load-tester (run by `tsnb grade`). The target server runs here, in the trusted
// process: it counts requests and requests in flight itself, and decides which requests are slow.
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { probe } from "../../src/grade/suite.ts";

interface Report {
  requests: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  rps: number;
  latencyMs: { min: number; p50: number; p95: number; p99: number; max: number };
}

let server: Server;
let base = "";
let received = 0;
let active = 0;
let maxActive = 0;
// Slow answers are far slower than fast ones even on a loaded machine: the percentile checks need
// only tell the two apart, never measure a fast answer precisely.
const SLOW_MS = 2000;

beforeAll(async () => {
  server = createServer((req, res) => {
    const k = received++;
    active += 1;
    maxActive = Math.max(maxActive, active);
    const finish = (status: number, ms: number) =>
      setTimeout(() => {
        active -= 1;
        res.writeHead(status, { "content-type": "text/plain" }).end(`${status}\n`);
      }, ms);
    if (req.url === "/mixed")
      finish(200, k % 20 === 19 ? SLOW_MS : 0); // exactly 1 in 20 slow
    else if (req.url === "/flaky")
      finish(k % 4 === 3 ? 500 : 200, 0); // every 4th fails
    else if (req.url === "/slow") finish(200, 100);
    else finish(404, 0);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  received = 0;
  maxActive = 0;
});

const run = (path: string, requests: number, concurrency: number) =>
  probe<{ report: Report; wallMs: number }>(
    "run",
    { url: `${base}${path}`, requests, concurrency },
    { timeoutMs: 30_000 },
  );

test("[2] exactly `requests` requests are made, and the report counts them", async () => {
  const { report } = await run("/slow", 23, 4);
  expect(received, "requests the server received for loadTest(url, { requests: 23, concurrency: 4 })").toBe(23);
  expect(report.requests).toBe(23);
  expect(report.ok + report.failed, "ok + failed should add up to requests").toBe(23);
});

test("[2] ok counts 2xx answers; failed counts error statuses and refused connections", async () => {
  const { report } = await run("/flaky", 40, 5);
  expect([report.ok, report.failed], "[ok, failed] when every 4th answer is HTTP 500").toEqual([30, 10]);
  const closed = createTcpServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const port = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const refused = await probe<{ report: Report }>(
    "run",
    { url: `http://127.0.0.1:${port}/`, requests: 5, concurrency: 2 },
    { timeoutMs: 20_000 },
  );
  expect([refused.report.ok, refused.report.failed], "[ok, failed] when every connection is refused").toEqual([0, 5]);
});

test("[2] at most `concurrency` requests in flight, and that many while enough remain", async () => {
  await run("/slow", 20, 4);
  expect(maxActive, "requests in flight at once, counted by the server (20 requests, concurrency 4)").toBe(4);
  maxActive = 0;
  await run("/slow", 5, 1);
  expect(maxActive, "with concurrency 1, one request at a time").toBe(1);
});

test("[2] latency percentiles by nearest rank (38 fast answers and 2 slow ones)", async () => {
  const { report } = await run("/mixed", 40, 5);
  const l = report.latencyMs;
  const shown = JSON.stringify(l);
  expect(
    l.min <= l.p50 && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max,
    `min <= p50 <= p95 <= p99 <= max: ${shown}`,
  ).toBe(true);
  expect(l.p50, `p50 is a fast answer: ${shown}`).toBeLessThan(SLOW_MS / 2);
  expect(
    l.p95,
    `p95 by nearest rank is the 38th of 40 sorted latencies (rank ceil(0.95 * 40)), a fast one: ${shown}`,
  ).toBeLessThan(SLOW_MS / 2);
  expect(l.p99, `p99 is the 40th of 40, a slow one (${SLOW_MS} ms): ${shown}`).toBeGreaterThanOrEqual(SLOW_MS - 5);
  expect(l.max, `max: ${shown}`).toBeGreaterThanOrEqual(SLOW_MS - 5);
});

test("[2] elapsedMs is the test's wall time and rps = requests / elapsed seconds", async () => {
  const { report, wallMs } = await run("/slow", 8, 8);
  expect(typeof report.elapsedMs).toBe("number");
  // 8 requests of 100 ms at once: at least 100 ms, at least the slowest request, at most the call.
  expect(report.elapsedMs, `elapsedMs (the call took ${wallMs.toFixed(0)} ms)`).toBeGreaterThanOrEqual(95);
  expect(report.elapsedMs, "the test lasts at least as long as its slowest request").toBeGreaterThanOrEqual(
    report.latencyMs.max - 1,
  );
  expect(report.elapsedMs, `elapsedMs cannot be longer than the call (${wallMs.toFixed(0)} ms)`).toBeLessThanOrEqual(
    wallMs + 5,
  );
  expect(report.rps, "rps should be requests per second of elapsed time").toBeCloseTo(8 / (report.elapsedMs / 1000), 1);
});
