// @ts-check
/**
 * 4. Throughput: messages per second, in one page, for every client.
 *
 * - Round trip: send one message to /echo, wait for it to come back, repeat
 *   for a fixed time.
 * - One way: ask /push for N messages and time their arrival, first
 *   request to last message.
 *
 * For 64 B and 16 KiB text messages. In each trial the SDK and the native
 * socket run twice, in ABBA order (native, SDK, SDK, native, alternating
 * with SDK, native, native, SDK), so that a machine getting slower or faster
 * during the trial cancels out of their ratio; the peers run once each
 * after them. A client's trial figure is the mean of its runs; the ratio
 * to native is taken per trial, then its median over the trials.
 */
import { openBenchPage } from './browser.js';
import { CLIENTS, ratio, summarize } from './env.js';

export const SIZES = [64, 16 * 1024];

/**
 * @param {import('@playwright/test').Page} page @param {string} client @param {string} url @param {number} size @param {number} durationMs
 * @returns {Promise<number>} round trips per second
 */
function roundTrip(page, client, url, size, durationMs) {
  return page.evaluate(
    async ([client, url, size, durationMs]) => {
      const w = /** @type {any} */ (window);
      const c = w.makeClient(client, url);
      if (!(await w.nextEvent(c, 'open', 5000))) throw new Error(`${client} did not open`);
      const payload = 'x'.repeat(size);
      /** @type {() => void} */
      let next = () => {};
      c.on('message', () => next());
      const once = () =>
        new Promise((resolve) => {
          next = /** @type {() => void} */ (resolve);
          c.send(payload);
        });
      for (let i = 0; i < 50; i++) await once();
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < durationMs) {
        await once();
        n++;
      }
      const rate = n / ((performance.now() - t0) / 1000);
      const closed = w.nextEvent(c, 'close', 5000);
      c.close(1000);
      await closed;
      return rate;
    },
    /** @type {const} */ ([client, url, size, durationMs]),
  );
}

/**
 * @param {import('@playwright/test').Page} page @param {string} client @param {string} url @param {number} size @param {number} count
 * @returns {Promise<number>} messages per second
 */
function oneWay(page, client, url, size, count) {
  return page.evaluate(
    async ([client, url, size, count]) => {
      const w = /** @type {any} */ (window);
      const c = w.makeClient(client, url);
      if (!(await w.nextEvent(c, 'open', 5000))) throw new Error(`${client} did not open`);
      let received = 0;
      let target = 0;
      /** @type {() => void} */
      let done = () => {};
      c.on('message', () => {
        if (++received === target) done();
      });
      const burst = (/** @type {number} */ n) =>
        new Promise((resolve) => {
          received = 0;
          target = n;
          done = /** @type {() => void} */ (resolve);
          c.send(`push ${n} ${size}`);
        });
      await burst(Math.max(50, Math.round(count / 20)));
      const t0 = performance.now();
      await burst(count);
      const rate = count / ((performance.now() - t0) / 1000);
      const closed = w.nextEvent(c, 'close', 5000);
      c.close(1000);
      await closed;
      return rate;
    },
    /** @type {const} */ ([client, url, size, count]),
  );
}

/**
 * @param {{ context: import('@playwright/test').BrowserContext, server: any, trials: number, durationMs: number, pushCount: Record<number, number>, progress: (s: string) => void }} o
 */
export async function measureThroughput({ context, server, trials, durationMs, pushCount, progress }) {
  const page = await openBenchPage(context, server.origin);
  /** @type {Record<string, Record<string, number[]>>} mode:size → client → rate per trial */
  const rates = {};
  const peers = CLIENTS.filter((c) => c !== 'resilient-socket' && c !== 'native');
  const total = trials * 2 * SIZES.length * (4 + peers.length);
  let done = 0;
  try {
    for (let t = 0; t < trials; t++) {
      const [a, b] = t % 2 === 0 ? ['native', 'resilient-socket'] : ['resilient-socket', 'native'];
      const order = [a, b, b, a, ...(t % 2 === 0 ? peers : [...peers].reverse())];
      for (const mode of ['round-trip', 'one-way']) {
        for (const size of SIZES) {
          const key = `${mode}:${size}`;
          rates[key] ??= {};
          /** @type {Record<string, number[]>} */
          const runs = {};
          for (const client of order) {
            progress(`${++done}/${total}: ${mode} ${size} B, ${client}, trial ${t + 1}/${trials}`);
            const rate =
              mode === 'round-trip'
                ? await roundTrip(page, client, server.wsUrl('echo'), size, durationMs)
                : await oneWay(page, client, server.wsUrl('push'), size, pushCount[size]);
            (runs[client] ??= []).push(rate);
          }
          for (const [client, list] of Object.entries(runs)) (rates[key][client] ??= []).push(list.reduce((x, y) => x + y, 0) / list.length);
        }
      }
    }
    if (page.benchErrors.length) throw new Error(`throughput page errors: ${page.benchErrors.join('; ')}`);
  } finally {
    await page.close();
  }
  return {
    durationMs,
    pushCount,
    rows: Object.entries(rates).map(([key, byClient]) => {
      const [mode, size] = key.split(':');
      /** @type {Record<string, any>} */
      const clients = {};
      for (const client of CLIENTS) clients[client] = { perSecond: summarize(byClient[client]), trials: byClient[client].map((r) => Math.round(r)) };
      for (const client of CLIENTS) {
        clients[client].ratioToNative = ratio(clients[client].perSecond.median, clients.native.perSecond.median);
        // Per trial: the SDK's ABBA runs against the native runs around them.
        clients[client].pairedRatio = summarize(byClient[client].map((rate, i) => rate / byClient.native[i]), 3);
      }
      return { mode, size: Number(size), clients };
    }),
  };
}
