// A correct solution unlike the reference: `concurrency` async loops share a queue; an idle loop
// waits until another loop queues more links or everyone is idle.
interface PageResult {
  url: string;
  status?: number;
  title?: string;
  error?: string;
}

async function crawl(startUrl: string, options: { concurrency: number; maxPages?: number }): Promise<PageResult[]> {
  const origin = new URL(startUrl).origin;
  const max = options.maxPages ?? Infinity;
  const start = new URL(startUrl);
  start.hash = "";
  const queue = [start.href];
  const seen = new Set(queue);
  const results: PageResult[] = [];
  let taken = 0;
  let busy = 0;
  const wake: Array<() => void> = [];
  const notify = () => wake.splice(0).forEach((w) => w());

  async function loop(): Promise<void> {
    for (;;) {
      if (taken >= max) return;
      const url = queue.shift();
      if (url === undefined) {
        if (busy === 0) return notify();
        await new Promise<void>((r) => wake.push(r));
        continue;
      }
      taken++;
      busy++;
      try {
        const res = await fetch(url);
        const html = await res.text();
        const result: PageResult = { url, status: res.status };
        if ((res.headers.get("content-type") ?? "").startsWith("text/html")) {
          const t = html.match(/<title>(.*?)<\/title>/);
          if (t) result.title = t[1];
          for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
            const link = new URL(href!, url);
            link.hash = "";
            if (link.origin === origin && !seen.has(link.href)) {
              seen.add(link.href);
              queue.push(link.href);
            }
          }
        }
        results.push(result);
      } catch (e) {
        results.push({ url, error: String(e) });
      } finally {
        busy--;
        notify();
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return results.sort((a, b) => a.url.localeCompare(b.url, "en", { numeric: false }));
}

export {};
