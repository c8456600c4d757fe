/**
 * Timers in a hidden tab. Chromium runs a hidden page's timers at most once
 * a second, and once the page has been hidden for the intensive-throttling
 * grace period, timers of a chain (nesting level above 5) at most once a
 * minute. The SDK promises that close() settles within closeTimeout (plus the
 * 1 s alignment every hidden page gets), that connectTimeout and the
 * heartbeat's deadlines hold the same way, wherever the app calls it from.
 *
 * How the page is hidden, in headless Chromium driven by Playwright:
 * - Chromium is launched here, not by Playwright: Playwright's launch adds
 *   --disable-background-timer-throttling (and friends), and every page of a
 *   Playwright-made context gets Emulation.setFocusEmulationEnabled, which
 *   keeps the page `visible` whatever happens to its tab or window. Pages of
 *   the browser's default context, reached with connectOverCDP({ noDefaults:
 *   true }), get no focus emulation.
 * - A second tab opened in the same window (context.newPage()) sends the
 *   harness tab to the background: `visibilitychange` fires, and
 *   `document.visibilityState` is `hidden`.
 * - Chromium 156 applies `grace_period_seconds` only to a page still waiting
 *   for its first contentful paint; a painted page gets a fixed 60 s grace
 *   period (the `grace_period_seconds_loaded` parameter no longer exists).
 *   The harness page therefore gets `html { display: none }` (an adopted
 *   style sheet set by an init script): nothing contentful ever paints, and
 *   intensive throttling starts 5 s after hiding. The first test checks that
 *   it does.
 *
 * Wake-ups under intensive throttling fall on a fixed one-minute grid, so a
 * chain step that runs after the grace period may wait up to a minute for
 * it; the tests that need one pay that wait before they measure.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, chromium } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { CHROMIUM_ARGS, chromiumPath } from './browser.js';
import { eventsOf, expect, test as base, type HarnessEvent } from './fixtures';

/** Chromium's intensive-throttling grace period, shortened from its 5 minutes. */
const GRACE_MS = 5_000;
/** How long the page has been hidden before a measurement starts. */
const HIDDEN_MS = 6_000;
/** The 1 s alignment of every timer in a hidden page. */
const ALIGNMENT_MS = 1_000;
/** Slack for a loaded, shared machine. */
const MARGIN_MS = 1_500;
/** The nesting depth of the timer chain the app calls from. */
const DEPTH = 10;
/** How long to wait for an outcome once a measurement has started, before recording it as not seen. */
const CAP_MS = Number(process.env.BACKGROUND_CAP_MS ?? 75_000);
/** How long a chain step may wait for the first intensive wake-up after the grace period: one grid minute. */
const TRIGGER_WAIT_MS = HIDDEN_MS + 60_000 + 10_000;

const FEATURES = `--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/${GRACE_MS / 1000}`;

/**
 * Flags besides e2e/browser.js's CHROMIUM_ARGS: headless, the throttling
 * feature, a debugging port on 127.0.0.1 (Chromium binds only there), and
 * Playwright's switches against background traffic, minus the ones that
 * disable throttling (--disable-background-timer-throttling,
 * --disable-renderer-backgrounding, --disable-backgrounding-occluded-windows).
 */
const EXTRA_ARGS = [
  '--headless',
  '--mute-audio',
  '--hide-scrollbars',
  FEATURES,
  '--disable-field-trial-config',
  '--disable-features=MediaRouter,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch',
  '--disable-extensions',
  '--disable-component-extensions-with-background-pages',
  '--disable-default-apps',
  '--no-default-browser-check',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-dev-shm-usage',
  '--no-startup-window',
  '--remote-debugging-port=0',
];

/** Console errors Chromium prints for connections that fail on purpose (as in fixtures.ts). */
const EXPECTED_NETWORK_ERRORS = [/WebSocket connection to '.*' failed/, /WebSocket is closed before the connection is established/];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts Chromium with a debugging port on 127.0.0.1; `stop()` ends it and removes its profile. */
async function launchChromium(): Promise<{ wsEndpoint: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rs-background-'));
  const executable = chromiumPath() ?? chromium.executablePath();
  const proc = spawn(executable, [...CHROMIUM_ARGS, ...EXTRA_ARGS, `--user-data-dir=${dir}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = once(proc, 'exit');
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) proc.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => {});
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [port, path] = (await readFile(join(dir, 'DevToolsActivePort'), 'utf8').catch(() => '')).split('\n');
    if (port && path) return { wsEndpoint: `ws://127.0.0.1:${port}${path}`, stop };
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Chromium did not open its debugging port (exit ${proc.exitCode ?? proc.signalCode}): ${stderr}`);
    }
    await sleep(100);
  }
}

/** Polls `read` in the page (page.evaluate runs at once even in a hidden page) until it returns a value, or null after `timeout` ms. */
async function waitInPage<T, A>(page: Page, read: (arg: A) => T | null | undefined, arg: A, timeout: number): Promise<T | null> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = (await page.evaluate(read as (a: any) => unknown, arg)) as T | null | undefined;
    if (value !== null && value !== undefined) return value as T;
    if (Date.now() > deadline) return null;
    await sleep(200);
  }
}

/** The first event of `type` for `socket`, or null if none came within `timeout` ms. */
function firstEvent(page: Page, type: string, timeout: number, socket = 0): Promise<HarnessEvent | null> {
  return waitInPage(page, ([t, s]) => (window as any).eventsOf(t, s)[0] ?? null, [type, socket] as const, timeout);
}

interface Background {
  /** The harness page, loaded from the scenario server, visible until hide(). */
  page: Page;
  /** Sends the harness tab to the background and checks that the page saw it. */
  hide(): Promise<void>;
  /** Waits until the page has been hidden for `ms` (page time). */
  waitHidden(ms: number): Promise<void>;
  /** Starts an in-page timer chain now; see `deepThen` in the page. */
  startChain(): Promise<void>;
  /** Waits for the chain to have run its action; returns its depth and page times. */
  waitTrigger(): Promise<{ depth: number; hiddenMs: number; gapMs: number }>;
}

const test = base.extend<{ background: Background }>({
  background: async ({ server }, use) => {
    const chrome = await launchChromium();
    try {
      const browser = await chromium.connectOverCDP(chrome.wsEndpoint, { noDefaults: true });
      const context = browser.contexts()[0]!;
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !EXPECTED_NETWORK_ERRORS.some((re) => re.test(msg.text()))) errors.push(msg.text());
      });
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      // No contentful paint, so that the page counts as loading and gets the short grace period (see the top).
      // An adopted style sheet applies before the parser has made <html>. (Serving a modified page with
      // page.route would make it a page of unknown address space, and Local Network Access then blocks
      // its WebSockets to 127.0.0.1.)
      await page.addInitScript(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync('html { display: none !important; }');
        document.adoptedStyleSheets = [sheet];
      });
      await page.goto(`${server.origin}/e2e/pages/harness.html`);
      await page.evaluate(() => {
        const w = window as any;
        w.visibility = [];
        document.addEventListener('visibilitychange', () => w.visibility.push({ state: document.visibilityState, at: performance.now() }));
        w.hiddenFor = () => {
          const change = w.visibility.find((v: any) => v.state === 'hidden');
          return change ? performance.now() - change.at : -1;
        };
        // One step after another, each a setTimeout from the last, like an app's polling loop. The
        // first step at depth >= minDepth, in a page hidden for >= minHiddenMs, runs `action` and ends the chain.
        w.chain = { depth: 0, last: 0, trigger: null, action: null, minDepth: 0, minHiddenMs: 0 };
        w.startChain = () => {
          const step = () => {
            const c = w.chain;
            const now = performance.now();
            c.depth++;
            if (c.action && c.depth >= c.minDepth && w.hiddenFor() >= c.minHiddenMs) {
              c.trigger = { depth: c.depth, hiddenMs: w.hiddenFor(), gapMs: now - c.last };
              c.action();
              return;
            }
            c.last = now;
            setTimeout(step, 50);
          };
          setTimeout(step, 50);
        };
      });
      expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
      expect(await page.evaluate(() => performance.getEntriesByType('paint').map((e) => e.name)), 'no contentful paint').not.toContain('first-contentful-paint');

      let cover: Page | null = null;
      await use({
        page,
        async hide() {
          cover = await context.newPage();
          await expect.poll(() => page.evaluate(() => document.visibilityState), { message: 'harness hidden' }).toBe('hidden');
          expect(await page.evaluate(() => (window as any).visibility.map((v: any) => v.state))).toEqual(['hidden']);
          expect(await page.evaluate(() => document.hasFocus())).toBe(false);
          expect(await cover.evaluate(() => document.visibilityState)).toBe('visible');
        },
        async waitHidden(ms) {
          const hiddenFor = await page.evaluate(() => (window as any).hiddenFor() as number);
          expect(hiddenFor, 'hide() first').toBeGreaterThanOrEqual(0);
          if (hiddenFor < ms) await sleep(ms - hiddenFor);
        },
        async startChain() {
          await page.evaluate(() => (window as any).startChain());
          await expect.poll(() => page.evaluate(() => (window as any).chain.depth as number), { message: `chain depth ${DEPTH}` }).toBeGreaterThanOrEqual(DEPTH);
        },
        async waitTrigger() {
          const trigger = await waitInPage(page, () => (window as any).chain.trigger, null, TRIGGER_WAIT_MS);
          expect(trigger, `a chain step ran in the hidden page within ${TRIGGER_WAIT_MS} ms`).not.toBeNull();
          expect(trigger!.depth).toBeGreaterThanOrEqual(DEPTH);
          expect(trigger!.hiddenMs).toBeGreaterThanOrEqual(HIDDEN_MS);
          return trigger!;
        },
      });
      // Hidden from hide() to the end: a test that measured in a visible page would prove nothing.
      if (cover) {
        expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
        expect(await page.evaluate(() => (window as any).visibility.map((v: any) => v.state))).toEqual(['hidden']);
      }
      expect(errors, 'console errors on the page').toEqual([]);
      const cdp = await browser.newBrowserCDPSession();
      await cdp.send('Browser.close').catch(() => {});
    } finally {
      await chrome.stop();
    }
  },
});

// Hides the page in a Chromium of its own, driven over CDP (Emulation, Page.setWebLifecycleState):
// Playwright has no way to hide a Firefox page. Chromium's throttling of hidden pages is the harshest.
test.skip(({ browserName }) => browserName !== 'chromium', 'hides the page in its own Chromium over CDP, which Firefox lacks');

/** Records a measurement, or that none came within the cap. */
function record(type: string, ms: number | null) {
  test.info().annotations.push({ type, description: ms === null ? `none within ${CAP_MS} ms` : ms.toFixed(0) });
}

test('harness: the page is hidden, and chained timers are intensively throttled after the grace period', async ({ background }) => {
  test.setTimeout(60_000);
  const { page } = background;
  await background.hide();
  await background.waitHidden(HIDDEN_MS);
  // From a plain task: a 12-deep chain of setTimeout(0), and a plain 100 ms timer.
  await page.evaluate(() => {
    const w = window as any;
    w.sanity = { hops: 0, plain: null };
    const start = performance.now();
    setTimeout(() => (w.sanity.plain = performance.now() - start), 100);
    const hop = () => {
      if (++w.sanity.hops < 12) setTimeout(hop, 0);
    };
    setTimeout(hop, 0);
  });
  await sleep(8_000);
  const sanity = await page.evaluate(() => (window as any).sanity);
  test.info().annotations.push({ type: 'hops of a 12-deep setTimeout(0) chain done after 8 s', description: String(sanity.hops) });
  record('plain setTimeout(100) fired after ms', sanity.plain);
  // Visible, the chain takes a few ms; hidden but not intensively throttled, a second a hop. Intensively
  // throttled, the low-nesting hops run at once and the others wait for one wake-up a minute.
  expect(sanity.hops).toBeGreaterThanOrEqual(5);
  expect(sanity.hops).toBeLessThan(12);
  // A plain timer is only aligned to the second.
  expect(sanity.plain).toBeGreaterThanOrEqual(100);
  expect(sanity.plain).toBeLessThan(100 + ALIGNMENT_MS + MARGIN_MS);
});

const CLOSE_TIMEOUT = 1000;
const CLOSE_BOUND = CLOSE_TIMEOUT + ALIGNMENT_MS + MARGIN_MS;

test('hidden page: close() from the end of a timer chain settles within closeTimeout + 1 s, as a timeout', async ({ background, server }) => {
  test.setTimeout(TRIGGER_WAIT_MS + CAP_MS + 40_000);
  const { page } = background;
  await page.evaluate(([u, t]) => (window as any).make(u, { closeTimeout: t }), [server.url('never-reads'), CLOSE_TIMEOUT] as const);
  const hello = await firstEvent(page, 'message', 10_000);
  expect(hello?.data.data).toBe('hello');

  await background.startChain();
  await page.evaluate(([d, h]) => {
    const w = window as any;
    Object.assign(w.chain, { minDepth: d, minHiddenMs: h });
    w.chain.action = () => {
      const calledAt = performance.now();
      w.outcome = null;
      w.sockets[0].close().then(
        (info: unknown) => (w.outcome = { info, ms: performance.now() - calledAt }),
        (error: unknown) => (w.outcome = { error: String(error), ms: performance.now() - calledAt }),
      );
    };
  }, [DEPTH, HIDDEN_MS] as const);
  await background.hide();
  const trigger = await background.waitTrigger();
  test.info().annotations.push({ type: 'close() called at chain depth / hidden ms', description: `${trigger.depth} / ${trigger.hiddenMs.toFixed(0)}` });

  const outcome = await waitInPage(page, () => (window as any).outcome, null, CAP_MS);
  record('close() to settled ms (chain)', outcome?.ms ?? null);
  expect(outcome, `close() settled within ${CAP_MS} ms`).not.toBeNull();
  expect(outcome!.error).toBeUndefined();
  expect(outcome!.info).toMatchObject({ kind: 'timeout', code: 1006, wasClean: false, initiator: 'client', cause: 'user' });
  expect(outcome!.ms).toBeGreaterThanOrEqual(CLOSE_TIMEOUT - 5);
  expect(outcome!.ms).toBeLessThan(CLOSE_BOUND);
});

test('hidden page: close() from a plain task settles within closeTimeout + 1 s, as a timeout', async ({ background, server }) => {
  test.setTimeout(CAP_MS + 40_000);
  const { page } = background;
  await page.evaluate(([u, t]) => (window as any).make(u, { closeTimeout: t }), [server.url('never-reads'), CLOSE_TIMEOUT] as const);
  const hello = await firstEvent(page, 'message', 10_000);
  expect(hello?.data.data).toBe('hello');
  await background.hide();
  await background.waitHidden(HIDDEN_MS);

  // Inside a MessageChannel `message` event: a task of its own, no timer nesting.
  await page.evaluate(() => {
    const w = window as any;
    w.outcome = null;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const calledAt = performance.now();
      w.sockets[0].close().then(
        (info: unknown) => (w.outcome = { info, ms: performance.now() - calledAt }),
        (error: unknown) => (w.outcome = { error: String(error), ms: performance.now() - calledAt }),
      );
      channel.port1.close();
    };
    channel.port2.postMessage('close');
  });
  const outcome = await waitInPage(page, () => (window as any).outcome, null, CAP_MS);
  record('close() to settled ms (plain task)', outcome?.ms ?? null);
  expect(outcome, `close() settled within ${CAP_MS} ms`).not.toBeNull();
  expect(outcome!.error).toBeUndefined();
  expect(outcome!.info).toMatchObject({ kind: 'timeout', code: 1006, wasClean: false, initiator: 'client', cause: 'user' });
  expect(outcome!.ms).toBeGreaterThanOrEqual(CLOSE_TIMEOUT - 5);
  expect(outcome!.ms).toBeLessThan(CLOSE_BOUND);
});

test('hidden page: a socket made at the end of a timer chain reports connect-timeout within connectTimeout + 1 s', async ({ background }) => {
  test.setTimeout(TRIGGER_WAIT_MS + CAP_MS + 40_000);
  const connectTimeout = 1000;
  const { page } = background;
  // Accepts TCP and never answers the upgrade.
  const held = new Set<Socket>();
  const accepted: number[] = [];
  const hold = createServer((socket) => {
    accepted.push(Date.now());
    held.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve) => hold.listen(0, '127.0.0.1', resolve));
  try {
    const address = hold.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hold`;
    await background.startChain();
    await page.evaluate(([u, d, h, t]) => {
      const w = window as any;
      Object.assign(w.chain, { minDepth: d, minHiddenMs: h });
      w.chain.action = () => {
        w.madeAt = performance.now();
        w.make(u, { connectTimeout: t, maxRetries: 0 });
      };
    }, [url, DEPTH, HIDDEN_MS, connectTimeout] as const);
    await background.hide();
    const trigger = await background.waitTrigger();
    test.info().annotations.push({ type: 'socket made at chain depth / hidden ms', description: `${trigger.depth} / ${trigger.hiddenMs.toFixed(0)}` });
    const madeAt = await page.evaluate(() => (window as any).madeAt as number);
    const madeAtWall = await page.evaluate((at) => performance.timeOrigin + at, madeAt);

    const error = await firstEvent(page, 'error', CAP_MS);
    const elapsed = error ? error.at - madeAt : null;
    record('construction to connect-timeout error ms (chain)', elapsed);
    record('construction to TCP connect ms', accepted[0] === undefined ? null : accepted[0] - madeAtWall);
    expect(error, `an error within ${CAP_MS} ms`).not.toBeNull();
    expect(error!.data.code).toBe('connect-timeout');
    expect(elapsed!).toBeGreaterThanOrEqual(connectTimeout - 5);
    expect(elapsed!).toBeLessThan(connectTimeout + ALIGNMENT_MS + MARGIN_MS);
    expect(accepted).toHaveLength(1);
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => hold.close(() => resolve()));
  }
});

const HEARTBEAT = { interval: 500, timeout: 400 };
const HEARTBEAT_BOUND = HEARTBEAT.interval + HEARTBEAT.timeout + ALIGNMENT_MS + MARGIN_MS;

test('hidden page: the heartbeat declares a silent peer dead within interval + timeout + 1 s of open', async ({ background, server }) => {
  test.setTimeout(CAP_MS + 40_000);
  const { page } = background;
  await background.hide();
  await background.waitHidden(HIDDEN_MS);
  await page.evaluate(([u, hb]) => (window as any).make(u, { heartbeat: hb, maxRetries: 0 }), [server.url('silent'), HEARTBEAT] as const);
  const open = await firstEvent(page, 'open', 10_000);
  expect(open, 'open').not.toBeNull();
  const close = await firstEvent(page, 'close', CAP_MS);
  const detection = close ? close.at - open!.at : null;
  record('open to heartbeat close ms (silent)', detection);
  expect(close, `a close within ${CAP_MS} ms`).not.toBeNull();
  expect(close!.data).toMatchObject({ cause: 'heartbeat', kind: 'abnormal', initiator: 'client', code: 1006, wasClean: false });
  expect(detection!).toBeGreaterThanOrEqual(HEARTBEAT.interval + HEARTBEAT.timeout - 5);
  expect(detection!).toBeLessThan(HEARTBEAT_BOUND);
});

test('hidden page: after pongs have flowed for a while, the heartbeat declares a peer that falls silent dead within interval + timeout + 1 s', async ({ background }) => {
  test.setTimeout(CAP_MS + 60_000);
  const { page } = background;
  // Answers `ping` with `pong` until it falls silent; the connection stays up.
  let silent = false;
  let pongs = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.on('message', (data) => {
      if (!silent && data.toString() === 'ping') (pongs++, ws.send('pong'));
    });
  });
  try {
    const address = wss.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    await page.evaluate(([u, hb]) => (window as any).make(u, { heartbeat: hb, maxRetries: 0 }), [url, HEARTBEAT] as const);
    expect(await firstEvent(page, 'open', 10_000), 'open').not.toBeNull();
    // Each ping and pong is two more steps of the heartbeat's own timer chain.
    await expect.poll(() => pongs, { message: '6 pongs' }).toBeGreaterThanOrEqual(6);
    await background.hide();
    await background.waitHidden(HIDDEN_MS);
    expect(await eventsOf(page, 'close')).toHaveLength(0);
    const pongsBefore = pongs;
    silent = true;
    const silentAt = Date.now();

    const close = await firstEvent(page, 'close', CAP_MS);
    const detection = close ? (await page.evaluate((at) => performance.timeOrigin + at, close.at)) - silentAt : null;
    record('pongs before silence', pongsBefore);
    record('silence to heartbeat close ms', detection);
    expect(close, `a close within ${CAP_MS} ms`).not.toBeNull();
    expect(close!.data).toMatchObject({ cause: 'heartbeat', code: 1006, wasClean: false });
    expect(detection!).toBeLessThan(HEARTBEAT_BOUND);
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
});
