/**
 * The link between runners (threads, processes, pool tasks) and a Timeline: a runner reports each target's span
 * (epoch milliseconds measured in the worker) to the timeline given in its options or, failing that, to the one
 * whose `record()` is running (found through AsyncLocalStorage, so concurrent cells do not mix their records).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Receives spans. */
export interface SpanSink {
  /** Records that `label` ran in `lane` from `startEpochMs` to `endEpochMs` (`performance.timeOrigin + now()`). */
  addSpan(lane: string, label: string, startEpochMs: number, endEpochMs: number, failed?: boolean): void;
}

const active = new AsyncLocalStorage<SpanSink>();

/** The sink for a runner: its explicit option, else the recording in progress, else none. */
export function sinkFor(explicit?: SpanSink): SpanSink | undefined {
  return explicit ?? active.getStore();
}

/** Runs `fn` with `sink` as the active recording. */
export function withSink<T>(sink: SpanSink, fn: () => T): T {
  return active.run(sink, fn);
}
