// @ts-check
/**
 * The bench's browsers (the e2e tests' own, see e2e/browser.js): launch,
 * bench pages, and the offset between the page's clock and Node's.
 */
import { join } from 'node:path';
import { launch as launchEngine } from '../../e2e/browser.js';
import { BENCH, now } from './env.js';

/** Errors Chromium and Firefox print for connections a scenario makes fail on purpose. */
const EXPECTED = [
  /WebSocket connection to '.*' failed/,
  /WebSocket is closed before the connection is established/,
  /ERR_CONNECTION_REFUSED/,
  /can.t establish a connection to the server/,
  /was interrupted while the page was loading/,
];

/** Chromium, or `engine`. @param {import('../../e2e/browser.js').Engine} [engine] */
export async function launch(engine = 'chromium') {
  return launchEngine(engine);
}

/**
 * Opens bench/pages/bench.html in a new page of `context`.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} origin
 * @param {{ instrument?: boolean }} [options] `instrument` counts timers and listeners (soak only)
 */
export async function openBenchPage(context, origin, { instrument = false } = {}) {
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (error) => {
    if (!EXPECTED.some((re) => re.test(error.message))) errors.push(error.message);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !EXPECTED.some((re) => re.test(msg.text()))) errors.push(msg.text());
  });
  if (instrument) await page.addInitScript({ path: join(BENCH, 'pages/instrument.js') });
  await page.goto(`${origin}/bench/pages/bench.html`);
  const ready = await page.evaluate(() => /** @type {any} */ (window).benchReady);
  if (!ready) throw new Error('bench page: a bundle did not load');
  return Object.assign(page, { benchErrors: errors });
}

/**
 * The page's wall clock minus Node's, from the tightest of a few round trips.
 * Server-side stamps plus this offset are on the page's clock.
 * @param {import('@playwright/test').Page} page
 * @returns {Promise<{ offsetMs: number, uncertaintyMs: number }>}
 */
export async function clockOffset(page) {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < 7; i++) {
    const a = now();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = now();
    if ((b - a) / 2 < best.uncertaintyMs) best = { offsetMs: p - (a + b) / 2, uncertaintyMs: (b - a) / 2 };
  }
  return best;
}
