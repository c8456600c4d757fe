// @ts-check
/**
 * 2. Dead-peer detection: against /silent (upgrades, then neither reads nor
 * writes: a half-open peer), the time from open until the client reports
 * a close, or "never" within the window. The SDK runs with its heartbeat
 * at two settings; the others have no heartbeat and run with their
 * defaults. All sockets run at once, each configuration in its own page.
 */
import { openBenchPage } from './browser.js';
import { summarize } from './env.js';

/**
 * @typedef {object} DetectionConfig
 * @property {string} label
 * @property {string} client
 * @property {object | undefined} options
 */

/**
 * The configurations: two SDK heartbeat settings, then the others.
 * @param {boolean} quick
 * @returns {DetectionConfig[]}
 */
export function detectionConfigs(quick) {
  const settings = quick
    ? [
        { interval: 1000, timeout: 1000 },
        { interval: 3000, timeout: 1000 },
      ]
    : [
        { interval: 2000, timeout: 1000 },
        { interval: 15000, timeout: 5000 }, // the SDK's heartbeat defaults (heartbeat: true)
      ];
  return [
    ...settings.map((hb) => ({ label: `resilient-socket (heartbeat ${hb.interval}/${hb.timeout} ms)`, client: 'resilient-socket', options: { heartbeat: hb } })),
    { label: 'native', client: 'native', options: undefined },
    { label: 'reconnecting-websocket', client: 'reconnecting-websocket', options: undefined },
    { label: 'partysocket', client: 'partysocket', options: undefined },
  ];
}

/**
 * @param {{ context: import('@playwright/test').BrowserContext, server: any, quick: boolean, trials: number, windowMs: number, progress: (s: string) => void, configs?: DetectionConfig[] }} o
 */
export async function measureDetection({ context, server, quick, trials, windowMs, progress, configs = detectionConfigs(quick) }) {
  const started = Date.now();
  const ticker = setInterval(() => progress(`${Math.round((Date.now() - started) / 1000)} s of a ${windowMs / 1000} s window, ${configs.length} configurations × ${trials} sockets`), 500);
  try {
    const results = await Promise.all(
      configs.map(async (config) => {
        const page = await openBenchPage(context, server.origin);
        try {
          const trialsOut = await page.evaluate(
            async ([client, url, options, trials, windowMs]) => {
              const w = /** @type {any} */ (window);
              const sockets = Array.from({ length: trials }, () => {
                const c = w.makeClient(client, url, options);
                /** @type {{ ended: boolean, openAt: number | null, closeAt: number | null, code: unknown, wasClean: unknown, detail: any }} */
                const r = { ended: false, openAt: null, closeAt: null, code: null, wasClean: null, detail: null };
                c.on('open', () => {
                  if (r.openAt === null) r.openAt = w.wallNow();
                });
                c.on('close', (/** @type {any} */ ev) => {
                  // Closes after the window are the bench's own close() calls, not detections.
                  if (r.ended || r.closeAt !== null || r.openAt === null) return;
                  Object.assign(r, { closeAt: ev.at, code: ev.code, wasClean: ev.wasClean, detail: ev.detail });
                });
                return { c, r };
              });
              const t0 = w.wallNow();
              // Wait out the window, counted from the last open (or from the start when some never open).
              while (w.wallNow() - t0 < windowMs + 5000) {
                const opens = sockets.map((s) => s.r.openAt);
                if (opens.every((o) => o !== null) && w.wallNow() - Math.max(...opens) >= windowMs) break;
                if (sockets.every((s) => s.r.closeAt !== null)) break;
                await new Promise((resolve) => setTimeout(resolve, 100));
              }
              for (const s of sockets) s.r.ended = true;
              for (const s of sockets) s.c.close(1000);
              return sockets.map(({ r }) => ({
                opened: r.openAt !== null,
                detectedMs: r.openAt !== null && r.closeAt !== null ? r.closeAt - r.openAt : null,
                code: r.code,
                wasClean: r.wasClean,
                cause: r.detail?.cause ?? null,
              }));
            },
            /** @type {const} */ ([config.client, server.wsUrl('silent'), config.options, trials, windowMs]),
          );
          return { ...config, trials: trialsOut };
        } finally {
          await page.close();
        }
      }),
    );
    return {
      windowMs,
      results: results.map((r) => {
        const detected = r.trials.filter((t) => t.detectedMs !== null);
        return {
          label: r.label,
          client: r.client,
          options: r.options ?? null,
          detectedMs: summarize(detected.map((t) => t.detectedMs)),
          detected: detected.length,
          of: r.trials.length,
          never: r.trials.filter((t) => t.opened && t.detectedMs === null).length,
          trials: r.trials,
        };
      }),
    };
  } finally {
    clearInterval(ticker);
  }
}
