// expect-fail: [2] a pool of exactly `workers` threads: 8 images on 3 workers run on 3 threads at once
// expect-fail: [2] the main thread stays free while the workers filter (its event loop is mostly idle)
// Right pixels, computed on the main thread.
interface Image {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function processImages(images: Image[], options: { workers: number; filter: string }): Promise<Image[]> {
  return images.map(({ width: w, height: h, data: src }) => {
    const out = new Uint8ClampedArray(src.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        out[i + 3] = src[i + 3]!;
        if (options.filter === "invert") for (let c = 0; c < 3; c++) out[i + c] = 255 - src[i + c]!;
        else if (options.filter === "grayscale")
          out[i] = out[i + 1] = out[i + 2] = Math.round(0.299 * src[i]! + 0.587 * src[i + 1]! + 0.114 * src[i + 2]!);
        else
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            let count = 0;
            for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
              for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
                sum += src[(yy * w + xx) * 4 + c]!;
                count++;
              }
            out[i + c] = Math.round(sum / count);
          }
      }
    return { width: w, height: h, data: out };
  });
}

export {};
