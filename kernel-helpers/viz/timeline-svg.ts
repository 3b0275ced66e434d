/** Draws timeline events as a standalone SVG: one lane per thread/process/task, one bar per span. */
import { colourFor, escapeXml, niceStep } from "./display";

/** One event of a timeline, in ms since the timeline's origin. */
export interface TimelineEvent {
  /** Who ran it: a thread, process or task name. */
  lane: string;
  /** What ran: a target's name or a span's label. */
  label: string;
  startMs: number;
  endMs: number;
  /** The span ended with an error (drawn hatched red). */
  failed: boolean;
  /** An instant (`mark`) rather than a span. */
  mark: boolean;
}

/** Options of `Timeline.svg`. */
export interface TimelineSvgOptions {
  /** Total width in pixels. @default 760 */
  width?: number;
  /** A title above the lanes. */
  title?: string;
}

const LANE_H = 26;
const LEFT = 150;
const RIGHT = 16;
const TOP = 34;
const AXIS_H = 30;

/** The SVG text for `events` (an empty timeline gives a small picture saying so). */
export function timelineSvg(events: TimelineEvent[], options: TimelineSvgOptions = {}): string {
  const width = Math.max(320, options.width ?? 760);
  const lanes: string[] = [];
  for (const e of [...events].sort((a, b) => a.startMs - b.startMs)) if (!lanes.includes(e.lane)) lanes.push(e.lane);
  const main = lanes.indexOf("MainThread");
  if (main > 0) lanes.unshift(...lanes.splice(main, 1));
  const t0 = events.length ? Math.min(0, ...events.map((e) => e.startMs)) : 0;
  const t1 = events.length ? Math.max(1, ...events.map((e) => e.endMs)) : 1;
  const plotW = width - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const height = TOP + Math.max(1, lanes.length) * LANE_H + AXIS_H;
  const out: string[] = [];
  const title = options.title ?? "Timeline";
  out.push(`<text x="${LEFT}" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(
    `<text x="${width - RIGHT}" y="20" font-size="11" text-anchor="end" fill="#555">${events.length} events, ${lanes.length} lanes, ${(t1 - t0).toFixed(0)} ms</text>`,
  );
  const step = niceStep(t1 - t0);
  const axisY = TOP + lanes.length * LANE_H;
  for (let t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) {
    out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${TOP}" y2="${axisY}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${axisY + 14}" font-size="10" text-anchor="middle" fill="#555">${+t.toFixed(3)}</text>`,
    );
  }
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${axisY + 27}" font-size="11" text-anchor="middle" fill="#333">milliseconds</text>`,
  );
  lanes.forEach((lane, i) => {
    const y = TOP + i * LANE_H;
    if (i % 2 === 0) out.push(`<rect x="${LEFT}" y="${y}" width="${plotW}" height="${LANE_H}" fill="#f7f7f7"/>`);
    out.push(
      `<text x="${LEFT - 8}" y="${y + LANE_H / 2 + 4}" font-size="11" text-anchor="end">${escapeXml(lane)}</text>`,
    );
  });
  for (const e of events) {
    const y = TOP + lanes.indexOf(e.lane) * LANE_H;
    const tip = e.mark
      ? `${e.lane}: ${e.label} at ${e.startMs.toFixed(1)} ms`
      : `${e.lane}: ${e.label}, ${e.startMs.toFixed(1)}-${e.endMs.toFixed(1)} ms (${(e.endMs - e.startMs).toFixed(1)} ms)${e.failed ? ", failed" : ""}`;
    if (e.mark) {
      const mx = x(e.startMs).toFixed(1);
      out.push(
        `<g><title>${escapeXml(tip)}</title><line x1="${mx}" x2="${mx}" y1="${y + 3}" y2="${y + LANE_H - 3}" stroke="#222" stroke-width="2"/></g>`,
      );
      continue;
    }
    const bx = x(e.startMs);
    const bw = Math.max(1.5, x(e.endMs) - bx);
    const fill = e.failed ? "#d62728" : colourFor(e.label);
    const text =
      bw > 28
        ? `<text x="${(bx + 4).toFixed(1)}" y="${y + LANE_H / 2 + 4}" font-size="10" fill="#fff" clip-path="inset(0)">${escapeXml(fitText(e.label, bw))}</text>`
        : "";
    out.push(
      `<g><title>${escapeXml(tip)}</title><rect x="${bx.toFixed(1)}" y="${y + 4}" width="${bw.toFixed(1)}" height="${LANE_H - 8}" rx="3" fill="${fill}" fill-opacity="0.9" stroke="#fff" stroke-width="0.5"/>${text}</g>`,
    );
  }
  if (!events.length) out.push(`<text x="${LEFT}" y="${TOP + 17}" font-size="11" fill="#888">nothing recorded</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${out.join("")}</svg>`;
}

function fitText(label: string, widthPx: number): string {
  const chars = Math.floor((widthPx - 8) / 6);
  return label.length <= chars ? label : `${label.slice(0, Math.max(1, chars - 1))}…`;
}
