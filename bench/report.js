// @ts-check
/**
 * Turns the results into the stdout table, bench/results/*.md and the two
 * hand-written SVG charts. Reads only the results object: every figure
 * shown is one measured in the run.
 */

/** @typedef {import('./lib/env.js').Summary} Summary */

const CLIENT_COLORS = /** @type {Record<string, string>} */ ({
  'resilient-socket': '#2563eb',
  native: '#6b7280',
  'reconnecting-websocket': '#d97706',
  partysocket: '#9333ea',
});

// ── formatting ───────────────────────────────────────────────────────────

/** @param {number | null | undefined} ms */
export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '—';
  const a = Math.abs(ms);
  if (a >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (a >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (a >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** @param {number | null | undefined} n */
const fmtInt = (n) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
/** @param {number | null | undefined} r */
const fmtRatio = (r) => (r === null || r === undefined ? '—' : `${r.toFixed(2)}×`);
/** @param {number | null | undefined} s */
const fmtShare = (s) => (s === null || s === undefined ? '—' : `${(s * 100).toFixed(1)} %`);
/** @param {number} b */
const fmtBytes = (b) => `${b < 0 ? '−' : ''}${Math.abs(Math.round(b)).toLocaleString('en-US')} B`;

/** @param {string} s */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * @typedef {object} Table
 * @property {string} title
 * @property {string[]} head
 * @property {string[][]} rows
 * @property {string[]} [notes]
 */

/** Columns whose cells are all figures (or —), to be right-aligned. @param {Table} t */
function numericColumns(t) {
  return t.head.map((_, i) => i > 0 && t.rows.every((r) => /^(—|never|[−\-]?[\d.,]+( ?[a-zA-Z%×/]+.*)?)$/.test(r[i] ?? '—')) && t.rows.some((r) => /\d/.test(r[i] ?? '')));
}

/** @param {Table} t */
function textTable(t) {
  const all = [t.head, ...t.rows];
  const widths = t.head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const right = numericColumns(t);
  const line = (/** @type {string[]} */ r) => r.map((c, i) => (right[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [t.title, line(t.head), widths.map((w) => '─'.repeat(w)).join('  '), ...t.rows.map(line), ...(t.notes ?? []).map((n) => `  ${n}`)].join('\n');
}

/** @param {Table} t */
function mdTable(t) {
  const cell = (/** @type {string} */ c) => (c ?? '').replace(/\|/g, '\\|');
  return [
    `### ${t.title}`,
    '',
    `| ${t.head.map(cell).join(' | ')} |`,
    `|${numericColumns(t).map((r) => (r ? '---:' : '---')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ...(t.notes?.length ? ['', ...t.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

// ── tables ───────────────────────────────────────────────────────────────

/** @param {any} r */
export function tables(r) {
  /** @type {Table[]} */
  const out = [];

  if (r.closeLatency) {
    const rows = [];
    for (const s of r.closeLatency) {
      for (const [client, c] of Object.entries(s.clients)) {
        const a = /** @type {any} */ (c);
        if (a.skipped) {
          rows.push([s.name, client, '—', '—', '—', 'skipped in --quick', '—']);
          continue;
        }
        if (a.of === 0) {
          rows.push([s.name, client, '—', '—', '—', `could not run: ${a.errors.join('; ') || 'no trial'}`, '—']);
          continue;
        }
        const reported = Object.entries(a.reported).map(([k, n]) => (Object.keys(a.reported).length > 1 ? `${k} ×${n}` : k)).join(', ');
        rows.push([s.name, client, fmtMs(a.latencyMs.median), fmtMs(a.latencyMs.p95), fmtRatio(a.ratioToNative), reported, `${a.truthful}/${a.of}${a.truthful < a.of ? ' ✗' : ''}`]);
      }
    }
    out.push({
      title: '1. Close-event latency (every client with its defaults)',
      head: ['scenario', 'client', 'median', 'p95', '× native', 'reported code/clean', 'truthful'],
      rows,
      notes: [
        'Client-initiated (never-reads, echo, slow-close 300 ms): close() → close event, timed in the page.',
        'Server-initiated (reset, 1012): server action (Close frame written / TCP destroyed) → close event, clocks aligned per trial.',
        `Truth: never-reads 1006/not clean, echo and slow-close 1000/clean, reset 1006/not clean, 1012 1012/clean. Trials: ${r.meta.settings.closeTrials} (${r.meta.settings.longTrials ? `${r.meta.settings.longTrials} for the 60 s waits, in parallel pages` : '60 s waits skipped'}).`,
        ...(r.meta.mode === 'quick' ? ['native and reconnecting-websocket against never-reads: skipped in --quick (each waits for the browser\'s 60 s closing-handshake timeout).'] : []),
        'partysocket reports the close at once, from close() itself, with code "close" (its browser event clone) and wasClean true, whatever the server does.',
      ],
    });
  }

  if (r.detection) {
    out.push({
      title: '2. Dead-peer detection against /silent (open → close event)',
      head: ['configuration', 'detected', 'median', 'p95'],
      rows: r.detection.results.map((/** @type {any} */ d) => [
        d.label,
        `${d.detected}/${d.of}`,
        d.detected ? fmtMs(d.detectedMs.median) : 'never',
        d.detected ? fmtMs(d.detectedMs.p95) : 'never',
      ]),
      notes: [`Window: ${r.detection.windowMs / 1000} s after open. Only the SDK has a heartbeat; the others have no way to notice a silent peer.`],
    });
  }

  if (r.recovery) {
    out.push({
      title: `3. Recovery after a restart (down ${r.recovery.downMs} ms; from the server back up)`,
      head: ['client', 'recovered', 'open median', 'open p95', 'round trip median', 'round trip p95', 'note'],
      rows: Object.entries(r.recovery.clients).map(([client, c]) => {
        const a = /** @type {any} */ (c);
        if (a.recovered === 0) return [client, `0/${a.of}`, 'never', 'never', 'never', 'never', a.note ?? `not back within ${r.recovery.limitMs / 1000} s`];
        return [client, `${a.recovered}/${a.of}`, fmtMs(a.openMs.median), fmtMs(a.openMs.p95), fmtMs(a.roundTripMs.median), fmtMs(a.roundTripMs.p95), a.note ?? ''];
      }),
      notes: ['Defaults: SDK minReconnectDelay 1 s with full jitter; reconnecting-websocket 1–5 s drawn once per page; partysocket 3 s.'],
    });
  }

  if (r.throughput) {
    const rows = [];
    for (const row of r.throughput.rows) {
      for (const [client, c] of Object.entries(row.clients)) {
        const a = /** @type {any} */ (c);
        rows.push([`${row.mode} ${row.size >= 1024 ? `${row.size / 1024} KiB` : `${row.size} B`}`, client, fmtInt(a.perSecond.median), fmtInt(a.perSecond.p95), fmtRatio(a.ratioToNative), a.pairedRatio ? fmtRatio(a.pairedRatio.median) : '—']);
      }
    }
    out.push({
      title: '4. Throughput, messages per second (same page)',
      head: ['mode', 'client', 'median', 'p95', '× native', 'paired × native'],
      rows,
      notes: [
        `Round trip: send, await the echo, repeat for ${r.throughput.durationMs} ms. One way: /push sends ${Object.entries(r.throughput.pushCount).map(([size, n]) => `${fmtInt(n)} × ${Number(size) >= 1024 ? `${Number(size) / 1024} KiB` : `${size} B`}`).join(' / ')} back to back.`,
        `${r.meta.settings.throughputTrials} trials; in each, native and the SDK run twice in ABBA order, the peers once. "× native": ratio of the medians; "paired × native": median of the per-trial ratios (the SDK's figure to read).`,
      ],
    });
  }

  if (r.storm) {
    out.push({
      title: `5. Reconnect storm: ${fmtInt(r.storm.clients)} Node clients, server down ${r.storm.downMs} ms`,
      head: ['client', 'all back', 'peak arrivals /100 ms', 'peak attempts /100 ms', '99 % back', '100 % back', 'listen overflows'],
      rows: Object.entries(r.storm.byClient).map(([client, c]) => {
        const a = /** @type {any} */ (c);
        return [
          client,
          a.allBack ? 'yes' : `no (${a.runs.map((/** @type {any} */ x) => x.reconnected).join(', ')})`,
          fmtShare(a.peakShare.median),
          fmtShare(a.peakAttemptShare.median),
          fmtMs(a.t99FromUpMs.median),
          fmtMs(a.t100FromUpMs.median),
          a.runs.map((/** @type {any} */ x) => (x.kernel ? fmtInt(x.kernel.listenOverflows) : '—')).join(', '),
        ];
      }),
      notes: [
        `Medians of ${r.meta.settings.stormTrials} trial(s). Times from the server coming back up. Arrivals are stamped by the server; attempts (refused ones included) by the clients.`,
        'Listen overflows: SYNs the kernel dropped because the listen queue was full (each retried after 1 s).',
        'reconnecting-websocket draws its minimum delay once per process, so all its clients fire in the same timer tick; the spread of their attempts is the time one Node process takes to open that many sockets.',
      ],
    });
  }

  if (r.soak) {
    // The never-reads phase has a table of its own (6b).
    const heapPhases = Object.values(r.soak.phases).filter((/** @type {any} */ p) => p.kind !== 'never-reads');
    out.push({
      title: '6. Soak in Chromium (heap after GC; leftovers at the end)',
      head: ['phase', 'client', 'cycles', 'cycles/s', 'heap growth', 'per cycle', 'leak bound /cycle', 'timers pending', 'listeners left', 'server conns open'],
      rows: heapPhases.map((/** @type {any} */ p) => [
        p.kind,
        p.client,
        fmtInt(p.cycles),
        String(p.cyclesPerSecond),
        fmtBytes(p.heapGrowthBytes),
        fmtBytes(p.heapGrowthPerCycleBytes),
        fmtBytes(p.leakBoundPerCycleBytes),
        String(p.pendingTimers),
        String(p.listenersLeft),
        String(p.serverConnectionsOpen),
      ]).concat(Object.keys(r.soak.notRun).map((client) => ['not run', client, '—', '—', '—', '—', '—', '—', '—', '—'])),
      notes: [
        `Heap: CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage after a warm-up (${heapPhases.map((/** @type {any} */ p) => fmtInt(p.warmupCycles)).join(' / ')} cycles), and after each quarter of the cycles (the last after a 1.5 s settle). "Leak bound": the lowest quarter's growth per cycle. A steady leak grows every quarter by at least its rate, so it cannot exceed this; one-time costs (V8 compiling a hot path) land in one quarter and do not count.`,
        'Timers pending and listeners left: counted in the page (setTimeout/setInterval and EventTarget listeners on objects still alive after GC), beyond those before the run. Server conns open: the scenario servers\' live connections at the end.',
        ...Object.entries(r.soak.notRun).map(([c, why]) => `${c}: ${why}.`),
        'The native baseline reconnects by a hand-written loop (a new WebSocket 0–5 ms after each close).',
      ],
    });

    const nr = r.soak.phases['resilient-socket never-reads'];
    if (nr) {
      const fmtCount = (/** @type {number | null | undefined} */ n) => (n === null || n === undefined ? 'n/a' : fmtInt(n));
      const failures = Object.entries(nr.failuresByCode).map(([code, n]) => `${code} ×${n}`).join(', ');
      out.push({
        title: '6b. Soak: reconnect() against /never-reads (abandoned native sockets still closing)',
        head: ['client', 'cycles', 'failures', 'wall', '→ open median', '→ open p95', '→ open max', 'closing peak', 'closing at end', 'SDK count peak', 'SDK count at end', 'timers pending', 'listeners left', 'server conns open'],
        rows: [
          [
            'resilient-socket',
            `${fmtInt(nr.completed)}/${fmtInt(nr.cycles)}${nr.stopped ? ' ✗' : ''}`,
            nr.failures ? `${nr.failures} (${failures})` : '0',
            `${nr.seconds} s`,
            fmtMs(nr.reconnectToOpenMs.median),
            fmtMs(nr.reconnectToOpenMs.p95),
            fmtMs(nr.reconnectToOpenMs.max),
            fmtInt(nr.closingSockets.peak),
            fmtInt(nr.closingSockets.atEnd),
            fmtCount(nr.sdkAbandonedSockets.peak),
            fmtCount(nr.sdkAbandonedSockets.atEnd),
            String(nr.pendingTimers),
            String(nr.listenersLeft),
            String(nr.serverConnectionsOpen),
          ],
          ...Object.keys(r.soak.notRunNeverReads ?? {}).map((client) => [client, 'not run', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—']),
        ],
        notes: [
          `One ResilientSocket with its defaults against /never-reads (the server upgrades, sends hello and never reads again, so no close handshake completes and Chromium keeps each abandoned native socket CLOSING for ~60 s; past about 254 in a page it fails every new connection, "Insufficient resources"). Each cycle: wait for open, then reconnect(), which abandons the live connection at once. ${fmtInt(nr.cycles)} cycles within a ${nr.limitMs / 1000} s limit${nr.stopped ? ` (stopped by the ${nr.stopped})` : ''}; then close(), which waits its closeTimeout (${fmtMs(nr.closeMs)}, reported ${nr.closeKind}) since the server never echoes.`,
          `Wall: the whole phase (page, first connect, the cycles, close(), a 1.5 s settle); the cycles alone took ${nr.cyclesSeconds} s. → open: reconnect() to the next open event; medians by quarter of the cycles: ${nr.reconnectToOpenMedianByQuarterMs.map(fmtMs).join(' / ')} (an SDK that slows its attempts while many sockets are closing shows it in the later quarters).`,
          `Closing: counted by the page itself (pages/instrument.js wraps window.WebSocket and counts native sockets whose close() was called and whose close event has not fired), independently of the SDK; "at end" is after close() and the settle, so it includes the socket close() itself left closing, and no longer those the browser gave up on (~60 s after their close()). SDK count: its own stats.abandonedSockets, read at each open, close and reconnect() (the highest trace.abandonedSockets: ${fmtCount(nr.sdkAbandonedSockets.tracePeak)})${nr.sdkAbandonedSockets.atEnd === null ? '; n/a: this SDK build has no such count' : ''}.`,
          `Failures: the SDK's error events, by code. Timers pending, listeners left, server conns open: at the end, after close(), as in table 6. Listeners left by target: ${Object.entries(nr.listenersAtEnd).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'} (listeners on native sockets still closing go with their late close event). Then the server dropped its connections: after ${fmtMs(nr.afterServerDrop.ms)}, ${fmtInt(nr.afterServerDrop.closingSockets)} native sockets were still closing, and ${nr.afterServerDrop.listenersLeft} listeners and ${nr.afterServerDrop.pendingTimers} timers were left. The server never reads, so it sees no close from the browser either: it holds every connection of the phase until it drops them.`,
          ...Object.entries(r.soak.notRunNeverReads ?? {}).map(([c, why]) => `${c}: ${why}.`),
        ],
      });
    }
  }

  if (r.sizes) {
    out.push({
      title: '7. Bundle size',
      head: ['client', '', 'ESM min', 'ESM min+gzip', 'IIFE min', 'IIFE min+gzip'],
      rows: Object.entries(r.sizes.clients).map(([client, c]) => {
        const a = /** @type {any} */ (c);
        return [client, a.note ?? '', fmtBytes(a.esm.min), fmtBytes(a.esm.gzip), fmtBytes(a.iife.min), fmtBytes(a.iife.gzip)];
      }),
      notes: [`ESM: ${r.sizes.how.esm}.`, `IIFE: ${r.sizes.how.iife}.`, `gzip: ${r.sizes.how.gzip}.`],
    });
  }
  if (r.engines) {
    const rows = [];
    for (const e of r.engines) {
      for (const s of e.closeLatency) {
        for (const [client, c] of Object.entries(s.clients)) {
          const a = /** @type {any} */ (c);
          if (a.skipped) {
            rows.push([`${e.engine} ${e.version}`, `close: ${s.name}`, client, '—', '—', 'skipped in --quick (60 s)', '—']);
            continue;
          }
          if (a.of === 0) {
            rows.push([`${e.engine} ${e.version}`, `close: ${s.name}`, client, '—', '—', `could not run: ${a.errors.join('; ') || 'no trial'}`, '—']);
            continue;
          }
          const reported = Object.entries(a.reported).map(([k, n]) => (Object.keys(a.reported).length > 1 ? `${k} ×${n}` : k)).join(', ');
          rows.push([`${e.engine} ${e.version}`, `close: ${s.name}`, client, fmtMs(a.latencyMs.median), fmtMs(a.latencyMs.p95), reported, `${a.truthful}/${a.of}${a.truthful < a.of ? ' ✗' : ''}`]);
        }
      }
      for (const d of e.detection.results) {
        rows.push([`${e.engine} ${e.version}`, 'dead peer (/silent)', d.label, d.detected ? fmtMs(d.detectedMs.median) : 'never', d.detected ? fmtMs(d.detectedMs.p95) : 'never', `${d.detected}/${d.of} within ${e.detection.windowMs / 1000} s`, '—']);
      }
    }
    out.push({
      title: '8. Engines: the SDK and the native socket in Chromium and Firefox',
      head: ['engine', 'measure', 'client', 'median', 'p95', 'reported', 'truthful'],
      rows,
      notes: [
        'Measured as in tables 1 and 2, in each engine; the native never-reads close is the engine\'s own closing-handshake timeout.',
        `Trials: ${r.meta.settings.engineTrials} per scenario, ${r.meta.settings.engineLongTrials} for the native never-reads wait${r.meta.mode === 'quick' ? ' (Chromium\'s 60 s wait skipped in --quick; both engines at once in --quick, one after the other in the full run)' : ', one engine after the other'}.`,
      ],
    });
  }
  if (r.hooks) {
    out.push({
      title: '9. UI hooks against a half-open peer (first open → next open)',
      head: ['hook', 'recovered', 'median', 'p95'],
      rows: r.hooks.clients.map((/** @type {any} */ c) => [
        c.client,
        `${c.recovered}/${c.of}`,
        c.recovered ? fmtMs(c.recoveryMs.median) : `not within ${r.hooks.limitMs / 1000} s`,
        c.recovered ? fmtMs(c.recoveryMs.p95) : '—',
      ]),
      notes: [
        'Each hook with a ping per second, the peer declared dead after 1 s more without a reply, and a 100 ms retry, in Chromium against /silent (accepts, then neither reads nor writes).',
        'react-use-websocket and VueUse close with the browser\'s close(), which against a silent peer waits for Chromium\'s 60 s closing-handshake timeout before their reconnect starts.',
      ],
    });
  }
  return out;
}

/** @param {any} r */
function header(r) {
  const m = r.meta;
  return `resilient-socket bench (${m.mode}) — ${m.date}, Chromium ${m.chromium}, Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load ${m.loadAverage.start.join('/')} → ${m.loadAverage.end.join('/')}, ${m.durationSeconds} s`;
}

/** The stdout report. @param {any} r */
export function textReport(r) {
  return [header(r), '', ...tables(r).map(textTable).flatMap((t) => [t, ''])].join('\n');
}

/** The markdown report. @param {any} r @param {{ svg: boolean }} o */
export function markdownReport(r, { svg }) {
  const m = r.meta;
  return [
    `# resilient-socket bench${m.mode === 'quick' ? ' (--quick smoke run)' : ''}`,
    '',
    `Generated by \`npm run bench${m.mode === 'quick' ? ' -- --quick' : ''}\` on ${m.date}: Chromium ${m.chromium}, Node ${m.node}, ${m.os}, ${m.cpus} × ${m.cpuModel}, load average ${m.loadAverage.start.join(' / ')} at the start and ${m.loadAverage.end.join(' / ')} at the end; ${m.durationSeconds} s. SDK ${m.versions['resilient-socket']} (git ${m.git}), reconnecting-websocket ${m.versions['reconnecting-websocket']}, partysocket ${m.versions.partysocket}. Every figure below was measured in this run; medians and p95 (nearest rank) over the trials. Machine-readable: [${m.mode === 'quick' ? 'quick' : 'latest'}.json](${m.mode === 'quick' ? 'quick' : 'latest'}.json).`,
    '',
    ...(svg ? ['![Close-event latency per scenario](close-latency.svg)', '', '![Reconnect storm](storm.svg)', ''] : []),
    ...tables(r).flatMap((t) => [mdTable(t), '']),
  ].join('\n');
}

// ── SVG: close latency ───────────────────────────────────────────────────

/** @param {any} r */
export function closeLatencySvg(r) {
  const scenarios = r.closeLatency;
  const clients = Object.keys(scenarios[0].clients);
  const W = 960;
  const left = 170;
  const right = 250;
  const plotW = W - left - right;
  const barH = 13;
  const barGap = 4;
  const groupGap = 40;
  const top = 88;
  const groupH = clients.length * (barH + barGap) - barGap;
  const H = top + scenarios.length * (groupH + groupGap) + 40;
  const minLog = -2; // 0.01 ms
  const maxLog = 5; // 100 s
  const x = (/** @type {number} */ ms) => left + ((Math.log10(Math.max(ms, 10 ** minLog)) - minLog) / (maxLog - minLog)) * plotW;
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  parts.push(`<defs><pattern id="lie" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fee2e2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#dc2626" stroke-width="3"/></pattern></defs>`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="16" y="24" font-size="16" font-weight="600">Close-event latency, median (bar) and p95 (whisker), log scale</text>`);
  parts.push(`<text x="16" y="42" fill="#555">Chromium ${esc(r.meta.chromium)}, ${esc(r.meta.date.slice(0, 10))}${r.meta.mode === 'quick' ? ' (--quick)' : ''}; every client with its defaults; ${r.meta.settings.closeTrials} trials${r.meta.settings.longTrials ? `, ${r.meta.settings.longTrials} for the 60 s waits` : ', the 60 s waits skipped'}.</text>`);
  parts.push(`<text x="16" y="58" fill="#555">Hatched red: the code or wasClean the client reported is false.</text>`);
  // Axis grid.
  const ticks = [0.01, 0.1, 1, 10, 100, 1000, 10000, 100000];
  const tickLabel = (/** @type {number} */ t) => (t >= 1000 ? `${t / 1000} s` : `${t} ms`);
  const axisBottom = H - 30;
  for (const t of ticks) {
    parts.push(`<line x1="${x(t).toFixed(1)}" y1="${top - 8}" x2="${x(t).toFixed(1)}" y2="${axisBottom}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${axisBottom + 16}" text-anchor="middle" fill="#555">${tickLabel(t)}</text>`);
  }
  scenarios.forEach((/** @type {any} */ s, /** @type {number} */ gi) => {
    const gy = top + gi * (groupH + groupGap);
    parts.push(`<text x="16" y="${gy - 9}"><tspan font-weight="600">${esc(s.name)}</tspan><tspan fill="#666" font-size="11"> — ${esc(s.description)}; truth ${s.truth.code}/${s.truth.wasClean ? 'clean' : 'not clean'}</tspan></text>`);
    clients.forEach((client, ci) => {
      const c = s.clients[client];
      const y = gy + ci * (barH + barGap);
      parts.push(`<text x="${left - 8}" y="${y + barH - 2}" text-anchor="end" fill="#333" font-size="11">${esc(client)}</text>`);

      if (c.skipped || !c.latencyMs || c.latencyMs.n === 0) {
        const why = c.skipped ? 'skipped in --quick' : 'could not run';
        parts.push(`<text x="${left + 4}" y="${y + barH - 2}" fill="#999" font-style="italic" font-size="11">${why}</text>`);
        return;
      }
      const lies = c.truthful < c.of;
      const med = c.latencyMs.median;
      const p95 = c.latencyMs.p95;
      const w = Math.max(1.5, x(med) - left);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${lies ? 'url(#lie)' : CLIENT_COLORS[client] ?? '#444'}"${lies ? ' stroke="#dc2626"' : ''}/>`);
      parts.push(`<line x1="${x(med).toFixed(1)}" y1="${y + barH / 2}" x2="${x(p95).toFixed(1)}" y2="${y + barH / 2}" stroke="#111"/><line x1="${x(p95).toFixed(1)}" y1="${y + 2}" x2="${x(p95).toFixed(1)}" y2="${y + barH - 2}" stroke="#111"/>`);
      const reported = Object.keys(c.reported).join(', ');
      const label = `${fmtMs(med)}${lies ? ` ✗ reports ${reported}` : ''}`;
      parts.push(`<text x="${(Math.max(x(p95), x(med)) + 6).toFixed(1)}" y="${y + barH - 2}" fill="${lies ? '#b91c1c' : '#111'}" font-size="11">${esc(label)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

// ── SVG: storm ───────────────────────────────────────────────────────────

/** @param {any} r */
export function stormSvg(r) {
  const entries = Object.entries(r.storm.byClient).map(([client, c]) => ({ client, run: /** @type {any} */ (c).runs[0], all: /** @type {any} */ (c) }));
  const W = 960;
  const left = 70;
  const right = 24;
  const panelH = 170;
  const top = 100;
  const gap = 64;
  const H = top + entries.length * (panelH + gap) + 10;
  const plotW = W - left - right;
  const windowMs = r.storm.windowMs;
  const bins = Math.max(...entries.map((e) => Math.max(e.run.histogram.length, e.run.attemptHistogram?.length ?? 0)));
  const peak = Math.max(...entries.flatMap((e) => [...e.run.histogram, ...(e.run.attemptHistogram ?? [])])) / r.storm.clients;
  const yStep = peak > 0.4 ? 0.2 : peak > 0.2 ? 0.1 : 0.05;
  const yMax = Math.min(1, Math.max(yStep, Math.ceil(peak / yStep) * yStep));
  const bw = plotW / bins;
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="16" y="24" font-size="16" font-weight="600">Reconnect storm: ${fmtInt(r.storm.clients)} clients dropped at 0 s, server back after ${r.storm.downMs} ms</text>`);
  parts.push(`<text x="16" y="42" fill="#555">Bars: reconnections the server accepted per ${windowMs} ms, as a share of the clients. Line: connection attempts the clients made</text>`);
  parts.push(`<text x="16" y="58" fill="#555">(refused ones included). Node ${esc(r.meta.node)}, ws; every client with its defaults. Trial 1 of ${r.meta.settings.stormTrials}${r.meta.mode === 'quick' ? ', --quick' : ''}.</text>`);
  entries.forEach((e, i) => {
    const py = top + i * (panelH + gap);
    const y = (/** @type {number} */ share) => py + panelH - (Math.min(share, yMax) / yMax) * panelH;
    parts.push(`<text x="${left}" y="${py - 10}" font-weight="600" fill="${CLIENT_COLORS[e.client] ?? '#111'}">${esc(e.client)}</text>`);
    parts.push(
      `<text x="${W - right}" y="${py - 10}" text-anchor="end" fill="#333">peak ${fmtShare(e.run.peakShare)} per ${windowMs} ms · 99 % back ${fmtMs(e.run.t99FromUpMs)} · 100 % back ${fmtMs(e.run.t100FromUpMs)} after the server came back</text>`,
    );
    for (let g = 0; g <= Math.round(yMax / yStep); g++) {
      const share = g * yStep;
      parts.push(`<line x1="${left}" y1="${y(share).toFixed(1)}" x2="${W - right}" y2="${y(share).toFixed(1)}" stroke="${g === 0 ? '#999' : '#eee'}"/>`);
      parts.push(`<text x="${left - 6}" y="${(y(share) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Math.round(share * 100)} %</text>`);
    }
    e.run.histogram.forEach((/** @type {number} */ n, /** @type {number} */ b) => {
      if (!n) return;
      const share = n / r.storm.clients;
      parts.push(`<rect x="${(left + b * bw + 0.5).toFixed(1)}" y="${y(share).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${(py + panelH - y(share)).toFixed(1)}" fill="${CLIENT_COLORS[e.client] ?? '#444'}" opacity="0.85"/>`);
    });
    if (e.run.attemptHistogram) {
      let d = `M${left} ${py + panelH}`;
      e.run.attemptHistogram.forEach((/** @type {number} */ n, /** @type {number} */ b) => {
        const yy = y(n / r.storm.clients).toFixed(1);
        d += ` L${(left + b * bw).toFixed(1)} ${yy} L${(left + (b + 1) * bw).toFixed(1)} ${yy}`;
      });
      parts.push(`<path d="${d}" fill="none" stroke="#111" stroke-width="1.2"/>`);
    }
    const upX = left + (e.run.upAtMs / windowMs) * bw;
    parts.push(`<line x1="${upX.toFixed(1)}" y1="${py}" x2="${upX.toFixed(1)}" y2="${py + panelH}" stroke="#16a34a" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${(upX + 4).toFixed(1)}" y="${py + 12}" fill="#16a34a" font-size="11">server back</text>`);
    const step = bins * windowMs > 20_000 ? 5000 : bins * windowMs > 8000 ? 2000 : bins * windowMs > 3000 ? 1000 : 500;
    for (let t = 0; t <= bins * windowMs; t += step) {
      const tx = left + (t / windowMs) * bw;
      parts.push(`<text x="${tx.toFixed(1)}" y="${py + panelH + 16}" text-anchor="middle" fill="#555">${t / 1000} s</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}
