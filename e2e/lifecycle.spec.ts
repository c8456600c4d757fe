/**
 * Page and network lifecycle for real, not with synthetic events (those are
 * in resilience.spec.ts): a back/forward-cache round trip in Chromium with
 * the cache switched on, and the network cut with context.setOffline() many
 * times, some of them while a connection attempt is under way.
 *
 * Playwright launches Chromium with --disable-back-forward-cache, so the
 * bfcache tests launch their own browser without that flag. They also start
 * their own scenario server: the shared one sends `Cache-Control: no-store`
 * on every page, and Chromium will not cache a no-store page that has ever
 * used a WebSocket (reason WebSocketUsedWithCCNS; see the second test).
 */
import { createServer } from 'node:http';
import { type Browser, type BrowserContext, type CDPSession, type Page, chromium } from '@playwright/test';
import { launchOptions } from './browser.js';
import { type ScenarioRouter, type ScenarioServer, createScenarioRouter, startScenarioServer } from './servers/scenarios.js';
import { ROOT, eventsOf, expect, test, waitForEvents } from './fixtures';

/** Console errors Chromium prints for connections that fail or are cut; the same list as in fixtures.ts. */
const EXPECTED_NETWORK_ERRORS = [/WebSocket connection to '.*' failed/, /WebSocket is closed before the connection is established/];

interface Transition {
  type: string;
  persisted: boolean;
  path: string;
  at: number;
}

/**
 * Runs in every document of the context before its own scripts: records
 * pagehide/pageshow with `persisted` in a window array (which survives only
 * if the very same document comes back) and in sessionStorage (which
 * survives either way, so a reload is told apart from a restore).
 */
function recordTransitions() {
  const w = window as any;
  w.transitions = [];
  for (const type of ['pagehide', 'pageshow']) {
    window.addEventListener(type, (e) => {
      const entry = { type, persisted: (e as PageTransitionEvent).persisted, path: location.pathname, at: performance.now() };
      w.transitions.push(entry);
      const log = JSON.parse(sessionStorage.getItem('transitions') ?? '[]');
      log.push(entry);
      sessionStorage.setItem('transitions', JSON.stringify(log));
    });
  }
}

interface Bfcache {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  cdp: CDPSession | null;
  /** Page.backForwardCacheNotUsed events: the reasons Chromium gives for not caching or not restoring. */
  notUsed: Array<{ type: string; reason: string }[]>;
  /** Page.frameNavigated types of the main frame: `Navigation` or `BackForwardCacheRestore`. */
  navigations: string[];
  consoleErrors: string[];
  networkErrors: string[];
}

/**
 * A Chromium with the back/forward cache on, a page with the recorder, and
 * (unless `cdp` is false) a CDP session listening for cache verdicts.
 *
 * That second CDP session changes what context.setOffline() does to a page
 * restored from the cache: the restored page says navigator.onLine === true
 * and gets a trailing `online` event, while its connections still fail with
 * ERR_INTERNET_DISCONNECTED. Offline tests therefore go without it.
 */
async function openBfcacheBrowser({ cdp = true } = {}): Promise<Bfcache> {
  const browser = await chromium.launch({ ...launchOptions(), ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  const context = await browser.newContext();
  await context.addInitScript(recordTransitions);
  const page = await context.newPage();
  const result: Bfcache = { browser, context, page, cdp: null, notUsed: [], navigations: [], consoleErrors: [], networkErrors: [] };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    (EXPECTED_NETWORK_ERRORS.some((re) => re.test(msg.text())) ? result.networkErrors : result.consoleErrors).push(msg.text());
  });
  page.on('pageerror', (error) => result.consoleErrors.push(`pageerror: ${error.message}`));
  if (!cdp) return result;
  const session = (result.cdp = await context.newCDPSession(page));
  await session.send('Page.enable');
  session.on('Page.backForwardCacheNotUsed', (e) => result.notUsed.push(e.notRestoredExplanations.map(({ type, reason }) => ({ type, reason }))));
  session.on('Page.frameNavigated', (e) => {
    if (!e.frame.parentId) result.navigations.push(e.type);
  });
  return result;
}

/**
 * Page A (the harness) with one socket to /echo, open and echoing; then to
 * page B on the same origin (where `onB` runs) and back. Returns whether the
 * same document came back, the pagehide/pageshow log, and how soon the server
 * saw page A's connection end while on page B (null: not within a second).
 */
async function roundTrip(b: Bfcache, server: ScenarioServer, options: Record<string, unknown> = {}, onB?: () => Promise<void>) {
  const { page } = b;
  await page.goto(`${server.origin}/e2e/pages/harness.html`);
  await page.evaluate(([u, o]) => (window as any).make(u, o), [server.url('echo'), options] as const);
  await waitForEvents(page, 'open');
  await page.evaluate(() => (window as any).sockets[0].send('before'));
  await waitForEvents(page, 'message');
  // Page state that only the same document, restored from the cache, can still have.
  const marker = await page.evaluate(() => ((window as any).marker = crypto.randomUUID()));
  expect(server.router.live('echo')).toBe(1);

  await page.goto(`${server.origin}/e2e/pages/lifecycle-b.html`);
  // On page B, for up to a second: does the server see page A's connection end, and how soon?
  const onBAt = Date.now();
  while (server.router.live('echo') > 0 && Date.now() - onBAt < 1000) await new Promise((resolve) => setTimeout(resolve, 10));
  const liveOnB = server.router.live('echo');
  const serverClosedMs = liveOnB === 0 ? Date.now() - onBAt : null;
  await onB?.();

  // A page restored from the cache fires no load event: wait for the commit, then for its pageshow.
  await page.goBack({ waitUntil: 'commit' });
  await expect
    .poll(() => page.evaluate(() => JSON.parse(sessionStorage.getItem('transitions') ?? '[]').filter((t: Transition) => t.type === 'pageshow' && t.path.endsWith('/harness.html')).length))
    .toBe(2);
  const sameDocument = await page.evaluate((m) => (window as any).marker === m, marker);
  const transitions: Transition[] = await page.evaluate(() => JSON.parse(sessionStorage.getItem('transitions') ?? '[]'));
  return { sameDocument, transitions, liveOnB, serverClosedMs };
}

test.describe('back/forward cache, for real', () => {
  test.skip(({ browserName }) => browserName !== 'chromium', 'launches its own Chromium with the cache switched on and reads its verdicts over CDP; Firefox has its own test below (it does not cache such a page)');
  // Each test launches a browser of its own, which takes a while on a busy machine.
  test.describe.configure({ timeout: 60_000 });
  let b: Bfcache | undefined;
  let server: ScenarioServer | undefined;
  test.afterEach(async () => {
    await b?.browser.close();
    await server?.stop();
    b = server = undefined;
  });

  test('the page is restored from the cache: closed on pagehide, reopened on pageshow, and messages flow', async () => {
    // As the shared server, but HTML pages are `no-cache` instead of `no-store`.
    server = await startScenarioServer({ root: ROOT, headers: { 'cache-control': 'no-cache' } });
    b = await openBfcacheBrowser();
    const { page } = b;
    const { sameDocument, transitions, liveOnB, serverClosedMs } = await roundTrip(b, server);

    test.info().annotations.push(
      { type: 'bfcache navigations (main frame)', description: b.navigations.join(', ') },
      { type: 'bfcache not-used reasons', description: JSON.stringify(b.notUsed) },
      { type: 'page B loaded → server sees page A\'s connection gone, ms', description: String(serverClosedMs) },
    );
    // The SDK's Close reached the server before page B had loaded, or just after.
    expect(liveOnB, 'server-side connections while on page B').toBe(0);
    // Restored, not reloaded: Chromium says so, the same document is back, and pageshow says persisted.
    expect(b.notUsed, 'Page.backForwardCacheNotUsed reasons').toEqual([]);
    expect(b.navigations.at(-1)).toBe('BackForwardCacheRestore');
    expect(sameDocument, 'window state from before the navigation').toBe(true);
    const onA = transitions.filter((t) => t.path.endsWith('/harness.html'));
    expect(onA.map((t) => [t.type, t.persisted])).toEqual([
      ['pageshow', false],
      ['pagehide', true],
      ['pageshow', true],
    ]);

    // The SDK closed on pagehide, with 1000 and cause pagehide, and waited, offline.
    const closes = await eventsOf(page, 'close');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.data).toMatchObject({ cause: 'pagehide', initiator: 'client', willReconnect: true, nextDelayMs: null });
    const pagehideAt = onA[1]!.at;
    const pageshowAt = onA[2]!.at;
    expect(closes[0]!.at).toBeGreaterThanOrEqual(pagehideAt);
    expect(closes[0]!.at).toBeLessThan(pageshowAt);

    // It reconnected after pageshow, at once (no backoff), and messages flow again.
    const opens = await waitForEvents(page, 'open', 2);
    expect(opens[1]!.at).toBeGreaterThan(pageshowAt);
    expect(opens[1]!.data.retries).toBe(0);
    test.info().annotations.push({ type: 'pageshow → second open, ms (page clock)', description: (opens[1]!.at - pageshowAt).toFixed(0) });
    const states = (await eventsOf(page, 'state')).map((e) => e.data.state);
    expect(states).toEqual(['open', 'offline', 'connecting', 'open']);
    await page.evaluate(() => (window as any).sockets[0].send('after restore'));
    const messages = await waitForEvents(page, 'message', 2);
    expect(messages.map((m) => m.data.data)).toEqual(['before', 'after restore']);
    expect(server.router.received('echo')).toEqual(['before', 'after restore']);

    // The page sent 1000 and the Close echo came back (the late trace), before or after the freeze.
    await expect.poll(async () => (await eventsOf(page, 'trace')).length).toBeGreaterThanOrEqual(2);
    const [first, late] = await eventsOf(page, 'trace');
    expect(first!.data.cause).toBe('pagehide');
    expect(late!.data.nativeCode).toBe(1000);
    test.info().annotations.push({
      type: 'late trace (Close echo) arrived',
      description: `${late!.at < pageshowAt ? 'before' : 'after'} pageshow, ${(late!.at - pagehideAt).toFixed(0)} ms after pagehide (page clock)`,
    });

    // Server side: two connections in all, one live.
    expect(server.router.accepted('echo')).toBe(2);
    expect(server.router.live('echo')).toBe(1);
    await page.evaluate(() => (window as any).sockets[0].close());
    await expect.poll(() => server!.router.live('echo')).toBe(0);
    expect(await page.evaluate(() => (window as any).sockets[0].state)).toBe('closed');
    expect(b.consoleErrors, 'console errors').toEqual([]);
    expect(b.networkErrors, 'network console errors').toEqual([]);
  });

  test('with the shared server\'s Cache-Control: no-store, Chromium does not cache a page that used a WebSocket', async () => {
    // What the `server` fixture serves: every page no-store.
    server = await startScenarioServer({ root: ROOT });
    b = await openBfcacheBrowser();
    const { sameDocument, transitions, liveOnB } = await roundTrip(b, server);
    const reasons = b.notUsed.flat().map((r) => `${r.type}:${r.reason}`);
    test.info().annotations.push(
      { type: 'bfcache navigations (main frame)', description: b.navigations.join(', ') },
      { type: 'bfcache not-used reasons', description: reasons.join(', ') },
    );
    // The verdict is about the page having used a WebSocket at all (a socket closed before leaving counts too),
    // and Chromium reaches it before pagehide.
    expect(reasons).toContain('Circumstantial:WebSocketUsedWithCCNS');
    expect(reasons).toContain('Circumstantial:MainResourceHasCacheControlNoStore');
    expect(b.navigations.at(-1)).toBe('Navigation');
    expect(sameDocument).toBe(false);
    // Chromium knew before pagehide: it said persisted: false, so the SDK left the socket to the unload; the page was then loaded afresh.
    expect(transitions.filter((t) => t.path.endsWith('/harness.html')).map((t) => [t.type, t.persisted])).toEqual([
      ['pageshow', false],
      ['pagehide', false],
      ['pageshow', false],
    ]);
    expect(liveOnB).toBe(0);
    expect(server.router.accepted('echo')).toBe(1);
    expect(server.router.live('echo')).toBe(0);
    expect(b.consoleErrors, 'console errors').toEqual([]);
  });

  test('restored while offline: the SDK stays offline, spends no retry, and reconnects at once when online', async () => {
    server = await startScenarioServer({ root: ROOT, headers: { 'cache-control': 'no-cache' } });
    b = await openBfcacheBrowser({ cdp: false });
    const { page, context } = b;
    await context.addInitScript(() => {
      const w = window as any;
      w.net = [];
      for (const type of ['offline', 'online']) window.addEventListener(type, () => w.net.push({ type, onLine: navigator.onLine, at: performance.now() }));
    });
    // A long backoff: a reconnect that waited for it would show.
    const { sameDocument } = await roundTrip(b, server, { minReconnectDelay: 10_000, jitter: 'none' }, () => context.setOffline(true));
    // Restored (no CDP session here, so the same document and pageshow's persisted are the evidence).
    expect(sameDocument).toBe(true);
    expect((await page.evaluate(() => (window as any).transitions.at(-1))).persisted).toBe(true);
    // Restored from the cache with no network: give the SDK a second to do anything it would do.
    await page.waitForTimeout(1000);
    const net: Array<{ type: string; onLine: boolean; at: number }> = await page.evaluate(() => (window as any).net);
    const pageshowAt = (await page.evaluate(() => (window as any).transitions.at(-1).at)) as number;
    const afterRestore = net.filter((e) => e.at >= pageshowAt);
    test.info().annotations.push(
      { type: 'window events after the restore while offline (navigator.onLine)', description: afterRestore.map((e) => `${e.type}(${e.onLine})`).join(', ') },
      { type: 'SDK states after the restore while offline', description: (await eventsOf(page, 'state')).filter((e) => e.at >= pageshowAt).map((e) => e.data.state).join(' → ') },
    );
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => (window as any).sockets[0].state)).toBe('offline');
    // Chromium fires pageshow, then offline/online/offline while navigator.onLine stays false: never `connecting` meanwhile.
    expect((await eventsOf(page, 'state')).filter((e) => e.at >= pageshowAt).map((e) => e.data.state)).not.toContain('connecting');
    // No attempt was made while offline: no open, no failure, no retry spent.
    expect(await eventsOf(page, 'open')).toHaveLength(1);
    expect((await eventsOf(page, 'close')).map((c) => c.data.cause)).toEqual(['pagehide']);
    expect(await eventsOf(page, 'reconnect')).toEqual([]);
    expect(await eventsOf(page, 'error')).toEqual([]);
    expect(b.networkErrors).toEqual([]);
    expect(server.router.accepted('echo')).toBe(1);

    await context.setOffline(false);
    const opens = await waitForEvents(page, 'open', 2, 0, 5000);
    const onlineAt = (await page.evaluate(() => (window as any).net.filter((e: { type: string; onLine: boolean }) => e.type === 'online' && e.onLine).at(-1).at)) as number;
    test.info().annotations.push({ type: 'online → second open, ms (page clock)', description: (opens[1]!.at - onlineAt).toFixed(0) });
    expect(opens[1]!.at).toBeGreaterThan(onlineAt);
    expect(opens[1]!.at - onlineAt).toBeLessThan(2000);
    expect(opens[1]!.data.retries).toBe(0);
    await page.evaluate(() => (window as any).sockets[0].send('back online'));
    await expect.poll(async () => (await eventsOf(page, 'message')).map((m) => m.data.data)).toEqual(['before', 'back online']);
    expect(server.router.accepted('echo')).toBe(2);
    expect(server.router.live('echo')).toBe(1);
    await page.evaluate(() => (window as any).sockets[0].close());
    expect(b.consoleErrors, 'console errors').toEqual([]);
    expect(b.networkErrors, 'network console errors').toEqual([]);
  });

  test('control: without handlePageLifecycle, Chromium caches the page anyway; the server keeps the connection until the restore fails it', async () => {
    server = await startScenarioServer({ root: ROOT, headers: { 'cache-control': 'no-cache' } });
    b = await openBfcacheBrowser();
    const { page } = b;
    const { sameDocument, liveOnB } = await roundTrip(b, server, { handlePageLifecycle: false, minReconnectDelay: 50, maxReconnectDelay: 100 });
    test.info().annotations.push(
      { type: 'bfcache navigations (main frame)', description: b.navigations.join(', ') },
      { type: 'server-side connections 1 s into page B', description: String(liveOnB) },
      { type: 'network console errors', description: b.networkErrors.join(' | ') },
    );
    expect(b.notUsed).toEqual([]);
    expect(sameDocument).toBe(true);
    // The cached page's connection stays up on the server for as long as the page is in the cache.
    expect(liveOnB).toBe(1);
    expect(b.networkErrors.some((e) => e.includes('Page entered Back-Forward Cache'))).toBe(true);
    // The SDK learns of it only after the restore, as a network failure, and reconnects by backoff.
    const [close] = await waitForEvents(page, 'close');
    expect(close!.data).toMatchObject({ cause: 'network', code: 1006, wasClean: false, willReconnect: true });
    await waitForEvents(page, 'open', 2);
    expect(server.router.accepted('echo')).toBe(2);
    expect(server.router.live('echo')).toBe(1);
    await page.evaluate(() => (window as any).sockets[0].close());
    expect(b.consoleErrors, 'console errors').toEqual([]);
  });
});

/**
 * The scenario router behind an HTTP server on 127.0.0.1, port 0, that holds
 * every upgrade request for `delayMs` first: a connection attempt that lasts
 * long enough for an offline toggle to land in the middle of it.
 */
async function startSlowHandshakeServer(delayMs: number) {
  const router: ScenarioRouter = createScenarioRouter();
  const http = createServer((_req, res) => res.writeHead(426).end());
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    setTimeout(() => {
      // A client that gave up during the delay: nothing to hand over (the router would count it live forever).
      if (socket.destroyed) return;
      if (!router.handleUpgrade(req, socket, head)) socket.destroy();
    }, delayMs);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as import('node:net').AddressInfo;
  return {
    router,
    url: (scenario: string) => `ws://127.0.0.1:${port}/${scenario}`,
    async stop() {
      router.closeAll();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

test('Firefox: a page with an open WebSocket is not put in the back/forward cache; back, it loads anew and the SDK connects afresh', async ({ browserName, context }) => {
  test.skip(browserName !== 'firefox', 'Chromium caches such a page: see "back/forward cache, for real" above');
  // As the shared server, but HTML pages are `no-cache` instead of `no-store`, which would keep any page out.
  const server = await startScenarioServer({ root: ROOT, headers: { 'cache-control': 'no-cache' } });
  try {
    await context.addInitScript(recordTransitions);
    const page = await context.newPage();
    const b: Bfcache = { browser: context.browser()!, context, page, cdp: null, notUsed: [], navigations: [], consoleErrors: [], networkErrors: [] };
    const { sameDocument, transitions, liveOnB } = await roundTrip(b, server);
    // Not cached: a new document, and pagehide said so.
    expect(sameDocument).toBe(false);
    expect(transitions.filter((t) => t.path.endsWith('/harness.html')).map((t) => [t.type, t.persisted])).toEqual([
      ['pageshow', false],
      ['pagehide', false],
      ['pageshow', false],
    ]);
    // The unload ended page A's connection before page B was done; the new document has its own.
    expect(liveOnB).toBe(0);
    await page.evaluate((u) => (window as any).make(u), server.url('echo'));
    await waitForEvents(page, 'open');
    expect(server.router.accepted('echo')).toBe(2);
    await page.evaluate(() => (window as any).sockets[0].close());
  } finally {
    await server.stop();
  }
});

test('setOffline toggled 5 times, some during a connection attempt: ends open with one live connection, states consistent', async ({ harness, server, context }) => {
  // The SDK's socket goes to a server whose handshakes take 250 ms, so that offline can land mid-attempt.
  const handshakeMs = 250;
  const slow = await startSlowHandshakeServer(handshakeMs);
  test.info().annotations.push({ type: 'handshake delay, ms', description: String(handshakeMs) });
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    const networkErrors: string[] = [];
    harness.on('console', (msg) => {
      if (msg.type() === 'error' && EXPECTED_NETWORK_ERRORS.some((re) => re.test(msg.text()))) networkErrors.push(msg.text());
    });
    // A plain WebSocket on another path, to see what Chromium itself does to an open connection.
    await harness.evaluate((probeUrl) => {
      const w = window as any;
      w.net = [];
      for (const type of ['offline', 'online']) window.addEventListener(type, () => w.net.push({ type, onLine: navigator.onLine, at: performance.now() }));
      w.probe = new WebSocket(probeUrl);
      for (const type of ['open', 'close', 'error', 'message']) {
        w.probe.addEventListener(type, (e: any) => w.net.push({ type: `probe-${type}`, code: e.code, data: e.data, at: performance.now() }));
      }
    }, server.url('heartbeat'));
    await harness.evaluate((u) => (window as any).make(u), slow.url('echo'));
    await waitForEvents(harness, 'open');
    await expect.poll(() => harness.evaluate(() => (window as any).probe.readyState)).toBe(1);

    // Offline / online durations in ms; online times under the handshake delay go offline again mid-attempt.
    const cycles: Array<[number, number]> = [
      [300, 0],
      [300, 500],
      [300, 60],
      [300, 700],
      [300, 300],
    ];
    // Sampled every 5 ms from here to the end: the most server-side /echo connections at any one time.
    let maxLive = 0;
    sampler = setInterval(() => (maxLive = Math.max(maxLive, slow.router.live('echo'))), 5);
    let probeLiveOffline = -1;
    let probeReceivedOffline = -1;
    // Server-side /echo connections at the end of each offline period.
    const echoLiveOffline: number[] = [];
    for (const [i, [offlineMs, onlineMs]] of cycles.entries()) {
      await context.setOffline(true);
      if (i === 0) await harness.evaluate(() => (window as any).probe.send('sent while offline'));
      await harness.waitForTimeout(offlineMs);
      echoLiveOffline.push(slow.router.live('echo'));
      if (i === 0) {
        probeLiveOffline = server.router.live('heartbeat');
        probeReceivedOffline = server.router.received('heartbeat').length;
      }
      await context.setOffline(false);
      if (onlineMs) await harness.waitForTimeout(onlineMs);
    }
    await expect.poll(() => harness.evaluate(() => (window as any).sockets[0].state), { timeout: 10_000 }).toBe('open');
    // Settled: nothing more happens.
    await harness.waitForTimeout(500);
    expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('open');
    expect(slow.router.live('echo')).toBe(1);
    clearInterval(sampler);
    test.info().annotations.push({ type: 'most server-side /echo connections at once (5 ms sampling)', description: String(maxLive) });
    expect(maxLive, 'server-side connections at once').toBe(1);
    await harness.evaluate(() => (window as any).sockets[0].send('after flapping'));
    await expect.poll(async () => (await eventsOf(harness, 'message')).map((m) => m.data.data)).toEqual(['after flapping']);

    const net: Array<{ type: string; at: number; onLine?: boolean; code?: number; data?: string }> = await harness.evaluate(() => (window as any).net);
    const states = await eventsOf(harness, 'state');
    const opens = await eventsOf(harness, 'open');
    const closes = await eventsOf(harness, 'close');

    // Chromium fires offline/online for every setOffline, with navigator.onLine matching.
    const windowEvents = net.filter((e) => e.type === 'offline' || e.type === 'online');
    expect(windowEvents.map((e) => `${e.type}:${e.onLine}`)).toEqual(cycles.flatMap(() => ['offline:false', 'online:true']));

    // States chain: each state's previous is the one before it.
    let previous = 'connecting';
    for (const s of states) {
      expect(s.data.previous, `state ${s.data.state} at ${s.at.toFixed(0)}`).toBe(previous);
      previous = s.data.state;
    }
    // Offline windows, by the page's own events: no open, no open state, and the SDK is offline at each online.
    const windows = cycles.map((_, i) => ({ from: windowEvents[2 * i]!.at, to: windowEvents[2 * i + 1]!.at }));
    // The state just before time t (the page's own listener runs before the SDK's, so a tie is the SDK's reaction).
    const stateAt = (t: number) => states.filter((s) => s.at < t).at(-1)?.data.state ?? 'connecting';
    const hitConnecting = windows.filter((w) => stateAt(w.from) === 'connecting').length;
    for (const w of windows) {
      expect(opens.filter((o) => o.at > w.from && o.at < w.to), 'open events while offline').toEqual([]);
      expect(states.filter((s) => s.at > w.from && s.at < w.to && s.data.state !== 'offline'), 'states while offline').toEqual([]);
      expect(stateAt(w.to), 'state when online fires').toBe('offline');
    }
    // Every close while offline is the SDK's own, for the offline cause; none spends a retry.
    expect(closes.map((c) => c.data.cause)).toEqual(closes.map(() => 'offline'));
    expect(closes.every((c) => c.data.willReconnect && c.data.nextDelayMs === null)).toBe(true);
    expect(await eventsOf(harness, 'reconnect')).toEqual([]);
    expect(opens.every((o) => o.data.retries === 0)).toBe(true);

    const probe = net.filter((e) => e.type.startsWith('probe-'));
    const lateTraces = (await eventsOf(harness, 'trace')).filter((t) => t.data.nativeCode !== null && t.data.nativeCode !== undefined);
    test.info().annotations.push(
      { type: 'offline cycles that began while the SDK was connecting', description: `${hitConnecting} of ${cycles.length}` },
      { type: 'SDK opens / closes / server accepted', description: `${opens.length} / ${closes.length} / ${slow.router.accepted('echo')}` },
      { type: 'state sequence', description: states.map((s) => s.data.state).join(' → ') },
      { type: 'close kinds', description: closes.map((c) => `${c.data.kind}/${c.data.code}`).join(', ') },
      { type: 'plain WebSocket probe: server-side live while offline', description: String(probeLiveOffline) },
      { type: 'plain WebSocket probe: events', description: probe.map((e) => `${e.type}${e.code ? ` ${e.code}` : ''}${e.data ? ` ${e.data}` : ''}`).join(', ') },
      { type: 'plain WebSocket probe: messages the server had received 300 ms after a send while offline', description: String(probeReceivedOffline) },
      { type: 'server-side /echo connections at the end of each offline period', description: echoLiveOffline.join(', ') },
      { type: 'traces with a native close code (late Close echoes)', description: lateTraces.map((t) => t.data.nativeCode).join(', ') },
      { type: 'expected network console errors', description: `${networkErrors.length}: ${[...new Set(networkErrors.map((e) => e.replace(/ws:\/\/[^']*/, 'ws://…')))].join(' | ')}` },
    );
    // At least one offline cut a connection attempt short (the 0 ms online periods are there for that).
    expect(hitConnecting).toBeGreaterThanOrEqual(1);
    // Chromium does not cut an open WebSocket on setOffline: the probe stayed open, and its frames were
    // held while offline and delivered once online.
    expect(probe.some((e) => e.type === 'probe-close')).toBe(false);
    expect(probeLiveOffline).toBe(1);
    expect(server.router.received('heartbeat')).toEqual(['sent while offline']);
    await harness.evaluate(() => {
      (window as any).probe.close();
      return (window as any).sockets[0].close();
    });
    await expect.poll(() => server.router.live() + slow.router.live()).toBe(0);
    // Nothing left over; the harness fixture then checks the console for unexpected errors.
    expect(await harness.evaluate(() => (window as any).pendingTimers.size)).toBe(0);
  } finally {
    clearInterval(sampler);
    await slow.stop();
  }
});
