/** Draws an event-loop lag report: lag (ms) against time, with the worst moment labelled. */
import { escapeXml, niceStep } from "./display";

/** One sample: when (ms since the meter started) and how late the timer fired (ms). */
export interface LagSample {
  atMs: number;
  lagMs: number;
}

/** What the chart draws (a `LagReport` is one): the samples and their summary, in ms. */
export interface LagChartData {
  readonly samples: readonly LagSample[];
  readonly maxMs: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly durationMs: number;
  readonly intervalMs: number;
}

/** The SVG text of a lag chart. */
export function lagSvg(report: LagChartData, options: { width?: number; title?: string } = {}): string {
  const width = Math.max(320, options.width ?? 640);
  const height = 220;
  const L = 56;
  const R = 16;
  const T = 34;
  const B = 36;
  const plotW = width - L - R;
  const plotH = height - T - B;
  const maxT = Math.max(report.durationMs, 1);
  const maxY = Math.max(10, report.maxMs * 1.1);
  const x = (t: number) => L + (t / maxT) * plotW;
  const y = (v: number) => T + plotH - (v / maxY) * plotH;
  const out: string[] = [];
  out.push(
    `<text x="${L}" y="20" font-size="13" font-weight="bold">${escapeXml(options.title ?? "Event-loop lag")}</text>`,
  );
  out.push(
    `<text x="${width - R}" y="20" font-size="11" text-anchor="end" fill="#555">max ${report.maxMs.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, mean ${report.meanMs.toFixed(1)} ms</text>`,
  );
  const yStep = niceStep(maxY, 5);
  for (let v = 0; v <= maxY; v += yStep) {
    out.push(`<line x1="${L}" x2="${width - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    out.push(
      `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${+v.toFixed(3)}</text>`,
    );
  }
  const xStep = niceStep(maxT, 8);
  for (let t = 0; t <= maxT; t += xStep) {
    out.push(
      `<text x="${x(t).toFixed(1)}" y="${T + plotH + 14}" font-size="10" text-anchor="middle" fill="#555">${+t.toFixed(3)}</text>`,
    );
  }
  out.push(
    `<text x="${L + plotW / 2}" y="${height - 6}" font-size="11" text-anchor="middle">time since start (ms)</text>`,
  );
  out.push(
    `<text x="14" y="${T + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${T + plotH / 2})">lag (ms)</text>`,
  );
  // Each sample is drawn as a bar ending when it fired and as wide as the wait it measured: a blocked loop
  // becomes one wide, tall block.
  for (const s of report.samples) {
    const x1 = x(s.atMs);
    const x0 = x(Math.max(0, s.atMs - s.lagMs - report.intervalMs));
    const fill = s.lagMs >= 50 ? "#d62728" : s.lagMs >= 10 ? "#ff7f0e" : "#2ca02c";
    out.push(
      `<rect x="${x0.toFixed(1)}" y="${y(s.lagMs).toFixed(1)}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${(T + plotH - y(s.lagMs)).toFixed(1)}" fill="${fill}" fill-opacity="0.8"><title>${s.lagMs.toFixed(1)} ms late at ${s.atMs.toFixed(0)} ms</title></rect>`,
    );
  }
  out.push(`<line x1="${L}" x2="${width - R}" y1="${T + plotH}" y2="${T + plotH}" stroke="#333"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${out.join("")}</svg>`;
}
