/**
 * The timeline: one swim lane per connection (hand-written SVG, redrawn on
 * every tick so live segments grow), and the event log beneath it.
 */
import type { Lane, Row, Store } from './model';
import { PAGE_START, now } from './model';
import { formatClock, formatMs, formatSeconds } from './format';
import { niceStep, stripes, svg } from './svg';

const LANES_SHOWN = 10;
const LABEL_W = 84;
/** The right-hand column that says, in words, where each connection is. */
const SUMMARY_W = 236;
const LANE_H = 30;
const BAR_H = 12;
const AXIS_H = 34;
const MIN_SPAN_MS = 5_000;

/** Draws the most recent lanes against page time; the right edge is now. */
export function renderLanes(container: HTMLElement, store: Store): void {
  const lanes = store.lanes.slice(-LANES_SHOWN);
  const width = Math.max(480, container.clientWidth);
  if (lanes.length === 0) {
    container.replaceChildren(emptyNote('No connections yet. Pick a scenario and press Connect.'));
    return;
  }
  const t1 = now();
  const t0 = Math.min(...lanes.map((l) => l.connectAt));
  const span = Math.max(t1 - t0, MIN_SPAN_MS) * 1.04;
  const plotW = width - LABEL_W - SUMMARY_W - 12;
  const x = (t: number) => LABEL_W + ((Math.min(t, t1) - t0) / span) * plotW;
  const height = lanes.length * LANE_H + AXIS_H;

  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'lanes-svg' });
  root.append(stripes('lane-stripes'));
  root.append(axis(t0, span, x, lanes.length * LANE_H));
  lanes.forEach((lane, i) => root.append(laneGroup(lane, i * LANE_H, x, t1, LABEL_W + plotW, width)));
  container.replaceChildren(root);
}

function axis(t0: number, span: number, x: (t: number) => number, top: number): SVGGElement {
  const g = svg('g', { class: 'axis' });
  const step = niceStep(span / 1000, 8) * 1000;
  const first = Math.ceil((t0 - PAGE_START) / step) * step + PAGE_START;
  for (let t = first; t <= t0 + span; t += step) {
    const px = x(t);
    g.append(svg('line', { x1: px, x2: px, y1: 0, y2: top, class: 'grid' }));
    g.append(svg('text', { x: px, y: top + 14, 'text-anchor': 'middle' }, `${trimZeros((t - PAGE_START) / 1000)} s`));
  }
  g.append(svg('text', { x: LABEL_W, y: top + 30, class: 'axis-title' }, 'time since page load'));
  return g;
}

function trimZeros(seconds: number): string {
  return String(Math.round(seconds * 10) / 10);
}

function laneGroup(lane: Lane, top: number, x: (t: number) => number, t1: number, right: number, width: number): SVGGElement {
  const mid = top + LANE_H / 2;
  const g = svg('g', { class: `lane lane-${lane.client}`, 'data-lane': lane.id });
  g.append(svg('text', { x: 0, y: mid + 4, class: 'lane-label' }, lane.label));
  g.append(svg('line', { x1: LABEL_W, x2: right, y1: mid, y2: mid, class: 'lane-rule' }));

  const end = lane.closeAt ?? t1;
  const bar = (from: number, to: number, cls: string) => {
    const w = Math.max(1.5, x(to) - x(from));
    g.append(svg('rect', { x: x(from), y: mid - BAR_H / 2, width: w, height: BAR_H, rx: 2, class: cls }));
  };
  const openEnd = lane.closeRequestedAt ?? end;
  bar(lane.connectAt, lane.openAt ?? openEnd, 'seg-connecting');
  if (lane.openAt !== null) bar(lane.openAt, openEnd, 'seg-open');
  if (lane.closeRequestedAt !== null) bar(lane.closeRequestedAt, end, lane.closeAt === null ? 'seg-closing live' : 'seg-closing');

  const [summary, tone] = describeLane(lane, t1);
  g.append(svg('text', { x: width - SUMMARY_W + 8, y: mid + 4, class: `lane-summary tone-${tone}` }, summary));
  if (lane.closeAt === null) return g;
  // After a timeout the SDK has moved on; the browser's own socket keeps closing.
  if (lane.kind === 'timeout') {
    const until = lane.nativeCloseAt ?? t1;
    g.append(svg('line', { x1: x(lane.closeAt), x2: x(until), y1: mid, y2: mid, class: 'seg-detached' }));
    if (lane.nativeCloseAt !== null) g.append(svg('line', { x1: x(until), x2: x(until), y1: mid - 5, y2: mid + 5, class: 'tick-native' }));
  }
  g.append(svg('circle', { cx: x(lane.closeAt), cy: mid, r: 5.5, class: `marker kind-${lane.kind}` }));
  return g;
}

/** Where a connection is, in words, and the tone to colour it by. */
function describeLane(lane: Lane, t1: number): [string, string] {
  if (lane.closeAt !== null) {
    // A connection the SDK abandoned on purpose (heartbeat, offline) closes in 0 ms: not worth the room.
    const latency = lane.latencyMs ? [formatMs(lane.latencyMs)] : [];
    return [[lane.kind, lane.code, lane.cause, ...latency].join(' · '), lane.kind ?? 'muted'];
  }
  if (lane.closeRequestedAt !== null) return [`closing for ${formatSeconds(t1 - lane.closeRequestedAt)}…`, 'closing'];
  if (lane.openAt !== null) return ['open', 'open'];
  return ['connecting…', 'muted'];
}

function emptyNote(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  return p;
}

/** Rewrites the log body, newest row first. */
export function renderLog(tbody: HTMLTableSectionElement, rows: readonly Row[]): void {
  const trs = rows
    .slice()
    .reverse()
    .map((row) => {
      const tr = document.createElement('tr');
      tr.dataset.seq = String(row.seq);
      tr.dataset.client = row.client;
      tr.dataset.event = row.event;
      if (row.kind) tr.dataset.kind = row.kind;
      if (row.detail) tr.title = row.detail;
      tr.append(
        cell(formatClock(row.at), 'time'),
        cell(row.label, `client client-${row.client}`),
        cell(row.event, `event event-${row.event.replace(' ', '-')}`),
        badgeCell(row),
        cell(row.cause ?? '', 'cause'),
        cell(row.code === undefined ? '' : `${row.code}${row.codeName ? ` ${row.codeName}` : ''}`, 'code'),
        latencyCell(row.latencyMs),
        cell(row.note ?? '', 'note'),
      );
      return tr;
    });
  if (trs.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('Events appear here: connecting, open, closing, closed, reconnect.', 'empty');
    td.colSpan = 8;
    tr.append(td);
    trs.push(tr);
  }
  tbody.replaceChildren(...trs);
}

function cell(text: string, className: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  return td;
}

function badgeCell(row: Row): HTMLTableCellElement {
  const td = cell('', 'kind');
  if (row.kind) {
    const badge = document.createElement('span');
    badge.className = `badge kind-${row.kind}`;
    badge.textContent = row.kind;
    td.append(badge);
  }
  return td;
}

function latencyCell(ms: number | null | undefined): HTMLTableCellElement {
  const td = cell(ms === undefined ? '' : formatMs(ms), 'latency num');
  if (ms !== undefined && ms !== null) td.dataset.ms = String(Math.round(ms));
  return td;
}
