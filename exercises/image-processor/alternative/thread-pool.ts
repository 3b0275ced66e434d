// A correct solution unlike the reference: the helpers' ThreadPool maps a filter function over
// the images (the function travels to the threads as source text).
import { ThreadPool } from "../../../kernel-helpers/index";

interface Image {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function processImages(images: Image[], options: { workers: number; filter: string }): Promise<Image[]> {
  if (images.length === 0) return [];
  const pool = new ThreadPool({ size: Math.min(options.workers, images.length) });
  try {
    const jobs = images.map((img) => ({ ...img, filter: options.filter }));
    return await pool.map((job: Image & { filter: string }) => {
      const { width: w, height: h, data: src, filter } = job;
      const out = new Uint8ClampedArray(src.length);
      for (let i = 0; i < src.length; i += 4) {
        out[i + 3] = src[i + 3]!;
        if (filter === "invert") {
          out[i] = 255 - src[i]!;
          out[i + 1] = 255 - src[i + 1]!;
          out[i + 2] = 255 - src[i + 2]!;
        } else if (filter === "grayscale") {
          out[i] = out[i + 1] = out[i + 2] = Math.round(0.299 * src[i]! + 0.587 * src[i + 1]! + 0.114 * src[i + 2]!);
        } else {
          const x = (i / 4) % w;
          const y = Math.floor(i / 4 / w);
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            let n = 0;
            for (let yy = y - 1; yy <= y + 1; yy++)
              for (let xx = x - 1; xx <= x + 1; xx++)
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                  sum += src[(yy * w + xx) * 4 + c]!;
                  n++;
                }
            out[i + c] = Math.round(sum / n);
          }
        }
      }
      return { width: w, height: h, data: out };
    }, jobs);
  } finally {
    await pool.close();
  }
}

export {};
