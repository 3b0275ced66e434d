// Probes of load-tester: run loadTest against the suite's server and time it from outside.
type Sub = { loadTest(url: string, options: { requests: number; concurrency: number }): Promise<unknown> };

export async function run(sub: Sub, args: { url: string; requests: number; concurrency: number }) {
  const t0 = performance.now();
  const report = await sub.loadTest(args.url, { requests: args.requests, concurrency: args.concurrency });
  const wallMs = performance.now() - t0;
  return { report: JSON.parse(JSON.stringify(report ?? null)), wallMs };
}
