// @ts-check
/**
 * 6. Soak and leaks, in Chromium: many connect/close cycles, and many
 * reconnect cycles of one socket, then the JS heap after GC (CDP
 * HeapProfiler.collectGarbage + Runtime.getHeapUsage, read after each
 * quarter of the cycles), the timers and
 * listeners left pending (pages/instrument.js), and the connections the
 * servers still hold open.
 *
 * The cycles run in lanes, one per scenario server, each on its own port:
 * Chromium lets one WebSocket per host:port handshake at a time, so lanes
 * on separate ports run in parallel. (Past about 8 concurrent handshakes
 * Chromium throttles new WebSockets hard, so the lanes stay few.)
 *
 * The SDK runs connect/close and reconnect cycles; the native socket runs
 * the same cycles as the baseline (reconnecting by a hand-written loop).
 * The peers are not soaked.
 *
 * Last, the never-reads phase (SDK only): one socket against /never-reads
 * calls reconnect() as soon as each connection opens. Each reconnect()
 * abandons a native socket whose close handshake never completes, so
 * Chromium keeps it CLOSING for ~60 s; past about 254 of them in one page it
 * fails every new connection ("Insufficient resources"). The phase counts
 * those sockets in the page (pages/instrument.js), independently of the
 * SDK's own `stats.abandonedSockets`, and times reconnect() → open.
 */
import { startScenarioServer } from '../../e2e/servers/scenarios.js';
import { openBenchPage } from './browser.js';
import { round, sleep, summarize } from './env.js';

export const LANES = 4;

/**
 * GC, then the heap in use.
 * @param {import('@playwright/test').CDPSession} cdp
 */
async function heapAfterGc(cdp) {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const usage = /** @type {{ usedSize: number, totalSize: number }} */ (await cdp.send('Runtime.getHeapUsage'));
  return usage.usedSize;
}

/**
 * Runs `cycles` connect/close cycles over the lanes, in the page.
 * @param {import('@playwright/test').Page} page @param {'resilient-socket' | 'native'} client @param {string[]} urls @param {number} cycles
 */
function connectClose(page, client, urls, cycles) {
  return page.evaluate(
    async ([client, urls, cycles]) => {
      const w = /** @type {any} */ (window);
      let next = 0;
      let failures = 0;
      w.__soakDone ??= 0;
      /** One cycle: open, then close and wait for its close. Resolves false on a failure. */
      const once = (/** @type {string} */ url) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), 5000);
          const finish = (/** @type {boolean} */ ok) => {
            clearTimeout(timer);
            resolve(ok);
          };
          if (client === 'native') {
            const ws = new WebSocket(url);
            ws.onopen = () => {
              ws.onclose = () => finish(true);
              ws.close(1000);
            };
            ws.onerror = () => finish(false);
          } else {
            const socket = new w.ResilientSocket(url);
            socket.on('open', () => socket.close().then((/** @type {any} */ info) => finish(info.code === 1000)));
          }
        });
      await Promise.all(
        urls.map(async (url) => {
          while (next < cycles) {
            next++;
            if (!(await once(url))) failures++;
            w.__soakDone++;
          }
        }),
      );
      return { failures };
    },
    /** @type {const} */ ([client, urls, cycles]),
  );
}

/**
 * Runs `cycles` reconnect cycles in the page: one socket per lane against
 * /reset (the server drops each connection 5 ms after open, with no Close
 * frame), reconnecting after a short backoff, until the lanes have seen
 * `cycles` reconnects; then close(). The SDK reconnects by itself; the
 * native baseline is the hand-written loop an app would use.
 * @param {import('@playwright/test').Page} page @param {'resilient-socket' | 'native'} client @param {string[]} urls @param {number} cycles
 */
function reconnectCycles(page, client, urls, cycles) {
  return page.evaluate(
    async ([client, urls, cycles]) => {
      const w = /** @type {any} */ (window);
      w.__soakDone ??= 0;
      const perLane = Math.ceil(cycles / urls.length);
      if (client === 'native') {
        return Promise.all(
          urls.map(
            (url) =>
              new Promise((resolve) => {
                let opens = 0;
                const connect = () => {
                  const ws = new WebSocket(url);
                  ws.onopen = () => {
                    opens++;
                    if (opens > 1) w.__soakDone++;
                  };
                  ws.onclose = () => (opens > perLane ? resolve({ opens, stuck: false }) : setTimeout(connect, Math.random() * 5));
                };
                connect();
              }),
          ),
        );
      }
      const results = await Promise.all(
        urls.map(
          (url) =>
            new Promise((resolve) => {
              const socket = new w.ResilientSocket(url, { minReconnectDelay: 5, maxReconnectDelay: 5, minUptime: 0 });
              let opens = 0;
              let closes = 0;
              const guard = setTimeout(() => socket.close().then(() => resolve({ opens, closes, stuck: true })), 60_000);
              socket.on('close', () => closes++);
              socket.on('open', () => {
                opens++;
                if (opens > 1) w.__soakDone++;
                if (opens > perLane) {
                  clearTimeout(guard);
                  socket.close().then(() => resolve({ opens, closes, stuck: false }));
                }
              });
            }),
        ),
      );
      return results;
    },
    /** @type {const} */ ([client, urls, cycles]),
  );
}

/**
 * The never-reads cycles, in the page: one ResilientSocket (defaults) against
 * /never-reads; on each open, reconnect(), and time it to the next open. Stops
 * early at `limitMs` after the start (a cycle that does not reopen by then is
 * not completed), then close(). The SDK's abandoned-socket count is read if
 * this build has it (`stats.abandonedSockets`, `trace.abandonedSockets`), else
 * reported as null; the page's own count comes from window.__soakSockets().
 * @param {import('@playwright/test').Page} page @param {string} url @param {number} cycles @param {number} limitMs
 */
function neverReadsCycles(page, url, cycles, limitMs) {
  return page.evaluate(
    async ([url, cycles, limitMs]) => {
      const w = /** @type {any} */ (window);
      const clock = () => performance.now();
      const started = clock();
      const deadline = started + limitMs;
      const socket = new w.ResilientSocket(url);
      w.__neverReadsSocket = socket;
      /** The SDK's count, or null when this build has none. */
      const sdkCount = () => {
        const v = socket.stats.abandonedSockets;
        return typeof v === 'number' ? v : null;
      };
      /** @type {number | null} */
      let sdkPeak = null;
      /** @type {number | null} */
      let tracePeak = null;
      const sample = () => {
        const v = sdkCount();
        if (v !== null && (sdkPeak === null || v > sdkPeak)) sdkPeak = v;
      };
      /** @type {Record<string, number>} */
      const failures = {};
      socket.on('error', (/** @type {any} */ e) => {
        const code = typeof e?.code === 'string' ? e.code : 'unknown';
        failures[code] = (failures[code] ?? 0) + 1;
      });
      socket.on('close', sample);
      socket.on('trace', (/** @type {any} */ t) => {
        if (typeof t.abandonedSockets === 'number' && (tracePeak === null || t.abandonedSockets > tracePeak)) tracePeak = t.abandonedSockets;
      });
      /** @type {((opened: boolean) => void) | null} */
      let waiter = null;
      socket.on('open', () => {
        sample();
        const resolve = waiter;
        waiter = null;
        resolve?.(true);
      });
      /** The next open: true, or false at the deadline. Its timer is cleared either way. */
      const nextOpen = () =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            waiter = null;
            resolve(false);
          }, Math.max(0, deadline - clock()));
          waiter = (opened) => {
            clearTimeout(timer);
            resolve(opened);
          };
        });
      /** @type {number[]} */
      const reconnectToOpenMs = [];
      /** @type {number[]} */
      const closingAtReconnect = [];
      /** @type {Array<number | null>} */
      const sdkAtReconnect = [];
      /** @type {string | null} */
      let stopped = null;
      let cyclesStarted = clock();
      let cyclesEnded = cyclesStarted;
      if (await nextOpen()) {
        cyclesStarted = clock();
        for (let i = 0; i < cycles; i++) {
          closingAtReconnect.push(w.__soakSockets().closing);
          sdkAtReconnect.push(sdkCount());
          const opened = nextOpen();
          const t = clock();
          socket.reconnect();
          sample();
          if (!(await opened)) {
            stopped = `time limit (${limitMs} ms) in cycle ${i + 1}`;
            break;
          }
          reconnectToOpenMs.push(clock() - t);
          cyclesEnded = clock();
          w.__soakDone++;
        }
      } else {
        stopped = `time limit (${limitMs} ms) before the first open`;
      }
      const beforeClose = { closing: w.__soakSockets().closing, sdk: sdkCount() };
      const closeStarted = clock();
      const closed = await socket.close();
      sample();
      return {
        completed: reconnectToOpenMs.length,
        stopped,
        failures,
        cyclesMs: cyclesEnded - cyclesStarted,
        closeMs: clock() - closeStarted,
        closeKind: closed.kind,
        reconnectToOpenMs,
        closingAtReconnect,
        sdkAtReconnect,
        beforeClose,
        sdkPeak,
        tracePeak,
      };
    },
    /** @type {const} */ ([url, cycles, limitMs]),
  );
}

/**
 * The never-reads phase, in a page of its own. After the cycles and close(),
 * a 1.5 s settle and the leftovers (as the other phases); then the server
 * drops its never-reads connections, so that Chromium fires the late close
 * events and frees its sockets for what follows, and the leftovers are read
 * again.
 * @param {{ context: import('@playwright/test').BrowserContext, origin: string, server: import('../../e2e/servers/scenarios.js').ScenarioServer, live: () => number, cycles: number, limitMs: number, progress: (s: string) => void }} o
 */
async function measureNeverReads({ context, origin, server, live, cycles, limitMs, progress }) {
  const label = 'resilient-socket never-reads';
  const started = Date.now();
  const page = await openBenchPage(context, origin, { instrument: true });
  try {
    const statsBefore = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.__soakDone = 0;
      return w.__soakStats();
    });
    const liveBefore = live();
    const ticker = setInterval(async () => {
      const now = await page.evaluate(() => [/** @type {any} */ (window).__soakDone, /** @type {any} */ (window).__soakSockets().closing]).catch(() => null);
      if (now) progress(`${label}: ${now[0]}/${cycles} cycles, ${now[1]} native sockets closing`);
    }, 1000);
    /** @type {Awaited<ReturnType<typeof neverReadsCycles>>} */
    let r;
    try {
      r = await neverReadsCycles(page, server.url('never-reads'), cycles, limitMs);
    } finally {
      clearInterval(ticker);
    }
    await sleep(1500);
    const read = () =>
      page.evaluate(() => {
        const w = /** @type {any} */ (window);
        const v = w.__neverReadsSocket.stats.abandonedSockets;
        return { stats: w.__soakStats(), sockets: w.__soakSockets(), sdk: typeof v === 'number' ? v : null };
      });
    const end = await read();
    const serverLive = live();
    const seconds = (Date.now() - started) / 1000;
    // Release: the server drops the connections it never read from; Chromium's close events follow.
    const releaseStarted = Date.now();
    server.router.kill('never-reads');
    let released = await read();
    for (let i = 0; i < 30 && released.sockets.closing > 0; i++) {
      await sleep(100);
      released = await read();
    }
    const releaseMs = Date.now() - releaseStarted;
    await page.evaluate(() => delete (/** @type {any} */ (window).__neverReadsSocket));
    const listenersLeft = (/** @type {any} */ s) => s.liveListeners - statsBefore.liveListeners;
    const quarters = 4;
    const n = r.reconnectToOpenMs.length;
    const byQuarter = Array.from({ length: quarters }, (_, i) => summarize(r.reconnectToOpenMs.slice(Math.floor((n * i) / quarters), Math.floor((n * (i + 1)) / quarters))).median);
    const failures = Object.values(r.failures).reduce((a, b) => a + b, 0);
    return {
      client: 'resilient-socket',
      kind: 'never-reads',
      cycles,
      completed: r.completed,
      stopped: r.stopped,
      limitMs,
      // Wall time of the whole phase: page open, first connect, the cycles, close() (its closeTimeout: the server never echoes) and the 1.5 s settle.
      seconds: round(seconds, 1),
      cyclesSeconds: round(r.cyclesMs / 1000, 2),
      cyclesPerSecond: r.cyclesMs > 0 ? round(r.completed / (r.cyclesMs / 1000), 1) : null,
      closeKind: r.closeKind,
      closeMs: round(r.closeMs, 1),
      failures,
      failuresByCode: r.failures,
      reconnectToOpenMs: summarize(r.reconnectToOpenMs),
      reconnectToOpenMedianByQuarterMs: byQuarter,
      // Native sockets close()d whose close event has not fired, counted by the page itself.
      closingSockets: {
        peak: end.sockets.peakClosing,
        beforeClose: r.beforeClose.closing,
        atEnd: end.sockets.closing,
        afterServerDrop: released.sockets.closing,
        nativeCreated: end.sockets.created,
        closeCalls: end.sockets.closeCalls,
        closeEvents: end.sockets.closeEvents,
      },
      // The SDK's own count (stats.abandonedSockets; peak also over trace.abandonedSockets); null when this build has none.
      sdkAbandonedSockets: {
        peak: r.sdkPeak,
        tracePeak: r.tracePeak,
        beforeClose: r.beforeClose.sdk,
        atEnd: end.sdk,
        afterServerDrop: released.sdk,
      },
      perCycle: {
        reconnectToOpenMs: r.reconnectToOpenMs.map((x) => round(x, 1)),
        closingAtReconnect: r.closingAtReconnect,
        sdkAtReconnect: r.sdkAtReconnect,
      },
      pendingTimers: end.stats.pendingTimers - statsBefore.pendingTimers,
      pendingTimersAtEnd: end.stats.pendingTimers,
      listenersLeft: listenersLeft(end.stats),
      listenersAtEnd: end.stats.listenersByTarget,
      listenerAddsMinusRemoves: end.stats.listenerAdds - end.stats.listenerRemoves - (statsBefore.listenerAdds - statsBefore.listenerRemoves),
      serverConnectionsOpenBefore: liveBefore,
      serverConnectionsOpen: serverLive,
      afterServerDrop: {
        ms: releaseMs,
        closingSockets: released.sockets.closing,
        pendingTimers: released.stats.pendingTimers - statsBefore.pendingTimers,
        listenersLeft: listenersLeft(released.stats),
        listenersAtEnd: released.stats.listenersByTarget,
      },
      pageErrors: [...page.benchErrors],
    };
  } finally {
    await page.close();
  }
}

/**
 * @param {{ context: import('@playwright/test').BrowserContext, origin: string, cycles: number, reconnects: number, neverReads: number, neverReadsLimitMs: number, progress: (s: string) => void }} o
 */
export async function measureSoak({ context, origin, cycles, reconnects, neverReads, neverReadsLimitMs, progress }) {
  const servers = await Promise.all(Array.from({ length: LANES }, () => startScenarioServer()));
  const live = () => servers.reduce((n, s) => n + s.router.live(), 0);
  /** Waits up to 3 s for the servers to see every connection closed. */
  const settledLive = async () => {
    for (let i = 0; i < 30 && live() > 0; i++) await sleep(100);
    return live();
  };
  /** @type {Record<string, any>} */
  const out = {};
  try {
    const echo = servers.map((s) => s.url('echo'));
    const reset = servers.map((s) => s.url('reset', { after: 5, times: 1_000_000_000 }));
    /** @type {Array<{ name: string, client: string, count: number, warmup: number, run: (page: import('@playwright/test').Page, n: number) => Promise<any> }>} */
    const phases = [
      { name: 'connect-close', client: 'resilient-socket', count: cycles, warmup: Math.max(200, cycles / 10), run: (page, n) => connectClose(page, 'resilient-socket', echo, n) },
      { name: 'connect-close', client: 'native', count: cycles, warmup: Math.max(200, cycles / 10), run: (page, n) => connectClose(page, 'native', echo, n) },
      // V8 keeps compiling the reconnect path for a couple of thousand cycles (measured: +38 KB, +6 KB, then ~0 per 1,000).
      { name: 'reconnect', client: 'resilient-socket', count: reconnects, warmup: Math.max(200, reconnects * 2), run: (page, n) => reconnectCycles(page, 'resilient-socket', reset, n) },
      { name: 'reconnect', client: 'native', count: reconnects, warmup: Math.max(200, reconnects * 2), run: (page, n) => reconnectCycles(page, 'native', reset, n) },
    ];
    for (const phase of phases) {
      const label = `${phase.client} ${phase.name}`;
      const page = await openBenchPage(context, origin, { instrument: true });
      const cdp = await page.context().newCDPSession(page);
      try {
        // Warm up (JIT, pools), so that the growth measured is per cycle, not first use.
        progress(`${label}: warm-up, ${phase.warmup} cycles`);
        await phase.run(page, phase.warmup);
        await sleep(300);
        // GC first: listeners on the warm-up's garbage would otherwise count as "before" and make the
        // figure after the run (taken after GC) look like listeners were removed that never were.
        const heapBefore = await heapAfterGc(cdp);
        const statsBefore = await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.__soakDone = 0;
          return w.__soakStats();
        });
        const liveBefore = live();
        const started = Date.now();
        const ticker = setInterval(async () => {
          const doneCount = await page.evaluate(() => /** @type {any} */ (window).__soakDone).catch(() => null);
          if (doneCount !== null) progress(`${label}: ${doneCount}/${phase.count} cycles`);
        }, 1000);
        // Four quarters, with the heap read after each: a leak grows every quarter, while a
        // one-time cost (V8 compiling a hot path, a cache filling) lands in one or two only.
        const quarters = 4;
        const sizes = Array.from({ length: quarters }, (_, i) => Math.floor((phase.count * (i + 1)) / quarters) - Math.floor((phase.count * i) / quarters));
        /** @type {any[]} */
        const result = [];
        /** @type {number[]} */
        const heaps = [heapBefore];
        let paused = 0;
        try {
          for (const [i, size] of sizes.entries()) {
            result.push(await phase.run(page, size));
            const t = Date.now();
            // The last reading waits for stragglers (late closes, timers) to settle first.
            if (i === quarters - 1) await sleep(1500);
            heaps.push(await heapAfterGc(cdp));
            paused += Date.now() - t;
          }
        } finally {
          clearInterval(ticker);
        }
        const seconds = (Date.now() - started - paused) / 1000;
        const heapSettled = heaps[quarters];
        const perQuarter = sizes.map((size, i) => (heaps[i + 1] - heaps[i]) / size);
        const statsAfter = await page.evaluate(() => /** @type {any} */ (window).__soakStats());
        const serverLive = await settledLive();
        const errors = [...page.benchErrors];
        out[`${phase.client} ${phase.name}`] = {
          client: phase.client,
          kind: phase.name,
          cycles: phase.count,
          warmupCycles: phase.warmup,
          seconds: round(seconds, 1),
          cyclesPerSecond: round(phase.count / seconds, 1),
          result,
          heapBytes: heaps,
          heapGrowthBytes: heapSettled - heapBefore,
          heapGrowthPerCycleBytes: round((heapSettled - heapBefore) / phase.count, 1),
          heapGrowthPerCycleByQuarter: perQuarter.map((x) => round(x, 1)),
          // A steady leak of L bytes per cycle grows every quarter by at least L, so the lowest quarter bounds it.
          leakBoundPerCycleBytes: round(Math.max(0, Math.min(...perQuarter)), 1),
          pendingTimers: statsAfter.pendingTimers - statsBefore.pendingTimers,
          pendingTimersAtEnd: statsAfter.pendingTimers,
          listenersLeft: statsAfter.liveListeners - statsBefore.liveListeners,
          listenersAtEnd: statsAfter.listenersByTarget,
          listenerAddsMinusRemoves: statsAfter.listenerAdds - statsAfter.listenerRemoves - (statsBefore.listenerAdds - statsBefore.listenerRemoves),
          serverConnectionsOpenBefore: liveBefore,
          serverConnectionsOpen: serverLive,
          pageErrors: errors,
        };
      } finally {
        await cdp.detach().catch(() => {});
        await page.close();
      }
    }
    // Last: it leaves Chromium's sockets closing until the server drops them.
    if (neverReads > 0) {
      progress(`resilient-socket never-reads: ${neverReads} cycles`);
      out['resilient-socket never-reads'] = await measureNeverReads({ context, origin, server: servers[0], live, cycles: neverReads, limitMs: neverReadsLimitMs, progress });
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const why = 'not soaked: the soak looks for leaks in the SDK, against the native socket as the baseline; soaking the peers too would add about two minutes to the run';
  return {
    lanes: LANES,
    phases: out,
    notRun: { 'reconnecting-websocket': why, partysocket: why },
    notRunNeverReads: {
      native: 'not needed: the phase checks what the SDK does with the native sockets it abandons (its count, its pace); a native loop has no such count to check',
    },
  };
}
