/** The `socket.stats` summary of the current ResilientSocket. */
import type { SocketStats } from '../src/index';
import { formatMs } from './format';

let shown = '';

export function renderStats(container: HTMLElement, stats: SocketStats | null): void {
  const key = JSON.stringify(stats);
  if (key === shown) return;
  shown = key;
  if (!stats) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'Counts and close-latency percentiles of the current socket appear here.';
    container.replaceChildren(p);
    return;
  }
  const causes = Object.entries(stats.closesByCause).map(([cause, n]) => `${cause} ${n}`).join(' · ') || '—';
  const diagnoses = Object.entries(stats.closesByDiagnosis).map(([cause, n]) => `${cause} ${n}`).join(' · ') || '—';
  container.replaceChildren(
    group('Connections', [
      ['connects', String(stats.connects)],
      ['reconnects', String(stats.reconnects)],
      ['attempts', String(stats.attempts)],
    ]),
    group('Closes by kind', [
      ['clean', String(stats.closesByKind.clean), 'kind-clean'],
      ['abnormal', String(stats.closesByKind.abnormal), 'kind-abnormal'],
      ['timeout', String(stats.closesByKind.timeout), 'kind-timeout'],
    ]),
    group('Close latency', [
      ['p50', formatMs(stats.p50CloseLatencyMs)],
      ['p95', formatMs(stats.p95CloseLatencyMs)],
      ['max', formatMs(stats.maxCloseLatencyMs)],
    ]),
    line('Closes by cause', causes),
    line('Closes by diagnosis', diagnoses),
  );
}

function group(title: string, items: Array<[string, string, string?]>): HTMLElement {
  const section = document.createElement('div');
  section.className = 'stat-group';
  const h = document.createElement('h3');
  h.textContent = title;
  const dl = document.createElement('dl');
  for (const [name, value, kind] of items) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = name;
    if (kind) dt.className = `badge ${kind}`;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.stat = name;
    div.append(dt, dd);
    dl.append(div);
  }
  section.append(h, dl);
  return section;
}

function line(title: string, text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'stat-line';
  const b = document.createElement('span');
  b.textContent = `${title}: `;
  p.append(b, text);
  return p;
}
