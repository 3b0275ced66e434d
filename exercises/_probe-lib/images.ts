/**
 * Deterministic test images for image-processor, and the filters as the contract defines them.
 * Used by the probes (in the sandbox) to make inputs, and by the suite (trusted) to compute the
 * expected outputs: the same images on both sides without sending megabytes over IPC.
 */
export interface Image {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** An RGBA image of pseudo-random pixels (a linear congruential generator seeded with `seed`). */
export function makeImage(width: number, height: number, seed: number): Image {
  const data = new Uint8ClampedArray(width * height * 4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    data[i] = x >>> 24;
  }
  return { width, height, data };
}

/** The contract's filters (the reference semantics the suite compares against, within 1 per channel). */
export function applyFilter(filter: string, image: Image): Uint8ClampedArray {
  const { width: w, height: h, data: src } = image;
  const out = new Uint8ClampedArray(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[i + 3] = src[i + 3]!;
      if (filter === "invert") {
        for (let c = 0; c < 3; c++) out[i + c] = 255 - src[i + c]!;
      } else if (filter === "grayscale") {
        const g = Math.round(0.299 * src[i]! + 0.587 * src[i + 1]! + 0.114 * src[i + 2]!);
        out[i] = out[i + 1] = out[i + 2] = g;
      } else {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          let count = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy;
              const xx = x + dx;
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              sum += src[(yy * w + xx) * 4 + c]!;
              count += 1;
            }
          }
          out[i + c] = Math.round(sum / count);
        }
      }
    }
  }
  return out;
}

/** A checksum of pixel data, to compare large outputs without sending them. */
export function checksum(data: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum * 31 + data[i]!) % 1_000_000_007;
  return sum;
}
