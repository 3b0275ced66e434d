import { Worker } from "node:worker_threads";

/** An RGBA image, 4 bytes per pixel, rows top to bottom (the layout of the browser's ImageData). */
interface Image {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
type Filter = "grayscale" | "invert" | "blur";

/**
 * Apply `filter` to every image on a pool of `workers` worker threads; new images in input order,
 * the inputs unchanged.
 */
function processImages(images: Image[], options: { workers: number; filter: Filter }): Promise<Image[]> {
  // BEGIN SOLUTION
  // The worker's code travels as text (a function from a cell would not).
  const source = `
    const { parentPort } = require("node:worker_threads");
    function apply(filter, w, h, src) {
      const out = new Uint8ClampedArray(src.length);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        out[i + 3] = src[i + 3];
        if (filter === "invert") for (let c = 0; c < 3; c++) out[i + c] = 255 - src[i + c];
        else if (filter === "grayscale") out[i] = out[i + 1] = out[i + 2] = Math.round(0.299 * src[i] + 0.587 * src[i + 1] + 0.114 * src[i + 2]);
        else for (let c = 0; c < 3; c++) {
          let sum = 0, count = 0;
          for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
            for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) { sum += src[(yy * w + xx) * 4 + c]; count++; }
          out[i + c] = Math.round(sum / count);
        }
      }
      return out;
    }
    parentPort.on("message", ({ index, filter, width, height, data }) => {
      const out = apply(filter, width, height, data);
      parentPort.postMessage({ index, data: out }, [out.buffer]); // the result moves back, no copy
    });`;
  if (images.length === 0) return Promise.resolve([]);
  const results: Image[] = new Array(images.length);
  const pool = Array.from(
    { length: Math.min(options.workers, images.length) },
    () => new Worker(source, { eval: true }),
  );
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const stop = () => pool.forEach((w) => void w.terminate());
    // Each worker takes the next image when it finishes one: a big image holds back only its worker.
    const feed = (worker: Worker) => {
      if (next >= images.length) return;
      const index = next++;
      const { width, height, data } = images[index]!;
      worker.postMessage({ index, filter: options.filter, width, height, data }); // a copy: the input stays intact
    };
    for (const worker of pool) {
      worker.on("message", ({ index, data }: { index: number; data: Uint8ClampedArray }) => {
        results[index] = { width: images[index]!.width, height: images[index]!.height, data };
        done += 1;
        if (done === images.length) {
          stop();
          resolve(results);
        } else feed(worker);
      });
      worker.once("error", (error) => {
        stop();
        reject(error);
      });
      feed(worker);
    }
  });
  // END SOLUTION
}

export {}; // makes this file a module for the type checker; not part of the notebook cell
