/**
 * `Timeline`: records who ran what when (the main thread, threads, processes, pool tasks) and draws it as SVG.
 * Events live in shared memory, so a timeline passed to a thread as an argument records from there too.
 */
import { invalid, checkPositiveInt } from "../errors";
import { type Handle, HANDLE_KIND, expectHandle, registerHandleKind } from "../sync/handle";
import { currentThread } from "../threads/current";
import { displayHtml } from "./display";
import { withSink, type SpanSink } from "./recorder";
import { FAILED, MARK, appendEvent, createTimelineBuffer, originOf, readEvents, resetEvents } from "./timeline-buffer";
import { timelineSvg, type TimelineEvent, type TimelineSvgOptions } from "./timeline-svg";

export type { TimelineEvent, TimelineSvgOptions } from "./timeline-svg";

/** Options of {@link Timeline}. */
export interface TimelineOptions {
  /** The picture's title. @default "Timeline" */
  title?: string;
  /** How many events fit (128 bytes each, in shared memory); later ones are dropped and counted. @default 4096 */
  capacity?: number;
}

// Why a module-private symbol: `Timeline.from` adopts an existing buffer through the constructor without making
// that a public option.
const ADOPT: unique symbol = Symbol("adopt");

const now = () => performance.timeOrigin + performance.now();

/**
 * Who ran what when, drawn as one lane per thread/process/task.
 * @example
 * const timeline = new Timeline({ title: "4 tasks on 2 threads" });
 * await timeline.record(async () => {
 *   const pool = new ThreadPool({ size: 2 });
 *   await pool.map(work, [1, 2, 3, 4]);
 *   await pool.close();
 * });
 * timeline.display(); // or timeline.svg() for the SVG text
 */
export class Timeline implements SpanSink {
  /** The picture's title. */
  readonly title: string;
  readonly #buffer: SharedArrayBuffer;

  constructor(options: TimelineOptions & { [ADOPT]?: SharedArrayBuffer } = {}) {
    if (options.title !== undefined && typeof options.title !== "string") invalid("title", "a string", options.title);
    const capacity = options.capacity === undefined ? 4096 : checkPositiveInt("capacity", options.capacity);
    this.title = options.title ?? "Timeline";
    this.#buffer = options[ADOPT] ?? createTimelineBuffer(capacity, now());
  }

  /** Rebuilds a timeline from its handle (done for you when a timeline is passed to a thread). */
  static from(handle: Handle): Timeline {
    const h = expectHandle(handle, "Timeline");
    return new Timeline({ title: typeof h["title"] === "string" ? h["title"] : "Timeline", [ADOPT]: h.buffer });
  }

  /** The handle to pass to a worker (done for you by Thread and ThreadPool arguments). */
  get handle(): Handle {
    return { [HANDLE_KIND]: "Timeline", buffer: this.#buffer, title: this.title };
  }

  /** Records a span that already happened (epoch milliseconds). Runners call this; so can you. */
  addSpan(lane: string, label: string, startEpochMs: number, endEpochMs: number, failed = false): void {
    appendEvent(this.#buffer, { lane, label, start: startEpochMs, end: endEpochMs, flags: failed ? FAILED : 0 });
  }

  /**
   * Runs `fn`; every Thread, Process and pool task started inside it (without a `timeline` option of its own)
   * is recorded in this timeline. Resolves with `fn`'s result.
   */
  async record<T>(fn: () => T | Promise<T>): Promise<T> {
    return withSink(this, fn);
  }

  /**
   * Runs `fn` (sync or async) and records it as a bar labelled `label` in `lane` (default: the current thread's
   * name). Works inside a thread's target when the timeline was passed as an argument.
   * @example
   * timeline.span("download", () => fetch(url));
   */
  span<T>(label: string, fn: () => T, options: { lane?: string } = {}): T {
    const lane = options.lane ?? currentThread().name;
    const start = now();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.addSpan(lane, label, start, now(), true);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          this.addSpan(lane, label, start, now());
          return value;
        },
        (error: unknown) => {
          this.addSpan(lane, label, start, now(), true);
          throw error;
        },
      ) as T;
    }
    this.addSpan(lane, label, start, now());
    return result;
  }

  /** Records an instant (drawn as a tick) in `lane` (default: the current thread's name). */
  mark(label: string, options: { lane?: string } = {}): void {
    const t = now();
    appendEvent(this.#buffer, { lane: options.lane ?? currentThread().name, label, start: t, end: t, flags: MARK });
  }

  /** The events so far, in ms since the timeline was created, by start time. */
  events(): TimelineEvent[] {
    const buffer = this.#buffer;
    const origin = originOf(buffer);
    return readEvents(buffer)
      .events.map((e) => ({
        lane: e.lane,
        label: e.label,
        startMs: e.start - origin,
        endMs: e.end - origin,
        failed: (e.flags & FAILED) !== 0,
        mark: (e.flags & MARK) !== 0,
      }))
      .sort((a, b) => a.startMs - b.startMs);
  }

  /** How many events did not fit (raise `capacity`). */
  get dropped(): number {
    return readEvents(this.#buffer).dropped;
  }

  /** Forgets every event (call it while nothing records). */
  clear(): void {
    resetEvents(this.#buffer);
  }

  /** The timeline as standalone SVG text (renders in a browser, a static page, a file). */
  svg(options: TimelineSvgOptions = {}): string {
    return timelineSvg(this.events(), { title: this.title, ...options });
  }

  /** Shows the SVG in the notebook cell (tslab); elsewhere prints a one-line summary. */
  display(options: TimelineSvgOptions = {}): void {
    const events = this.events();
    const lanes = new Set(events.map((e) => e.lane)).size;
    displayHtml(
      this.svg(options),
      `[${this.title}: ${events.length} events in ${lanes} lanes; timeline.svg() gives the SVG]`,
    );
  }
}

registerHandleKind("Timeline", { type: Timeline, from: Timeline.from });
