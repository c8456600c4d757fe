/**
 * The reporting entries, built (dist/beacon.js, sentry.js, opentelemetry.js,
 * datadog.js) and bundled with the vendors' real browser SDKs as an app
 * would, against a local collector on 127.0.0.1 that stands in for each
 * vendor's intake: Sentry's envelope endpoint (its DSN points there),
 * Datadog's intake (its `proxy` option), and the beacon's endpoint.
 * OpenTelemetry's spans are read from its in-memory exporter in the page.
 */
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { engineOf } from './engines';
import { ROOT, watchPage } from './fixtures';
import { browserBundle } from './servers/bundle.js';
import { startCollector } from './servers/collector.js';
import { type ScenarioServer, startScenarioServer } from './servers/scenarios.js';

const dist = (file: string) => JSON.stringify(join(ROOT, 'dist', file));
const ENTRY = `
export * as Sentry from '@sentry/browser';
export { datadogRum } from '@datadog/browser-rum';
export { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
export { ResilientSocket, TracedWebSocket, diagnose } from ${dist('resilient-socket.js')};
export { traceBeacon } from ${dist('beacon.js')};
export { sentryBreadcrumbs } from ${dist('sentry.js')};
export { openTelemetrySpans } from ${dist('opentelemetry.js')};
export { datadogVitals } from ${dist('datadog.js')};
`;

type Collector = Awaited<ReturnType<typeof startCollector>>;

const test = base.extend<{ collector: Collector; server: ScenarioServer; page: Page; errors: string[] }, { bundle: string }>({
  bundle: [async ({}, use) => use(await browserBundle({ root: ROOT, entry: ENTRY, name: 'R', id: 'resilient-socket-e2e-reporters-entry' })), { scope: 'worker', timeout: 90_000 }],
  collector: async ({}, use) => {
    const collector = await startCollector();
    await use(collector);
    await collector.stop();
  },
  server: async ({ bundle }, use) => {
    const server = await startScenarioServer({ root: ROOT, files: { '/bundles/reporters.js': () => bundle } });
    await use(server);
    await server.stop();
  },
  errors: async ({}, use) => use([]),
  page: async ({ page, errors }, use) => {
    watchPage(page, errors);
    await use(page);
    expect(errors, 'console errors on the page').toEqual([]);
  },
});

test('a navigation away delivers one beacon with each live connection’s final trace (cause unload), redacted', async ({ page, server, collector, browserName }) => {
  await page.goto(`${server.origin}/e2e/pages/reporters.html`);
  const url = server.url('echo', { token: 's3cret' });
  await page.evaluate(
    async ([u, endpoint]) => {
      const { ResilientSocket, TracedWebSocket, traceBeacon } = (window as any).R;
      const beacon = traceBeacon(endpoint);
      // The SDK's own socket, and a library's TracedWebSocket, each with one round trip.
      const socket = new ResilientSocket(u);
      const traced = new TracedWebSocket(u);
      beacon.watch(socket);
      beacon.watch(traced);
      await Promise.all([new Promise((resolve) => socket.on('open', resolve)), new Promise((resolve) => traced.addEventListener('open', resolve))]);
      const echoed = Promise.all([new Promise((resolve) => socket.on('message', resolve)), new Promise((resolve) => traced.addEventListener('message', resolve))]);
      socket.send('hello');
      traced.send('hello');
      await echoed;
    },
    [url, `${collector.origin}/beacon?key=collector-secret`] as const,
  );
  expect(server.router.live('echo')).toBe(2);
  expect(collector.received).toEqual([]);

  await page.goto(`${server.origin}/e2e/pages/lifecycle-b.html`);
  await expect.poll(() => collector.received.filter((r) => r.path === '/beacon').length, { message: 'beacons received' }).toBe(1);
  await expect.poll(() => server.router.live('echo'), { message: 'server-side connections left' }).toBe(0);
  // Nothing more follows.
  await page.waitForTimeout(500);
  const beacons = collector.received.filter((r) => r.path === '/beacon');
  expect(beacons).toHaveLength(1);
  expect(beacons[0]!.contentType).toMatch(/^text\/plain/);
  const body = JSON.parse(beacons[0]!.body);
  expect(body.traces).toHaveLength(2);
  // Chromium: still open at pagehide, the SDK (or the beacon, for the TracedWebSocket) ends them
  // (1006: it cannot wait). Firefox: closed by the browser just before (1001, clean), recognised as the unload.
  const byBrowser = engineOf(browserName).closesBeforePagehide;
  for (const trace of body.traces) {
    expect(trace).toMatchObject({
      cause: 'unload',
      initiator: 'client',
      kind: byBrowser ? 'clean' : 'abnormal',
      code: byBrowser ? 1001 : 1006,
      connection: 1,
      messagesIn: 1,
      messagesOut: 1,
      bytesOut: 5,
      url: server.url('echo'),
      diagnosis: { cause: 'unload' },
    });
  }
  expect(body.traces[0].id).not.toBe(body.traces[1].id);
  expect(beacons[0]!.body).not.toContain('s3cret');
});

test('an idle timeout (a peer that drops connections after a silence) is diagnosed as such on its second occurrence', async ({ page, server }) => {
  // The peer drops after 4 s of real silence, during which the page's clock also jumps 56 s: to
  // the SDK, each connection was silent for 60 s, a load balancer's idle limit, when it dropped
  // (however long the jump takes to come, as long as it comes within the 4 s).
  await page.clock.install();
  await page.goto(`${server.origin}/e2e/pages/reporters.html`);
  await page.evaluate((u) => {
    const w = window as any;
    const socket = (w.socket = new w.R.ResilientSocket(u, { minReconnectDelay: 100, maxReconnectDelay: 200 }));
    w.opens = 0;
    socket.on('open', () => w.opens++);
  }, server.url('idle-drop', { after: 4000 }));
  for (const n of [1, 2]) {
    await expect.poll(() => page.evaluate(() => (window as any).opens), { message: `connection ${n} open`, timeout: 10_000 }).toBe(n);
    await page.clock.fastForward(56_000);
    await expect.poll(() => page.evaluate(() => (window as any).socket.traces.length), { message: `connection ${n} dropped`, timeout: 10_000 }).toBe(n);
  }
  const result = await page.evaluate(() => {
    const socket = (window as any).socket;
    return { traces: socket.traces, stats: socket.stats };
  });
  for (const trace of result.traces) {
    expect(trace).toMatchObject({ kind: 'abnormal', initiator: 'network', code: 1006 });
    expect(trace.longestSilenceMs).toBeGreaterThan(59_000);
    expect(trace.longestSilenceMs).toBeLessThan(61_500);
  }
  expect(result.stats.closesByDiagnosis).toEqual({ network: 1, 'idle-timeout': 1 });
  const diagnosis = await page.evaluate(() => {
    const socket = (window as any).socket;
    return (window as any).R.diagnose(socket.traces[1], socket.traces);
  });
  expect(diagnosis.cause).toBe('idle-timeout');
  expect(diagnosis.summary).toMatch(/about 60 s/);
  expect(diagnosis.fix).toMatch(/heartbeat/);
  await page.evaluate(() => (window as any).socket.close());
});

test('Sentry, OpenTelemetry and Datadog: one record per close, with the close’s fields', async ({ page, server, collector }) => {
  await page.goto(`${server.origin}/e2e/pages/reporters.html`);
  const port = new URL(collector.origin).port;
  type Span = { name: string; kind: number; status: number; attributes: Record<string, unknown>; events: string[] };
  const summary: { spans: Span[]; ids: string[] } = await page.evaluate(
    async ([restartUrl, neverReadsUrl, collectorOrigin, collectorPort]) => {
      const R = (window as any).R;
      const { Sentry, datadogRum } = R;
      Sentry.init({ dsn: `http://public@127.0.0.1:${collectorPort}/1`, defaultIntegrations: false });
      datadogRum.init({
        applicationId: '00000000-0000-4000-8000-000000000000',
        clientToken: 'pub00000000000000000000000000000000',
        site: 'datadoghq.com',
        service: 'e2e',
        proxy: `${collectorOrigin}/dd`,
        sessionSampleRate: 100,
        sessionReplaySampleRate: 0,
        trackResources: false,
        trackLongTasks: false,
        trackUserInteractions: false,
      });
      const exporter = new R.InMemorySpanExporter();
      const tracer = new R.BasicTracerProvider({ spanProcessors: [new R.SimpleSpanProcessor(exporter)] }).getTracer('e2e');
      const watch = (socket: unknown) => {
        R.sentryBreadcrumbs(socket, Sentry);
        R.openTelemetrySpans(socket, tracer, { lateCloseWaitMs: 0 });
        R.datadogVitals(socket, datadogRum);
      };

      // A server restart (1012), a reconnect, then a clean close by the app.
      const socket = new R.ResilientSocket(restartUrl, { minReconnectDelay: 100, maxReconnectDelay: 200 });
      watch(socket);
      let opens = 0;
      await new Promise<void>((resolve) => socket.on('open', () => ++opens === 2 && resolve()));
      await socket.close();
      // A library's socket against a server that never reads: a timed-out close.
      const traced = new R.TracedWebSocket(neverReadsUrl, undefined, { closeTimeout: 300 });
      watch(traced);
      // Its greeting first, then the close it never reads.
      await new Promise((resolve) => traced.addEventListener('message', resolve));
      traced.close();
      await new Promise((resolve) => traced.addEventListener('close', resolve));

      Sentry.captureMessage('after the closes');
      await Sentry.flush(5000);
      const spans = exporter.getFinishedSpans().map((s: any) => ({ name: s.name, kind: s.kind, status: s.status.code, attributes: s.attributes, events: s.events.map((e: any) => e.name) }));
      return { spans, ids: [...socket.traces, traced.trace].map((t: any) => t.id) };
    },
    [server.url('close-with-code', { code: 1012, token: 's3cret' }), server.url('never-reads'), collector.origin, port] as const,
  );
  const [restartId, userId, timeoutId] = summary.ids;

  // OpenTelemetry: a span per connection.
  expect(summary.spans.map((s) => [s.attributes['websocket.connection.id'], s.attributes['websocket.close.kind'], s.attributes['websocket.close.diagnosis'], s.status])).toEqual([
    [restartId, 'clean', 'server-restart', 0],
    [userId, 'clean', 'clean', 0],
    [timeoutId, 'timeout', 'server-not-reading', 2],
  ]);
  expect(summary.spans[2]!.attributes).toMatchObject({ 'error.type': 'close_timeout', 'network.protocol.name': 'websocket', 'server.address': '127.0.0.1', 'websocket.close.code': 1006, 'websocket.native_close.pending': true });
  expect(summary.spans[0]!.attributes).toMatchObject({ 'url.full': server.url('close-with-code'), 'websocket.close.code': 1012, 'websocket.close.initiator': 'server' });
  expect(summary.spans[2]!.events).toEqual(['websocket.open', 'websocket.closing']);

  // Sentry: a breadcrumb per close and one for the reconnect, in the event captured after them.
  await expect.poll(() => collector.received.filter((r) => r.path === '/api/1/envelope/').length, { message: 'Sentry envelopes' }).toBeGreaterThan(0);
  const events = collector.received
    .filter((r) => r.path === '/api/1/envelope/')
    .flatMap((r) => r.body.split('\n').filter(Boolean).map((line) => JSON.parse(line)))
    .filter((item) => Array.isArray(item.breadcrumbs));
  expect(events).toHaveLength(1);
  const crumbs = events[0].breadcrumbs.filter((b: any) => b.category === 'websocket');
  expect(crumbs.map((b: any) => [b.level, b.data.id ?? 'reconnect', b.data.diagnosis ?? null])).toEqual([
    ['info', restartId, 'server-restart'],
    ['info', 'reconnect', null],
    ['info', userId, 'clean'],
    ['error', timeoutId, 'server-not-reading'],
  ]);
  expect(crumbs[3].data).toMatchObject({ code: 1006, was_clean: false, kind: 'timeout', initiator: 'client', latency_ms: expect.any(Number) });

  // Datadog: its batch leaves on pagehide; a duration vital per close.
  await page.goto(`${server.origin}/e2e/pages/lifecycle-b.html`);
  const vitals = () =>
    collector.received
      .filter((r) => r.path === '/dd')
      .flatMap((r) => r.body.split('\n').filter(Boolean).map((line) => JSON.parse(line)))
      .filter((e) => e.type === 'vital' && e.vital?.type === 'duration' && e.vital?.name === 'websocket');
  await expect.poll(() => vitals().length, { message: 'Datadog vitals', timeout: 15_000 }).toBe(3);
  expect(vitals().map((v) => [v.context.websocket.id, v.context.websocket.close_code, v.context.websocket.was_clean, v.context.websocket.close_initiator, v.context.websocket.kind])).toEqual([
    [restartId, 1012, true, 'server', 'clean'],
    [userId, 1000, true, 'client', 'clean'],
    [timeoutId, 1006, false, 'client', 'timeout'],
  ]);
  expect(vitals()[2].context.websocket).toMatchObject({ cause: 'user', diagnosis: 'server-not-reading', inbound: { message_count: 1 } });
  expect(JSON.stringify(collector.received.map((r) => r.body))).not.toContain('s3cret');
});
