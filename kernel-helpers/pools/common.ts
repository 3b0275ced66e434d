/** What the thread pool and the process pool share: options, stats, chunking and `map`. */
import { setMaxListeners } from "node:events";
import { checkPositiveInt, invalid, throwIfAborted } from "../errors";
import type { SpanSink } from "../viz/recorder";

/** Options of `ThreadPool` and `ProcessPool`. */
export interface PoolOptions {
  /** How many workers (threads or processes). @default os.availableParallelism() */
  size?: number;
  /** The pool's name; workers are called `<name>-worker-<n>`. @default "ThreadPool-N" / "ProcessPool-N" */
  name?: string;
  /** Record every task on this timeline (default: the timeline whose `record()` is running, if any). */
  timeline?: SpanSink;
}

/** Options of `run`. */
export interface RunOptions {
  /** Cancels the task: a queued one is dropped, a running one is stopped (its worker replaced). */
  signal?: AbortSignal;
}

/** Options of `map`. */
export interface MapOptions {
  /**
   * Items per task: fewer round trips for many small items.
   * @default Math.ceil(items.length / (size * 4)), as Python's multiprocessing.Pool.map
   */
  chunkSize?: number;
  /** Cancels every task of the map not finished yet. */
  signal?: AbortSignal;
}

/** Mean and percentiles of a duration, in milliseconds. */
export interface DurationSummary {
  mean: number;
  p50: number;
  p99: number;
}

/** What `pool.stats()` returns. */
export interface PoolStats {
  /** The most workers the pool runs. */
  size: number;
  /** Workers alive now. */
  workers: number;
  /** Tasks running now. */
  running: number;
  /** Tasks waiting for a worker. */
  queued: number;
  /** Tasks finished (succeeded or failed). */
  completed: number;
  /** Tasks that threw, crashed their worker or were cancelled. */
  failed: number;
  /** 0..1: how busy the workers were since the pool started (piscina's definition: run time over capacity). */
  utilization: number;
  /** Time tasks ran. */
  runTimeMs: DurationSummary;
  /** Time tasks waited in the queue. */
  waitTimeMs: DurationSummary;
}

/** Validates `size`, defaulting to the number of cores. */
export function poolSize(size: unknown, cores: number): number {
  return size === undefined ? cores : checkPositiveInt("size", size);
}

/** Python's default chunk size for `Pool.map`: about four chunks per worker. */
export function defaultChunkSize(items: number, size: number): number {
  return Math.max(1, Math.ceil(items / (size * 4)));
}

/** Splits `items` into arrays of `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Summary of a list of durations. */
export function summarize(values: number[]): DurationSummary {
  if (!values.length) return { mean: 0, p50: 0, p99: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p50: at(0.5), p99: at(0.99) };
}

/**
 * `pool.map`: items in chunks, results flattened in input order. The first failure cancels the tasks not finished
 * (through an AbortSignal joined with the caller's) and rejects the map.
 */
export async function mapInChunks<T, R>(
  items: Iterable<T>,
  size: number,
  options: MapOptions,
  runChunk: (chunk: T[], signal: AbortSignal) => Promise<R[]>,
): Promise<R[]> {
  if (items === null || typeof (items as Iterable<T>)?.[Symbol.iterator] !== "function")
    invalid("items", "an array or iterable", items);
  const list = Array.from(items);
  const chunkSize =
    options.chunkSize === undefined
      ? defaultChunkSize(list.length, size)
      : checkPositiveInt("chunkSize", options.chunkSize);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    invalid("signal", "an AbortSignal", options.signal);
  throwIfAborted(options.signal);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  // Why lift the listener limit: every chunk's task listens to this one signal (64 chunks is a normal map).
  setMaxListeners(0, signal);
  const pending = chunked(list, chunkSize).map((chunk) => runChunk(chunk, signal));
  try {
    const results = await Promise.all(pending);
    return results.flat(1) as R[];
  } catch (error) {
    // Why abort the rest: the map has failed; its other tasks would only keep workers busy for nobody.
    for (const p of pending) p.catch(() => undefined);
    controller.abort();
    throw error;
  }
}
