// expect-fail: [2] ok counts 2xx answers; failed counts error statuses and refused connections
// Any answer counts as ok, HTTP 500 included (fetch resolves for every status).
/** What a load test measured. Latencies in milliseconds; percentiles by nearest rank. */
interface LoadReport {
  requests: number;
  ok: number;
  failed: number;
  elapsedMs: number;
  rps: number;
  latencyMs: { min: number; p50: number; p95: number; p99: number; max: number };
}

/** Send exactly `requests` GET requests to `url`, at most `concurrency` at a time, and report. */
async function loadTest(url: string, options: { requests: number; concurrency: number }): Promise<LoadReport> {
  const { requests, concurrency } = options;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let started = 0;

  // Each of `concurrency` workers sends one request at a time until `requests` were started.
  // `started++` happens before the await: two workers never both take the last request.
  async function worker(): Promise<void> {
    while (started < requests) {
      started += 1;
      const t0 = performance.now();
      try {
        const response = await fetch(url);
        await response.arrayBuffer(); // the latency includes reading the body
        if (response) ok += 1;
        else failed += 1;
      } catch {
        failed += 1; // no response at all (refused, reset)
      }
      latencies.push(performance.now() - t0);
    }
  }

  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const elapsedMs = performance.now() - t0;

  latencies.sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const rank = (p: number) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
  return {
    requests,
    ok,
    failed,
    elapsedMs,
    rps: requests / (elapsedMs / 1000),
    latencyMs: {
      min: latencies[0] ?? 0,
      p50: rank(50),
      p95: rank(95),
      p99: rank(99),
      max: latencies[latencies.length - 1] ?? 0,
    },
  };
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
