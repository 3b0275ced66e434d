/**
 * The event-loop lag meter: the Node analogue of the GIL lesson. One thread runs every callback of this event
 * loop, so while a callback computes, every timer, request and other callback waits. The meter asks for a timer
 * every `intervalMs` and records how late each one fires.
 */
import { checkPositiveInt, invalid } from "../errors";
import { displayHtml } from "./display";
import { type LagSample, lagSvg } from "./lag-svg";

export type { LagSample } from "./lag-svg";

/** What the meter measured. */
export class LagReport {
  /** Every sample, in order. */
  readonly samples: LagSample[];
  /** The worst lag, ms. */
  readonly maxMs: number;
  /** The mean lag, ms. */
  readonly meanMs: number;
  /** The 99th percentile lag (nearest rank), ms. */
  readonly p99Ms: number;
  /** How long the meter ran, ms. */
  readonly durationMs: number;
  /** The timer interval, ms. */
  readonly intervalMs: number;

  constructor(samples: LagSample[], durationMs: number, intervalMs: number) {
    this.samples = samples;
    this.durationMs = durationMs;
    this.intervalMs = intervalMs;
    const lags = samples.map((s) => s.lagMs).sort((a, b) => a - b);
    this.maxMs = lags.length ? (lags[lags.length - 1] ?? 0) : 0;
    this.meanMs = lags.length ? lags.reduce((a, b) => a + b, 0) / lags.length : 0;
    this.p99Ms = lags.length ? (lags[Math.max(0, Math.ceil(0.99 * lags.length) - 1)] ?? 0) : 0;
  }

  /** A chart of lag over time as standalone SVG. */
  svg(options: { width?: number; title?: string } = {}): string {
    return lagSvg(this, options);
  }

  /** Shows the chart in the notebook cell (tslab); elsewhere prints the summary. */
  display(options: { width?: number; title?: string } = {}): void {
    displayHtml(this.svg(options), this.toString());
  }

  /** e.g. `event-loop lag over 1520 ms: max 812.4 ms, p99 812.4 ms, mean 41.2 ms (150 samples)`. */
  toString(): string {
    return `event-loop lag over ${this.durationMs.toFixed(0)} ms: max ${this.maxMs.toFixed(1)} ms, p99 ${this.p99Ms.toFixed(1)} ms, mean ${this.meanMs.toFixed(1)} ms (${this.samples.length} samples)`;
  }
}

/** Options of {@link LagMeter} and {@link measureLag}. */
export interface LagMeterOptions {
  /** How often to sample, ms. @default 10 */
  intervalMs?: number;
}

/**
 * Measures how late timers fire on this thread's event loop.
 * @example
 * const meter = new LagMeter().start();
 * blockFor(200);                 // a synchronous computation on the event loop
 * await sleep(50);
 * const report = meter.stop();   // report.maxMs is about 200
 * report.display();
 */
export class LagMeter {
  /** The sampling interval, ms. */
  readonly intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #samples: LagSample[] = [];
  #startedAt = 0;
  #expected = 0;

  constructor(options: LagMeterOptions = {}) {
    if (typeof options !== "object" || options === null) invalid("options", "an object", options);
    this.intervalMs = options.intervalMs === undefined ? 10 : checkPositiveInt("intervalMs", options.intervalMs);
  }

  /** Starts sampling (a no-op if already started). */
  start(): this {
    if (this.#timer) return this;
    this.#samples = [];
    this.#startedAt = performance.now();
    this.#schedule();
    return this;
  }

  #schedule(): void {
    this.#expected = performance.now() + this.intervalMs;
    // Why a chain of timeouts rather than setInterval: each sample measures one wait from a known start, and a
    // blocked loop yields one long sample instead of a burst of coalesced ones.
    this.#timer = setTimeout(() => {
      const now = performance.now();
      this.#samples.push({ atMs: now - this.#startedAt, lagMs: Math.max(0, now - this.#expected) });
      this.#schedule();
    }, this.intervalMs);
    // A meter must not keep a script alive on its own.
    this.#timer.unref();
  }

  /** Stops sampling and returns the report (also counting the lag of a sample due but not yet fired). */
  stop(): LagReport {
    const now = performance.now();
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      // Why count the pending sample: a loop blocked right up to stop() would otherwise show no lag at all.
      if (now > this.#expected) this.#samples.push({ atMs: now - this.#startedAt, lagMs: now - this.#expected });
    }
    return new LagReport(this.#samples, now - this.#startedAt, this.intervalMs);
  }
}

/**
 * Runs `fn` (sync or async) while measuring the event-loop lag; resolves with the report and `fn`'s result.
 * @example
 * const report = await measureLag(() => cpuBoundTask(1e8));
 * console.log(report.toString());
 */
export async function measureLag<T>(
  fn: () => T | Promise<T>,
  options: LagMeterOptions = {},
): Promise<LagReport & { result: Awaited<T> }> {
  if (typeof fn !== "function") invalid("fn", "a function", fn);
  const meter = new LagMeter(options).start();
  // Why yield first: the first timer must be armed before fn blocks, or a synchronous fn is not measured.
  await new Promise((r) => setImmediate(r));
  let result: Awaited<T>;
  try {
    result = await fn();
  } finally {
    await new Promise((r) => setTimeout(r, meter.intervalMs + 1));
  }
  const report = meter.stop();
  return Object.assign(report, { result });
}
