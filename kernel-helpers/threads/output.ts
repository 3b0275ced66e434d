/**
 * Console output of workers and child processes, forwarded into this process's `process.stdout/stderr.write`.
 * tslab replaces those `write` functions for each cell, so what a thread prints lands in the cell that runs it.
 * The returned promise settles when the stream ends, so `join()` can wait until every line has arrived.
 */
import type { Readable } from "node:stream";

/** Forwards `stream` into this process's stdout or stderr; resolves at its end. */
export function forwardOutput(stream: Readable | null | undefined, to: "stdout" | "stderr"): Promise<void> {
  if (!stream) return Promise.resolve();
  // Why look `process[to].write` up at each chunk: tslab swaps it per cell; a captured reference would print
  // into the cell that started the thread even after the learner moved on (or into a closed one).
  stream.on("data", (chunk: Buffer) => {
    process[to].write(chunk);
  });
  return new Promise((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}
