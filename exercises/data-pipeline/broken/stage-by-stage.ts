// expect-fail: [2] the stages work at the same time (streaming, not one stage after the other)
// expect-fail: [2] backpressure: a slow last stage makes the source wait (bounded buffers)
// expect-fail: [1] an error in a stage rejects runPipeline with that error and stops reading the source
// Stage by stage: reads the whole source first (all of it, even when a stage fails), runs stage 1
// on everything (with its limit), then stage 2.
interface Stage {
  name?: string;
  concurrency: number;
  fn: (item: any) => unknown;
}

async function runPipeline(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  stages: Stage[],
  _options: { buffer?: number } = {},
): Promise<unknown[]> {
  let items: unknown[] = [];
  for await (const value of source) items.push(value);
  for (const stage of stages) {
    const out: unknown[] = new Array(items.length);
    let next = 0;
    const loop = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await stage.fn(items[i]);
      }
    };
    await Promise.all(Array.from({ length: stage.concurrency }, loop));
    items = out;
  }
  return items;
}

export {};
