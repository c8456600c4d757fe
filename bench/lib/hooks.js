// @ts-check
/**
 * 8. UI hooks against a half-open peer: resilient-socket's React hook and
 * Vue composable beside react-use-websocket and VueUse's useWebSocket, each
 * with a heartbeat of a ping per second and a 1 s timeout, and a 100 ms
 * retry, connected to /silent (accepts, then neither reads nor writes). The
 * figure is the time from the first open to the next open: how long the
 * hook takes to notice the dead peer and be connected again. The peers'
 * hooks close with the browser's close(), which against a silent peer waits
 * for the browser's own closing-handshake timeout (60 s in Chromium)
 * before their reconnect starts.
 */
import { join } from 'node:path';
import { build } from 'vite';
import { BENCH, TMP, summarize } from './env.js';

export const HOOKS = ['resilient-socket/react', 'react-use-websocket', 'resilient-socket/vue', '@vueuse/core'];

/** Builds bench/pages/hooks into bench/.tmp/hooks. */
async function buildHooksPage() {
  const outDir = join(TMP, 'hooks');
  await build({
    configFile: false,
    envDir: false,
    root: join(BENCH, 'pages/hooks'),
    base: './',
    logLevel: 'silent',
    define: { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false', 'process.env.NODE_ENV': '"production"' },
    build: { outDir, emptyOutDir: true, minify: false },
  });
  return outDir;
}

/**
 * @param {{ context: import('@playwright/test').BrowserContext, server: any, trials: number, limitMs: number, progress: (s: string) => void }} o
 */
export async function measureHooks({ context, server, trials, limitMs, progress }) {
  await buildHooksPage();
  const started = Date.now();
  const ticker = setInterval(() => progress(`${Math.round((Date.now() - started) / 1000)} s of at most ${Math.round(limitMs / 1000)} s, ${HOOKS.length} hooks × ${trials}`), 500);
  try {
    const results = await Promise.all(
      HOOKS.flatMap((client) =>
        Array.from({ length: trials }, async () => {
          const page = await context.newPage();
          try {
            const query = new URLSearchParams({ client, url: server.wsUrl('silent') });
            await page.goto(`${server.origin}/bench/.tmp/hooks/index.html?${query}`);
            const opens = await page.evaluate(async (limit) => {
              const w = /** @type {any} */ (window);
              const t0 = performance.now();
              while (w.opens.length < 2 && performance.now() - t0 < limit) await new Promise((r) => setTimeout(r, 50));
              return w.opens.slice(0, 2);
            }, limitMs);
            return { client, recoveryMs: opens.length === 2 ? opens[1] - opens[0] : null, opened: opens.length > 0 };
          } finally {
            await page.close();
          }
        }),
      ),
    );
    return {
      limitMs,
      clients: HOOKS.map((client) => {
        const mine = results.filter((r) => r.client === client);
        const recovered = mine.filter((r) => r.recoveryMs !== null);
        return { client, recovered: recovered.length, of: mine.length, opened: mine.filter((r) => r.opened).length, recoveryMs: summarize(recovered.map((r) => r.recoveryMs)) };
      }),
    };
  } finally {
    clearInterval(ticker);
  }
}
