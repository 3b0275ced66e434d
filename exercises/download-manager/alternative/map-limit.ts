// A correct solution unlike the reference: the course helpers' mapLimit does the pooling.
import { mapLimit } from "../../../kernel-helpers/index";

interface DownloadResult {
  url: string;
  ok: boolean;
  status?: number;
  bytes: number;
  error?: string;
}

async function downloadAll(
  urls: string[],
  options: { concurrency: number; onProgress?: (done: number, total: number) => void },
): Promise<DownloadResult[]> {
  let done = 0;
  return mapLimit(urls, options.concurrency, async (url: string) => {
    let result: DownloadResult;
    try {
      const response = await fetch(url);
      result = { url, ok: response.ok, status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    } catch (error) {
      result = { url, ok: false, bytes: 0, error: (error as Error).message };
    }
    options.onProgress?.(++done, urls.length);
    return result;
  });
}

export {};
