// expect-fail: [2] never more than `concurrency` requests in flight, and that many while enough are queued
// One page at a time, whatever concurrency says.
/** One page the crawler visited. */
interface PageResult {
  url: string;
  status?: number;
  title?: string;
  error?: string;
}

/**
 * Crawl the site of `startUrl`: fetch it, follow its links on the same origin, each URL once, with
 * at most `concurrency` requests in flight and at most `maxPages` pages; results sorted by URL.
 */
function crawl(startUrl: string, options: { concurrency: number; maxPages?: number }): Promise<PageResult[]> {
  const { maxPages = Number.POSITIVE_INFINITY } = options;
  const origin = new URL(startUrl).origin;
  const clean = (href: string, base: string): string | undefined => {
    try {
      const url = new URL(href, base);
      url.hash = "";
      return url.origin === origin && /^https?:$/.test(url.protocol) ? url.href : undefined;
    } catch {
      return undefined; // not a URL at all
    }
  };
  const first = clean(startUrl, startUrl)!;
  const seen = new Set([first]); // marked when queued, so two pages linking one URL queue it once
  const queue = [first];
  const results: PageResult[] = [];
  let started = 0;
  let active = 0;

  async function visit(url: string): Promise<PageResult> {
    try {
      const response = await fetch(url);
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("text/html")) {
        await response.arrayBuffer();
        return { url, status: response.status };
      }
      const html = await response.text();
      for (const m of html.matchAll(/<a\s[^>]*href\s*=\s*["']([^"']*)["']/gi)) {
        const link = clean(m[1]!, url);
        if (link !== undefined && !seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
      }
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
      return { url, status: response.status, ...(title !== undefined ? { title } : {}) };
    } catch (error) {
      return { url, error: String((error as { cause?: Error }).cause?.message ?? (error as Error).message) };
    }
  }

  return new Promise((resolve) => {
    // Start pages while there is room and work; each finished page may queue more and calls pump
    // again. Done when nothing runs and nothing more may start.
    const pump = () => {
      while (active < 1 && queue.length > 0 && started < maxPages) {
        const url = queue.shift()!;
        started += 1;
        active += 1;
        void visit(url).then((result) => {
          results.push(result);
          active -= 1;
          pump();
        });
      }
      if (active === 0) resolve(results.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)));
    };
    pump();
  });
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
