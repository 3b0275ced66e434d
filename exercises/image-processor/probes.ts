// Probes of image-processor: make deterministic images, run processImages, report outputs (small
// images in full, large ones as checksums), whether the inputs survived, and how many threads ran.
import { performance } from "node:perf_hooks";
import workerThreads from "node:worker_threads";
import { checksum, makeImage, type Image } from "../_probe-lib/images";

let alive = 0;
let maxAlive = 0;
const Original = workerThreads.Worker;
class CountedWorker extends Original {
  constructor(...args: ConstructorParameters<typeof Original>) {
    super(...args);
    alive += 1;
    maxAlive = Math.max(maxAlive, alive);
    this.once("exit", () => (alive -= 1));
  }
}
(workerThreads as { Worker: typeof Original }).Worker = CountedWorker;

type Sub = { processImages(images: Image[], options: { workers: number; filter: string }): Promise<Image[]> };

export async function run(
  sub: Sub,
  args: { sizes: Array<[number, number, number]>; workers: number; filter: string; full: boolean },
) {
  const inputs = args.sizes.map(([w, h, seed]) => makeImage(w, h, seed));
  const before = inputs.map((img) => checksum(img.data));
  maxAlive = 0;
  const elu0 = performance.eventLoopUtilization();
  const outputs = await sub.processImages(inputs, { workers: args.workers, filter: args.filter });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const inputsIntact = inputs.every(
    (img, i) => img.data.length === img.width * img.height * 4 && checksum(img.data) === before[i],
  );
  const out = Array.isArray(outputs)
    ? outputs.map((o) => ({
        width: o?.width,
        height: o?.height,
        length: o?.data?.length,
        ...(args.full ? { data: Array.from(o?.data ?? []) } : { sum: checksum(o?.data ?? []) }),
      }))
    : [];
  return { outputs: out, inputsIntact, maxAlive, elu };
}
