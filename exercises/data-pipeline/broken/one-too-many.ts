// expect-fail: [2] each stage runs at most `concurrency` calls at once, and that many when it has work
// One loop too many per stage (an off-by-one): concurrency + 1 calls at once.
/** One stage of a pipeline: `fn` is applied to every item, at most `concurrency` calls at once. */
interface Stage {
  name?: string;
  concurrency: number;
  fn: (item: any) => unknown;
}

/**
 * Stream the source's items through the stages, all stages working at once, with a bounded buffer
 * of `buffer` items between two stages (backpressure); results in source order. The first error
 * rejects the whole run and stops reading the source.
 */
async function runPipeline(
  source: Iterable<unknown> | AsyncIterable<unknown>,
  stages: Stage[],
  options: { buffer?: number } = {},
): Promise<unknown[]> {
  const size = options.buffer ?? 4;
  type Job = { index: number; value: unknown };
  let failure: { error: unknown } | undefined;

  /** A bounded channel between two stages (one event loop: no locks, only waiting promises). */
  class Channel {
    private readonly items: Job[] = [];
    private getters: Array<() => void> = [];
    private putters: Array<() => void> = [];
    private closed = false;
    async put(job: Job): Promise<void> {
      // Re-check after every wake-up: another producer may have taken the free slot first.
      while (this.items.length >= size && !failure) await new Promise<void>((r) => this.putters.push(r));
      this.items.push(job);
      this.getters.shift()?.();
    }
    async get(): Promise<Job | undefined> {
      while (this.items.length === 0) {
        if (this.closed || failure) return undefined;
        await new Promise<void>((r) => this.getters.push(r));
      }
      const job = this.items.shift()!;
      this.putters.shift()?.();
      return job;
    }
    close(): void {
      this.closed = true;
      this.wakeAll();
    }
    wakeAll(): void {
      for (const wake of [...this.getters.splice(0), ...this.putters.splice(0)]) wake();
    }
  }

  const channels = Array.from({ length: stages.length + 1 }, () => new Channel());
  const fail = (error: unknown) => {
    failure ??= { error };
    channels.forEach((c) => c.wakeAll());
  };

  const feeder = (async () => {
    let index = 0;
    try {
      for await (const value of source) {
        if (failure) break; // leaving the loop calls the source's return(): it stops producing
        await channels[0]!.put({ index: index++, value });
      }
    } catch (error) {
      fail(error);
    }
    channels[0]!.close();
  })();

  const stageRuns = stages.map(async (stage, k) => {
    const input = channels[k]!;
    const output = channels[k + 1]!;
    const loop = async () => {
      for (let job = await input.get(); job && !failure; job = await input.get()) {
        try {
          await output.put({ index: job.index, value: await stage.fn(job.value) });
        } catch (error) {
          fail(error);
        }
      }
    };
    await Promise.all(Array.from({ length: stage.concurrency + 1 }, loop));
    output.close(); // every loop of this stage is done: the next stage drains and ends
  });

  const results: unknown[] = [];
  const last = channels[stages.length]!;
  for (let job = await last.get(); job; job = await last.get()) results[job.index] = job.value;
  await Promise.all([feeder, ...stageRuns]);
  if (failure) throw failure.error;
  return results;
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
