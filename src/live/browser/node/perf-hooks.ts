/** `node:perf_hooks` for the browser runtime: the browser's own `performance`, and a simple event-loop delay monitor. */
import { timers } from "./timers";

interface Histogram {
  min: number;
  max: number;
  mean: number;
  count: number;
  percentile(p: number): number;
  enable(): boolean;
  disable(): boolean;
  reset(): void;
}

/** `monitorEventLoopDelay`: samples how late a timer fires (in nanoseconds, as Node reports). */
export function monitorEventLoopDelay(options: { resolution?: number } = {}): Histogram {
  const resolution = options.resolution ?? 10;
  let samples: number[] = [];
  let timer: ReturnType<typeof timers.setInterval> | undefined;
  let last = 0;
  const h: Histogram = {
    get min() {
      return samples.length ? Math.min(...samples) : 0;
    },
    get max() {
      return samples.length ? Math.max(...samples) : 0;
    },
    get mean() {
      return samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0;
    },
    get count() {
      return samples.length;
    },
    percentile(p: number) {
      if (!samples.length) return 0;
      const sorted = [...samples].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
    },
    enable() {
      if (timer) return false;
      last = performance.now();
      timer = timers.setInterval(() => {
        const now = performance.now();
        samples.push(Math.max(0, now - last - resolution) * 1e6);
        last = now;
      }, resolution).unref();
      return true;
    },
    disable() {
      if (!timer) return false;
      timer.clear();
      timer = undefined;
      return true;
    },
    reset() {
      samples = [];
    },
  };
  return h;
}

export const perfHooks = {
  performance: globalThis.performance,
  PerformanceObserver: globalThis.PerformanceObserver,
  monitorEventLoopDelay,
  constants: {},
};
export const performance = globalThis.performance;
export default perfHooks;
