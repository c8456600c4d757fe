// @ts-check
/**
 * 3. Recovery after a server restart: the restartable echo server goes
 * down (every connection dropped, port closed) for 500 ms and comes back.
 * Measured: from the server coming back to each client's next open, and to
 * the first message round trip on it. Every client runs with its defaults.
 *
 * One trial = one restartable server and one fresh page holding one
 * client of each kind (fresh, so that reconnecting-websocket draws its
 * per-page random minimum delay anew). Trials run in parallel batches.
 */
import { clockOffset, openBenchPage } from './browser.js';
import { CLIENTS, now, sleep, summarize } from './env.js';
import { startBenchRestartable } from './servers.js';

export const DOWN_MS = 500;

/**
 * One trial.
 * @param {import('@playwright/test').BrowserContext} context @param {string} origin @param {number} limitMs
 */
async function trial(context, origin, limitMs) {
  const server = await startBenchRestartable();
  const page = await openBenchPage(context, origin);
  try {
    const opened = await page.evaluate(
      async ([url, clients]) => {
        const w = /** @type {any} */ (window);
        w.recovery = clients.map((/** @type {string} */ client) => {
          const c = w.makeClient(client, url);
          const r = { client, opens: 0, closes: 0, reopenAt: null, roundTripAt: null, closeCode: null };
          c.on('open', () => {
            r.opens++;
            if (r.opens === 2) {
              r.reopenAt = w.wallNow();
              c.send('probe');
            }
          });
          c.on('message', (/** @type {any} */ data) => {
            if (r.opens >= 2 && r.roundTripAt === null && data === 'probe') r.roundTripAt = w.wallNow();
          });
          c.on('close', (/** @type {any} */ ev) => {
            r.closes++;
            if (r.closeCode === null) r.closeCode = ev.code;
          });
          return { c, r };
        });
        const t0 = performance.now();
        while (performance.now() - t0 < 10_000) {
          if (w.recovery.every((/** @type {any} */ s) => s.r.opens === 1)) return true;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return false;
      },
      /** @type {const} */ ([server.url, [...CLIENTS]]),
    );
    if (!opened) throw new Error('recovery: not every client opened');
    const { offsetMs } = await clockOffset(page);
    await server.down();
    await sleep(DOWN_MS);
    await server.up();
    const upAt = now() + offsetMs; // on the page's clock
    const results = await page.evaluate(
      async ([limitMs]) => {
        const w = /** @type {any} */ (window);
        const t0 = performance.now();
        // Native never reconnects; the others are awaited until their round trip or the limit.
        const pending = () => w.recovery.filter((/** @type {any} */ s) => s.r.client !== 'native' && s.r.roundTripAt === null);
        while (pending().length > 0 && performance.now() - t0 < limitMs) await new Promise((resolve) => setTimeout(resolve, 20));
        for (const s of w.recovery) s.c.close(1000);
        return w.recovery.map((/** @type {any} */ s) => ({ ...s.r }));
      },
      /** @type {const} */ ([limitMs]),
    );
    return results.map((/** @type {any} */ r) => ({
      client: r.client,
      dropCode: r.closeCode,
      openMs: r.reopenAt === null ? null : r.reopenAt - upAt,
      roundTripMs: r.roundTripAt === null ? null : r.roundTripAt - upAt,
    }));
  } finally {
    await page.close();
    await server.stop();
  }
}

/**
 * @param {{ context: import('@playwright/test').BrowserContext, origin: string, trials: number, parallel: number, limitMs: number, progress: (s: string) => void }} o
 */
export async function measureRecovery({ context, origin, trials, parallel, limitMs, progress }) {
  /** @type {any[][]} */
  const all = [];
  for (let done = 0; done < trials; ) {
    const batch = Math.min(parallel, trials - done);
    progress(`trials ${done + 1}–${done + batch} of ${trials} (server down ${DOWN_MS} ms, then waiting up to ${limitMs / 1000} s)`);
    all.push(...(await Promise.all(Array.from({ length: batch }, () => trial(context, origin, limitMs)))));
    done += batch;
  }
  return {
    downMs: DOWN_MS,
    limitMs,
    clients: Object.fromEntries(
      CLIENTS.map((client) => {
        const rows = all.map((t) => t.find((/** @type {any} */ r) => r.client === client));
        const reopened = rows.filter((r) => r.openMs !== null);
        return [
          client,
          {
            openMs: summarize(rows.map((r) => r.openMs)),
            roundTripMs: summarize(rows.map((r) => r.roundTripMs)),
            recovered: reopened.length,
            of: rows.length,
            note: client === 'native' ? 'no reconnect: a native WebSocket stays closed after the drop' : null,
            trials: rows,
          },
        ];
      }),
    ),
  };
}
