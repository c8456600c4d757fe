/**
 * The demo page, clicked through in real Chromium. Each worker starts Vite
 * on 127.0.0.1 with the project's vite.config.ts, as `npm start` does, so
 * the page imports the SDK from src/ and the scenario plugin serves /ws/.
 * The spec reads what the page writes into the DOM.
 */
import { copyFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { createServer } from 'vite';
import { watchPage } from './fixtures';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLOSE_TIMEOUT = 1000;

/** A port free a moment ago: Vite then listens on it with strictPort, and its HMR client knows it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const test = base.extend<{ app: Page }, { origin: string }>({
  origin: [
    async ({}, use, workerInfo) => {
      const port = await freePort();
      const server = await createServer({
        configFile: join(ROOT, 'vite.config.ts'),
        // One dependency cache per worker: workers start Vite in parallel.
        cacheDir: join(ROOT, 'test-results', `.vite-demo-${workerInfo.workerIndex}`),
        server: { host: '127.0.0.1', port, strictPort: true },
        logLevel: 'warn',
        clearScreen: false,
      });
      await server.listen();
      await use(`http://127.0.0.1:${port}`);
      await server.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, origin }, use) => {
    const problems: string[] = [];
    watchPage(page, problems, { warnings: true });
    await page.goto(origin);
    // The log's placeholder row is written by main.ts: the module graph loaded.
    await expect(page.locator('#log tbody tr')).toHaveCount(1);
    await use(page);
    expect(problems, 'console errors, warnings or page errors').toEqual([]);
  },
});

test.use({ viewport: { width: 1280, height: 900 } });

interface LogRow {
  seq: number;
  client: string;
  event: string;
  kind: string;
  cause: string;
  ms: number | null;
}

function logRows(page: Page): Promise<LogRow[]> {
  return page.locator('#log tbody tr[data-seq]').evaluateAll((trs) =>
    (trs as HTMLElement[])
      .map((tr) => ({
        seq: Number(tr.dataset.seq),
        client: tr.dataset.client ?? '',
        event: tr.dataset.event ?? '',
        kind: tr.dataset.kind ?? '',
        cause: tr.querySelector('.cause')?.textContent ?? '',
        ms: (tr.querySelector('.latency') as HTMLElement | null)?.dataset.ms ? Number((tr.querySelector('.latency') as HTMLElement).dataset.ms) : null,
      }))
      .sort((a, b) => a.seq - b.seq),
  );
}

async function lastSeq(page: Page): Promise<number> {
  return (await logRows(page)).reduce((max, row) => Math.max(max, row.seq), 0);
}

/**
 * Replaces a number field's value as a user does: select all, type. (Firefox
 * over WebDriver BiDi types after the existing value on `fill()`.)
 */
async function setField(page: Page, selector: string, value: string): Promise<void> {
  const field = page.locator(selector);
  await field.selectText();
  await field.pressSequentially(value);
  await expect(field).toHaveValue(value);
}

/** Picks a scenario, connects both sockets, and waits until both are open. */
async function connect(page: Page, scenario: string): Promise<void> {
  await page.selectOption('#scenario', scenario);
  await page.click('#connect');
  await expect(page.locator('#sdk-since')).toContainText(scenario);
  await expect(page.locator('#sdk-state')).toHaveText('OPEN');
  await expect(page.locator('#native-state')).toHaveText('OPEN');
}

/** Waits for an SDK close of `kind` and `cause` logged after row `after`, then for an SDK open after it. */
async function expectReconnect(page: Page, after: number, kind: string, cause: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const rows = await logRows(page);
        const closed = rows.find((r) => r.seq > after && r.client === 'sdk' && r.event === 'closed' && r.cause === cause);
        if (!closed) return `no ${cause} close yet`;
        if (closed.kind !== kind) return `closed as ${closed.kind}`;
        const open = rows.find((r) => r.seq > closed.seq && r.client === 'sdk' && r.event === 'open');
        return open ? 'reopened' : 'closed, not reopened yet';
      },
      { timeout: 10_000, message: `an SDK ${kind} close (${cause}) followed by an open` },
    )
    .toBe('reopened');
}

test('never-reads: the SDK settles as a timeout within closeTimeout while the native socket stays CLOSING', async ({ app }) => {
  await setField(app, '#closeTimeout', String(CLOSE_TIMEOUT));
  await connect(app, 'never-reads');
  await app.click('#close');

  const closed = app.locator('#log tr[data-client="sdk"][data-event="closed"]');
  await expect(closed).toHaveCount(1, { timeout: CLOSE_TIMEOUT + 1000 });
  await expect(closed).toHaveAttribute('data-kind', 'timeout');
  await expect(closed.locator('.kind')).toHaveText('timeout');
  const latency = Number.parseInt((await closed.locator('.latency').textContent()) ?? '', 10);
  expect(latency).toBeGreaterThanOrEqual(CLOSE_TIMEOUT);
  // Against Chromium's 60 s; the margin absorbs a loaded machine.
  expect(latency).toBeLessThan(CLOSE_TIMEOUT + 1000);

  // Its diagnosis follows it in the log.
  await expect(app.locator('#log tr[data-client="sdk"][data-event="diagnosis"]')).toHaveCount(1);
  await expect(app.locator('#log tr[data-client="sdk"][data-event="diagnosis"]')).toContainText('server-not-reading');
  await expect(app.locator('#stats')).toContainText('server-not-reading 1');

  await expect(app.locator('#sdk-state')).toHaveText('CLOSED');
  await expect(app.locator('#native-state')).toHaveText('CLOSING');
  await expect(app.locator('#log tr[data-client="native"][data-event="closed"]')).toHaveCount(0);
  // The chart has a timeout bar for the SDK and a live, still growing bar for the native socket.
  await expect(app.locator('#chart .bar.kind-timeout')).toHaveCount(1);
  await expect(app.locator('#chart .bar.kind-pending')).toHaveCount(1);
});

test('inside graphql-ws: on TracedWebSocket the client closes within closeTimeout; on the native socket it still waits', async ({ app }) => {
  await setField(app, '#closeTimeout', String(CLOSE_TIMEOUT));
  await app.click('#lib-race');
  await expect(app.locator('#lib-traced-state')).toHaveText('closed 1006, not clean', { timeout: 10_000 });
  const traced = Number.parseInt(((await app.locator('#lib-traced-time').textContent()) ?? '').replace(/\D+/g, ''), 10);
  expect(traced).toBeGreaterThanOrEqual(CLOSE_TIMEOUT);
  // Against Chromium's 60 s; the margin absorbs a loaded machine.
  expect(traced).toBeLessThan(CLOSE_TIMEOUT + 1000);
  await expect(app.locator('#lib-native-state')).toHaveText('closing');
  await expect(app.locator('#lib-native-time')).toContainText('waiting');
});

test('kill, reset, restart and offline: the SDK reconnects, the native socket does not', async ({ app }) => {
  await setField(app, '#minReconnectDelay', '100');
  await setField(app, '#maxReconnectDelay', '1000');

  await connect(app, 'echo');
  let mark = await lastSeq(app);
  await app.click('#kill');
  await expectReconnect(app, mark, 'abnormal', 'network');
  await expect(app.locator('#native-state')).toHaveText('CLOSED');

  mark = await lastSeq(app);
  await connect(app, 'reset');
  await expectReconnect(app, mark, 'abnormal', 'network');
  await expect(app.locator('#native-state')).toHaveText('CLOSED');

  await connect(app, 'restart');
  mark = await lastSeq(app);
  await app.click('#restart');
  await expect(app.locator('#server-chip')).toContainText('down');
  await expectReconnect(app, mark, 'abnormal', 'network');
  await expect(app.locator('#server-chip')).toHaveText('restart server: up');
  await expect(app.locator('#native-state')).toHaveText('CLOSED');

  mark = await lastSeq(app);
  await app.click('#offline');
  await expect(app.locator('#sdk-state')).toHaveText('OFFLINE');
  await app.click('#offline');
  await expectReconnect(app, mark, 'abnormal', 'offline');

  const stats = app.locator('#stats');
  await expect(stats.locator('dd[data-stat="reconnects"]')).not.toHaveText('0');
});

test('screenshot of a session: clean, slow, reset and timed-out closes', async ({ app }, testInfo) => {
  await setField(app, '#minReconnectDelay', '300');
  await connect(app, 'echo');
  await app.click('#close');
  await expect(app.locator('#sdk-state')).toHaveText('CLOSED');

  await connect(app, 'slow-close');
  await app.click('#close');
  await expect(app.locator('#log tr[data-client="sdk"][data-event="closed"]')).toHaveCount(2);

  const mark = await lastSeq(app);
  await connect(app, 'reset');
  await expectReconnect(app, mark, 'abnormal', 'network');

  await connect(app, 'never-reads');
  await app.click('#close');
  await app.click('#lib-race');
  await expect(app.locator('#log tr[data-client="sdk"][data-kind="timeout"]')).toHaveCount(1);
  await expect(app.locator('#native-state')).toHaveText('CLOSING');
  await expect(app.locator('#lib-traced-state')).toHaveText('closed 1006, not clean', { timeout: 10_000 });
  // Let the native socket's CLOSING grow visibly past the SDK's settled close.
  await app.waitForTimeout(2500);

  const path = testInfo.outputPath('demo.png');
  await app.screenshot({ path, fullPage: true });
  await testInfo.attach('demo', { path, contentType: 'image/png' });
  // The README's screenshot is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_SCREENSHOT) copyFileSync(path, join(ROOT, 'demo', 'screenshot.png'));
});
