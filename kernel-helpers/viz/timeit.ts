/** `timeit`: IPython's `%timeit` for a function (sync or async). */
import { checkPositiveInt, invalid } from "../errors";

/** Options of {@link timeit}. */
export interface TimeitOptions {
  /** How many runs (each of `number` calls). @default 5 */
  repeat?: number;
  /** Calls per run. @default chosen (1, 2, 5, 10, 20, 50, ...) so that one run takes at least 0.2 s */
  number?: number;
}

/** What {@link timeit} measured: per-call times in milliseconds. */
export class TimeitResult {
  /** Per-call time of each run, ms. */
  readonly runsMs: number[];
  /** Calls per run. */
  readonly number: number;
  /** Runs. */
  readonly repeat: number;
  /** The best run's per-call time, ms (the least disturbed by other work). */
  readonly bestMs: number;
  /** The mean per-call time over runs, ms. */
  readonly meanMs: number;
  /** The standard deviation of per-call times over runs, ms. */
  readonly stdevMs: number;

  constructor(runsMs: number[], number: number) {
    this.runsMs = runsMs;
    this.number = number;
    this.repeat = runsMs.length;
    this.bestMs = Math.min(...runsMs);
    this.meanMs = runsMs.reduce((a, b) => a + b, 0) / runsMs.length;
    this.stdevMs = Math.sqrt(runsMs.reduce((a, b) => a + (b - this.meanMs) ** 2, 0) / runsMs.length);
  }

  /** The mean per-call time, ms (the number to compare). */
  get perCallMs(): number {
    return this.meanMs;
  }

  /** As IPython prints it: `1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 5 runs, 100 loops each)`. */
  toString(): string {
    const runs = `${this.repeat} run${this.repeat === 1 ? "" : "s"}`;
    const loops = `${this.number} loop${this.number === 1 ? "" : "s"} each`;
    return `${formatMs(this.meanMs)} ± ${formatMs(this.stdevMs)} per loop (mean ± std. dev. of ${runs}, ${loops})`;
  }
}

/** Formats milliseconds with the unit IPython would pick (ns, µs, ms, s), three significant digits. */
export function formatMs(ms: number): string {
  const [value, unit] =
    ms >= 1000 ? [ms / 1000, "s"] : ms >= 1 ? [ms, "ms"] : ms >= 1e-3 ? [ms * 1e3, "µs"] : [ms * 1e6, "ns"];
  return `${value.toPrecision(3)} ${unit}`;
}

async function run(fn: () => unknown, number: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < number; i++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  return performance.now() - t0;
}

/**
 * Times `fn` like IPython's `%timeit`: `repeat` runs of `number` calls; prints nothing, returns a result whose
 * `toString()` reads like IPython's line.
 * @example
 * const r = await timeit(() => fib(20));
 * console.log(`${r}`);   // 52.1 µs ± 1.2 µs per loop (mean ± std. dev. of 5 runs, 5000 loops each)
 */
export async function timeit(fn: () => unknown, options: TimeitOptions = {}): Promise<TimeitResult> {
  if (typeof fn !== "function") invalid("fn", "a function", fn);
  const repeat = options.repeat === undefined ? 5 : checkPositiveInt("repeat", options.repeat);
  let number = options.number === undefined ? 0 : checkPositiveInt("number", options.number);
  if (!number) {
    // Python's Timer.autorange: 1, 2, 5, 10, 20, 50, ... until one run takes at least 0.2 s.
    for (let base = 1; ; base *= 10) {
      let found = 0;
      for (const k of [1, 2, 5]) {
        const n = base * k;
        if ((await run(fn, n)) >= 200) {
          found = n;
          break;
        }
      }
      if (found) {
        number = found;
        break;
      }
    }
  }
  const runsMs: number[] = [];
  for (let i = 0; i < repeat; i++) runsMs.push((await run(fn, number)) / number);
  return new TimeitResult(runsMs, number);
}
