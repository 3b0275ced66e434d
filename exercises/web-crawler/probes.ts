// Probes of web-crawler: crawl a URL of the suite's servers and return the results as plain data.
type Sub = { crawl(startUrl: string, options: { concurrency: number; maxPages?: number }): Promise<unknown> };

export async function crawl(sub: Sub, args: { url: string; concurrency: number; maxPages?: number }) {
  const options: { concurrency: number; maxPages?: number } = { concurrency: args.concurrency };
  if (args.maxPages !== undefined) options.maxPages = args.maxPages;
  return JSON.parse(JSON.stringify((await sub.crawl(args.url, options)) ?? null));
}
