// Probes of download-manager: call downloadAll on URLs of the suite's test server (which counts the
// requests in flight itself, in the suite's process) and return the results and progress calls.
interface DownloadResult {
  url: string;
  ok: boolean;
  status?: number;
  bytes: number;
  error?: string;
}
type Sub = {
  downloadAll(
    urls: string[],
    options: { concurrency: number; onProgress?: (done: number, total: number) => void },
  ): Promise<DownloadResult[]>;
};

export async function download(sub: Sub, args: { urls: string[]; concurrency: number }) {
  const progress: Array<[number, number]> = [];
  const results = await sub.downloadAll(args.urls, {
    concurrency: args.concurrency,
    onProgress: (d, t) => progress.push([d, t]),
  });
  // Plain data only: what a result holds beyond the contract is dropped.
  const plain = Array.isArray(results)
    ? results.map((r) => ({
        url: r?.url,
        ok: r?.ok,
        status: r?.status,
        bytes: r?.bytes,
        error: typeof r?.error === "string" ? r.error : r?.error === undefined ? undefined : String(r.error),
      }))
    : results;
  return { results: plain, progress };
}
