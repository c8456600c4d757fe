// @ts-check
/**
 * 7. Engines: the SDK and the native socket side by side in Chromium and in
 * Firefox, in one run: close latency in each close scenario of table 1
 * (never-reads, echo, slow-close, reset, 1012) and dead-peer detection
 * against /silent. Each engine has its own native closing-handshake timeout
 * (60 s Chromium, 20 s Firefox), measured here by the native never-reads
 * trials; --quick skips Chromium's 60 s and keeps Firefox's 20 s, which
 * runs in the background while the rest is measured. The full run measures
 * one engine after the other; --quick both at once, to stay short.
 */
import { ENGINES } from '../../e2e/browser.js';
import { launch } from './browser.js';
import { runShortTrials, startLongWaits, summarizeCloseLatency } from './close-latency.js';
import { measureDetection } from './detection.js';

const CLIENTS = /** @type {const} */ (['resilient-socket', 'native']);

/**
 * @param {{ server: any, quick: boolean, trials: number, longTrials: number, windowMs: number, progress: (s: string) => void }} o
 */
export async function measureEngines({ server, quick, trials, longTrials, windowMs, progress }) {
  /** @param {import('../../e2e/browser.js').Engine} engine */
  const measure = async (engine) => {
    const browser = await launch(engine);
    const context = await browser.newContext();
    try {
      const withLong = !(quick && engine === 'chromium');
      const longWaits = withLong ? startLongWaits({ context, server, trials: longTrials, clients: ['native'] }) : null;
      longWaits?.catch(() => {});
      const short = await runShortTrials({ context, server, trials, clients: CLIENTS, progress: (s) => progress(`${engine}: ${s}`) });
      const hb = quick ? { interval: 1000, timeout: 1000 } : { interval: 2000, timeout: 1000 };
      const detection = await measureDetection({
        context,
        server,
        quick,
        trials: 1,
        windowMs,
        configs: [
          { label: `resilient-socket (heartbeat ${hb.interval}/${hb.timeout} ms)`, client: 'resilient-socket', options: { heartbeat: hb } },
          { label: 'native', client: 'native', options: undefined },
        ],
        progress: (s) => progress(`${engine}: detection, ${s}`),
      });
      progress(`${engine}: waiting for the native never-reads closes`);
      const long = longWaits ? await longWaits : null;
      return { engine, version: browser.version(), closeLatency: summarizeCloseLatency(short, long, CLIENTS), detection };
    } finally {
      await context.close().catch(() => {});
      await browser.close();
    }
  };
  if (quick) return Promise.all(ENGINES.map(measure));
  const out = [];
  for (const engine of ENGINES) out.push(await measure(engine));
  return out;
}
