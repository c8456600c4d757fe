/**
 * Close latency per connection, as bars on a log scale (hand-written SVG):
 * from the page's close request to the close. SDK bars stop at
 * `closeTimeout`; a native bar against a server that never reads keeps
 * growing, live, until Chromium gives up at 60 s.
 */
import type { Lane } from './model';
import { now } from './model';
import { formatMs } from './format';
import { stripes, svg } from './svg';

const BARS_SHOWN = 12;
/** Slots are sized for at least this many bars, so a few bars stay slim. */
const MIN_SLOTS = 7;
const HEIGHT = 240;
const PAD = { left: 78, right: 12, top: 18, bottom: 52 };

interface Bar {
  lane: Lane;
  ms: number;
  pending: boolean;
}

/** Lanes whose close the page requested, with their latency (or the wait so far). */
function bars(lanes: readonly Lane[]): Bar[] {
  const t = now();
  return lanes
    .filter((l) => l.closeRequestedAt !== null)
    .slice(-BARS_SHOWN)
    .map((lane) => {
      const pending = lane.closeAt === null;
      const ms = lane.latencyMs ?? (pending ? t : lane.closeAt!) - lane.closeRequestedAt!;
      return { lane, ms, pending };
    });
}

export function renderChart(container: HTMLElement, lanes: readonly Lane[], closeTimeout: number | null): void {
  const data = bars(lanes);
  if (data.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'No close requested yet. Connect, then press Close.';
    container.replaceChildren(p);
    return;
  }
  const width = Math.max(360, container.clientWidth);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  // Decades from 1 ms to at least 100 s, so Chromium's 60 s always fits.
  const maxMs = Math.max(100_000, ...data.map((d) => d.ms));
  const decades = Math.ceil(Math.log10(maxMs));
  const y = (ms: number) => PAD.top + plotH - (Math.log10(Math.max(1, ms)) / decades) * plotH;

  const root = svg('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'chart-svg' });
  root.append(stripes('chart-stripes'));
  const axis = svg('g', { class: 'axis' });
  for (let d = 0; d <= decades; d++) {
    const ms = 10 ** d;
    const py = y(ms);
    axis.append(svg('line', { x1: PAD.left, x2: width - PAD.right, y1: py, y2: py, class: 'grid' }));
    axis.append(svg('text', { x: PAD.left - 8, y: py + 4, 'text-anchor': 'end' }, ms < 1000 ? `${ms} ms` : `${ms / 1000} s`));
  }
  axis.append(
    svg('text', { x: 12, y: PAD.top + plotH / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${PAD.top + plotH / 2})`, class: 'axis-title' }, 'close latency (log scale)'),
    svg('text', { x: PAD.left + plotW / 2, y: HEIGHT - 6, 'text-anchor': 'middle', class: 'axis-title' }, 'connection whose close the page requested'),
  );
  root.append(axis);

  if (closeTimeout !== null && closeTimeout > 0) {
    const py = y(closeTimeout);
    // Labelled in the legend below the chart, where no bar can cover it.
    root.append(svg('line', { x1: PAD.left, x2: width - PAD.right, y1: py, y2: py, class: 'threshold' }));
  }

  const slot = plotW / Math.max(MIN_SLOTS, data.length);
  const barW = Math.min(34, slot * 0.62);
  data.forEach(({ lane, ms, pending }, i) => {
    const cx = PAD.left + slot * (i + 0.5);
    const top = y(ms);
    const base = PAD.top + plotH;
    const kind = pending ? 'pending' : lane.kind ?? 'pending';
    const g = svg('g', { class: `bar kind-${kind}`, 'data-lane': lane.id });
    g.append(svg('title', {}, `${lane.label}: ${pending ? 'still closing after' : kind}, ${formatMs(ms)}`));
    g.append(svg('rect', { x: cx - barW / 2, y: top, width: barW, height: Math.max(1, base - top), rx: 2 }));
    g.append(svg('text', { x: cx, y: top - 5, 'text-anchor': 'middle', class: 'bar-value' }, `${compact(ms)}${pending ? '…' : ''}`));
    const [who, num] = lane.label.split(' ');
    g.append(
      svg('text', { x: cx, y: base + 14, 'text-anchor': 'middle', class: 'bar-label' }, who ?? ''),
      svg('text', { x: cx, y: base + 27, 'text-anchor': 'middle', class: 'bar-label' }, num ?? ''),
    );
    root.append(g);
  });
  container.replaceChildren(root);
}

/** Bar labels are narrow: `26ms`, `539ms`, `1.0s`, `61s`. */
function compact(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 1000)}s`;
}
