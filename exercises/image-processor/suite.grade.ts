// Grading suite of image-processor (run by `tsnb grade`): "[points] what is checked". The expected
// pixels are computed here, from the same deterministic images the probe makes.
import { expect, test } from "vitest";
import { applyFilter, checksum, makeImage } from "../_probe-lib/images.ts";
import { probe } from "../../src/grade/suite.ts";

type Out = { width: number; height: number; length: number; data?: number[]; sum?: number };
type Seen = { outputs: Out[]; inputsIntact: boolean; maxAlive: number; elu: number };

const SMALL: Array<[number, number, number]> = [
  [7, 5, 1],
  [1, 1, 2],
  [3, 1, 3],
  [1, 4, 4],
  [16, 9, 5],
];

async function checkFilter(filter: string) {
  const seen = await probe<Seen>("run", { sizes: SMALL, workers: 2, filter, full: true }, { timeoutMs: 20_000 });
  expect(seen.outputs.length, "one output image per input").toBe(SMALL.length);
  SMALL.forEach(([w, h, seed], k) => {
    const want = applyFilter(filter, makeImage(w, h, seed));
    const got = seen.outputs[k]!;
    expect([got.width, got.height, got.length], `image ${k} (${w}x${h}): width, height, data.length`).toEqual([
      w,
      h,
      w * h * 4,
    ]);
    const bad = want.findIndex((v, i) => Math.abs(v - (got.data![i] ?? -999)) > 1);
    const where =
      bad < 0
        ? ""
        : `pixel (${(bad >> 2) % w}, ${Math.floor((bad >> 2) / w)}) channel ${"RGBA"[bad % 4]}: expected ${want[bad]}, got ${got.data![bad]}`;
    expect(where, `${filter} of image ${k} (${w}x${h}), within 1 per channel`).toBe("");
  });
}

test("[1] invert: 255 - R, G, B; alpha kept", async () => {
  await checkFilter("invert");
});

test("[2] grayscale: R = G = B = round(0.299 R + 0.587 G + 0.114 B); alpha kept", async () => {
  await checkFilter("grayscale");
});

test("[2] blur: the mean of the 3x3 neighbourhood inside the image (edges and corners too); alpha kept", async () => {
  await checkFilter("blur");
});

test("[1] outputs in input order, new images: the inputs are left unchanged", async () => {
  const sizes: Array<[number, number, number]> = [
    [40, 30, 11],
    [2, 2, 12],
    [25, 60, 13],
    [9, 9, 14],
  ];
  const seen = await probe<Seen>("run", { sizes, workers: 3, filter: "invert", full: false }, { timeoutMs: 20_000 });
  expect(
    seen.outputs.map((o) => [o.width, o.height]),
    "output sizes, in input order",
  ).toEqual(sizes.map(([w, h]) => [w, h]));
  expect(seen.outputs.map((o) => o.sum)).toEqual(
    sizes.map(([w, h, s]) => checksum(applyFilter("invert", makeImage(w, h, s)))),
  );
  expect(seen.inputsIntact, "the input images were changed (or their buffers transferred away)").toBe(true);
});

test("[2] a pool of exactly `workers` threads: 8 images on 3 workers run on 3 threads at once", async () => {
  const sizes = Array.from({ length: 8 }, (_, i) => [120, 100, 20 + i] as [number, number, number]);
  const seen = await probe<Seen>("run", { sizes, workers: 3, filter: "invert", full: false }, { timeoutMs: 20_000 });
  expect(seen.maxAlive, "worker threads alive at once").toBe(3);
  expect(seen.outputs.map((o) => o.sum)).toEqual(
    sizes.map(([w, h, s]) => checksum(applyFilter("invert", makeImage(w, h, s)))),
  );
});

test("[2] the main thread stays free while the workers filter (its event loop is mostly idle)", async () => {
  const sizes = Array.from({ length: 4 }, (_, i) => [800, 600, 40 + i] as [number, number, number]);
  const seen = await probe<Seen>("run", { sizes, workers: 2, filter: "blur", full: false }, { timeoutMs: 30_000 });
  expect(seen.maxAlive, "no worker thread was started: the images were filtered on the main thread").toBeGreaterThan(0);
  expect(seen.elu, "the main thread was busy most of the time: filter in the workers").toBeLessThan(0.5);
});
