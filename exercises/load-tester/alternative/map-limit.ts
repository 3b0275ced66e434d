// A correct solution unlike the reference: the helpers' mapLimit, percentiles by an explicit rank.
import { mapLimit } from "../../../kernel-helpers/index";

async function loadTest(url: string, options: { requests: number; concurrency: number }) {
  const started = Date.now();
  const outcomes = await mapLimit(
    Array.from({ length: options.requests }, (_, i) => i),
    options.concurrency,
    async () => {
      const t = performance.now();
      let good = false;
      try {
        const r = await fetch(url);
        await r.text();
        good = r.ok;
      } catch {
        good = false;
      }
      return { good, ms: performance.now() - t };
    },
  );
  const elapsedMs = Date.now() - started;
  const sorted = outcomes.map((o: { ms: number }) => o.ms).sort((a: number, b: number) => a - b);
  const pct = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? 0;
  const ok = outcomes.filter((o: { good: boolean }) => o.good).length;
  return {
    requests: options.requests,
    ok,
    failed: options.requests - ok,
    elapsedMs,
    rps: options.requests / (elapsedMs / 1000),
    latencyMs: { min: sorted[0] ?? 0, p50: pct(50), p95: pct(95), p99: pct(99), max: sorted[sorted.length - 1] ?? 0 },
  };
}

export {};
