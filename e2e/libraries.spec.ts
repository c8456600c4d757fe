/**
 * Protocol libraries through a WebSocket class passed the way each library's
 * own docs pass one, with no adapter in the app (e2e/pages/libraries.html):
 *
 * | library         | how it takes the class |
 * |-----------------|------------------------|
 * | graphql-ws      | `createClient({ url, webSocketImpl: SocketClass })` |
 * | mqtt            | `mqtt.connect(url, { createWebsocket: (url, protocols) => new SocketClass(url, protocols) })` |
 * | phoenix         | `new Socket(url, { transport: SocketClass })` |
 * | @stomp/stompjs  | `new Client({ webSocketFactory: () => new SocketClass(url, ['v12.stomp']) })` |
 * | y-websocket     | `new WebsocketProvider(url, room, doc, { WebSocketPolyfill: SocketClass })` |
 *
 * The class is `window.SocketClass`: the native `WebSocket`, or
 * `ResilientSocket.TracedWebSocket.with({ closeTimeout })` from the IIFE build.
 *
 * The native-WebSocket shutdown baselines against a server that stops
 * reading wait out Chromium's 60 s closing handshake, 3.5 min in all: they
 * are measurements, not checks, and exist only with LIBS_NATIVE_BASELINE=1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ROOT, watchPage } from './fixtures';
import { type LibraryServer, type Route, librariesBundle, startLibraryServer } from './servers/libraries.js';

const CLOSE_TIMEOUT = 1000;
/**
 * What TracedWebSocket promises: CLOSED, and the library told, within closeTimeout plus a little.
 * Measured at closeTimeout + 1–30 ms; the bound keeps clear of the native 60 s while a loaded
 * machine can add a few hundred ms (the figures are in the annotations).
 */
const MARGIN = 700;
const TRACED_BOUND = CLOSE_TIMEOUT + MARGIN;
/** How long a native baseline may wait: Chromium gives up on a closing handshake after 60 s. */
const BASELINE_CAP = 70_000;
const SDK_IIFE = join(ROOT, 'dist/resilient-socket.iife.js');

type SocketKind = 'native' | 'traced';
type LibName = 'graphql-ws' | 'mqtt' | 'phoenix' | 'stomp' | 'y-websocket';

interface Measurement {
  library: { ms: number; readyState: number | null; detail?: any; error?: string } | null;
  socketClose: { ms: number; code: number; wasClean: boolean } | null;
  readyStateAtStart: number | null;
  events: { type: string; ms: number; [key: string]: unknown }[];
}

const test = base.extend<{ libServer: LibraryServer; libPage: Page }, { bundle: string }>({
  bundle: [async ({}, use) => use(await librariesBundle(ROOT)), { scope: 'worker', timeout: 60_000 }],
  libServer: async ({ bundle }, use) => {
    const server = await startLibraryServer({ root: ROOT, bundle });
    await use(server);
    await server.stop();
  },
  libPage: async ({ page, libServer }, use) => {
    // The engine's own errors for connections the tests break on purpose are expected: aedes, for
    // one, answers DISCONNECT by cutting TCP, which Firefox reports as an interrupted connection.
    const errors: string[] = [];
    watchPage(page, errors);
    await page.goto(`${libServer.origin}/e2e/pages/libraries.html`);
    // The SDK's IIFE, for ResilientSocket.TracedWebSocket (npm test builds it first).
    if (!existsSync(SDK_IIFE)) throw new Error('dist/resilient-socket.iife.js is missing: run `npm run build`');
    await page.addScriptTag({ url: '/dist/resilient-socket.iife.js' });
    await use(page);
    expect(errors, 'console errors on the page').toEqual([]);
  },
});

/** Sets window.SocketClass for `kind`. */
async function useSocketClass(page: Page, kind: SocketKind) {
  await page.evaluate(
    ([k, closeTimeout]) => {
      const w = window as any;
      w.SocketClass = k === 'native' ? WebSocket : w.ResilientSocket.TracedWebSocket.with({ closeTimeout });
    },
    [kind, CLOSE_TIMEOUT] as const,
  );
}

/** Starts a library in the page with window.SocketClass; returns its index. */
function start(page: Page, lib: LibName, url: string, options: Record<string, unknown> = {}): Promise<number> {
  return page.evaluate(([l, u, o]) => (window as any).startLibrary(l, u, o), [lib, url, options] as const);
}

const connections = (page: Page, i: number) => page.evaluate((index) => (window as any).apps[index].connections as number, i);

const readShutdown = (page: Page, i: number): Promise<Measurement> => page.evaluate((index) => (window as any).readShutdown(index), i);

/** A unique Yjs room per test (the server keeps rooms per process). */
const room = () => `room-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Each library: its real server and its stop-reading peer, one extra round
 * trip, and which event is the library's own "shut down".
 */
interface LibSpec {
  route: Route;
  /** The server's URL path, as the library is given it (y-websocket appends `/room` itself). */
  path: string;
  neverReadsRoute: Route;
  neverReads: string;
  /** Another request/response through the server; returns what came back. */
  roundTrip: (page: Page, server: LibraryServer, i: number, room: string) => Promise<unknown>;
  expectedRoundTrip: unknown;
  /** The library's shutdown event, as the app sees it. */
  shutdownEvent: string;
  /** Whether the real server answers the closing handshake when the library shuts down. */
  cleanClose: boolean;
}

const LIBS: Record<LibName, LibSpec> = {
  'graphql-ws': {
    route: 'graphql',
    path: '/graphql',
    neverReadsRoute: 'graphql-never-reads',
    neverReads: '/graphql-never-reads',
    roundTrip: (page, _s, i) => page.evaluate((index) => (window as any).apps[index].roundTrip(), i),
    expectedRoundTrip: 'world',
    shutdownEvent: '`closed` event after client.dispose()',
    cleanClose: true,
  },
  mqtt: {
    route: 'mqtt',
    path: '/mqtt',
    neverReadsRoute: 'mqtt-never-reads',
    neverReads: '/mqtt-never-reads',
    roundTrip: (page, _s, i) => page.evaluate((index) => (window as any).apps[index].roundTrip(), i),
    expectedRoundTrip: expect.stringMatching(/^ping-\d+$/),
    shutdownEvent: 'client.end() callback',
    // aedes answers DISCONNECT by destroying the stream, which ws.terminate()s the socket: TCP ends with no Close frame.
    cleanClose: false,
  },
  phoenix: {
    route: 'phoenix',
    path: '/phoenix',
    neverReadsRoute: 'phoenix-never-reads',
    neverReads: '/phoenix-never-reads',
    roundTrip: (page, _s, i) => page.evaluate((index) => (window as any).apps[index].roundTrip(), i),
    expectedRoundTrip: { pong: { n: expect.any(Number) } },
    shutdownEvent: 'socket.disconnect() callback',
    cleanClose: true,
  },
  stomp: {
    route: 'stomp',
    path: '/stomp',
    neverReadsRoute: 'stomp-never-reads',
    // The DISCONNECT's RECEIPT is answered, then nothing is read: stompjs closes the
    // WebSocket only on that RECEIPT, so this is where its closing handshake hangs.
    neverReads: '/stomp-never-reads?until=disconnect',
    roundTrip: (page, _s, i) => page.evaluate((index) => (window as any).apps[index].roundTrip(), i),
    expectedRoundTrip: expect.stringMatching(/^ping-\d+$/),
    shutdownEvent: 'client.deactivate() promise',
    cleanClose: true,
  },
  'y-websocket': {
    route: 'yjs',
    path: '/yjs',
    neverReadsRoute: 'yjs-never-reads',
    neverReads: '/yjs-never-reads',
    // Both ways through @y/websocket-server: the page's edit reaches the server's copy, and the server's edit reaches the page.
    roundTrip: async (page, server, i, r) => {
      const mine = `client-${Date.now()}`;
      await page.evaluate(([index, s]) => (window as any).apps[index].insert(s), [i, mine] as const);
      await expect.poll(() => server.router.yDoc(r)?.getText('t').toString() ?? '', { message: 'the server has the page\u2019s edit' }).toContain(mine);
      const theirs = `server-${Date.now()}`;
      const doc = server.router.yDoc(r)!;
      doc.getText('t').insert(doc.getText('t').length, theirs);
      await expect.poll(() => page.evaluate((index) => (window as any).apps[index].text(), i), { message: 'the page has the server\u2019s edit' }).toContain(theirs);
      return 'synced';
    },
    expectedRoundTrip: 'synced',
    shutdownEvent: '`status` disconnected after provider.destroy()',
    cleanClose: true,
  },
};

/** Options for start(): y-websocket needs its room. */
const startOptions = (lib: LibName, r: string, extra: Record<string, unknown> = {}) => (lib === 'y-websocket' ? { room: r, ...extra } : extra);

/** Polls the shutdown measurement until `done` holds or `timeout` passes; returns the last one. */
async function waitForShutdown(page: Page, i: number, done: (m: Measurement) => boolean, timeout: number): Promise<Measurement> {
  const deadline = Date.now() + timeout;
  let m = await readShutdown(page, i);
  while (!done(m) && Date.now() < deadline) {
    await page.waitForTimeout(Math.min(250, Math.max(10, deadline - Date.now())));
    m = await readShutdown(page, i);
  }
  return m;
}

const fmt = (ms: number | undefined | null) => (ms == null ? 'never' : `${Math.round(ms)} ms`);

function describeMeasurement(lib: LibName, m: Measurement, cap: number) {
  const phoenixClose = m.events.find((e) => e.type === 'close');
  const parts = [
    `${LIBS[lib].shutdownEvent}: ${m.library ? fmt(m.library.ms) : `not within ${cap} ms`}` +
      (m.library && m.library.readyState != null ? ` (WebSocket readyState then ${m.library.readyState})` : ''),
    `WebSocket close event: ${m.socketClose ? `${fmt(m.socketClose.ms)}, code ${m.socketClose.code}, wasClean ${m.socketClose.wasClean}` : `not within ${cap} ms`}`,
  ];
  if (lib === 'phoenix') parts.push(`socket.onClose: ${phoenixClose ? fmt(phoenixClose.ms) : `not within ${cap} ms`}`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------

for (const kind of ['native', 'traced'] as const) {
  test.describe(`${kind} socket class`, () => {
    for (const lib of Object.keys(LIBS) as LibName[]) {
      const spec = LIBS[lib];

      test(`${lib}: reaches ready (handshake and a round trip), then shuts down cleanly against its server`, async ({ libPage: page, libServer: server }) => {
        await useSocketClass(page, kind);
        const r = room();
        const i = await start(page, lib, server.url(spec.path), startOptions(lib, r));
        expect(await connections(page, i)).toBe(1);
        expect(await spec.roundTrip(page, server, i, r)).toEqual(spec.expectedRoundTrip);
        expect(server.router.live(spec.route)).toBe(1);
        if (lib === 'mqtt') expect(server.router.mqttClients()).toBe(1);

        // A well-behaved server answers the closing handshake: the library and its socket close promptly and cleanly.
        await page.evaluate((index) => (window as any).startShutdown(index), i);
        const m = await waitForShutdown(page, i, (x) => !!x.library && !!x.socketClose, 5_000);
        test.info().annotations.push({ type: 'shutdown against the real server', description: describeMeasurement(lib, m, 5_000) });
        expect(m.library, LIBS[lib].shutdownEvent).not.toBeNull();
        expect(m.library!.error).toBeUndefined();
        expect(m.library!.ms).toBeLessThan(2_000);
        expect(m.socketClose, 'the WebSocket\u2019s close event').not.toBeNull();
        expect(m.socketClose!.ms).toBeLessThan(2_000);
        // 1000, or 1005 from phoenix and y-websocket, which call close() with no code.
        if (spec.cleanClose) {
          expect([1000, 1005]).toContain(m.socketClose!.code);
          expect(m.socketClose!.wasClean).toBe(true);
        }
        await expect.poll(() => server.router.live(spec.route), { message: 'server-side connections left' }).toBe(0);
      });

      test(`${lib}: reconnects on its own after a TCP drop, leaving exactly one server-side connection`, async ({ libPage: page, libServer: server }) => {
        await useSocketClass(page, kind);
        const r = room();
        const i = await start(page, lib, server.url(spec.path), startOptions(lib, r));
        expect(server.router.accepted(spec.route)).toBe(1);

        const droppedAt = Date.now();
        expect(server.router.kill(spec.route)).toBe(1);
        // graphql-ws waits 1 s plus 0.3 to 3 s of jitter before its first retry; the others retry within 0.5 s.
        await expect.poll(() => connections(page, i), { message: 'the library reported a second connection', timeout: 10_000 }).toBe(2);
        test.info().annotations.push({ type: 'reconnected after', description: `${Date.now() - droppedAt} ms` });
        expect(await spec.roundTrip(page, server, i, r)).toEqual(spec.expectedRoundTrip);
        if (lib === 'graphql-ws') {
          // The subscription was resumed on the new connection.
          await expect
            .poll(() => page.evaluate((index) => (window as any).apps[index].ticks.filter((t: any) => t.connection === 2).length, i))
            .toBeGreaterThan(0);
        }
        // No orphan: the dropped connection is gone, the new one is the only one, and no further attempt follows.
        await page.waitForTimeout(700);
        expect(server.router.live(spec.route)).toBe(1);
        expect(server.router.accepted(spec.route)).toBe(2);
        expect(await connections(page, i)).toBe(2);
        if (lib === 'mqtt') expect(server.router.mqttClients()).toBe(1);
        if (lib === 'y-websocket') expect(server.router.yDoc(r)?.conns.size).toBe(1);
      });
    }

    test('stomp: deactivate() waits for the DISCONNECT receipt; deactivate({ force: true }) ends it at once', async ({ libPage: page, libServer: server }) => {
      // A server that stops reading right after CONNECTED never answers DISCONNECT: stompjs then
      // never closes the WebSocket at all, whatever its class. force discards the socket instead
      // (with the socket's own terminate() when it has one, as TracedWebSocket does).
      await useSocketClass(page, kind);
      const i = await start(page, 'stomp', server.url('/stomp-never-reads'), { handshakeOnly: true });
      await page.evaluate((index) => (window as any).startShutdown(index), i);
      await page.waitForTimeout(TRACED_BOUND);
      const pending = await readShutdown(page, i);
      expect(pending.library, 'graceful deactivate() still pending').toBeNull();
      expect(pending.socketClose).toBeNull();
      expect(server.router.received('stomp-never-reads')).toEqual(['CONNECT']);

      const forced = await page.evaluate(async (index) => {
        const app = (window as any).apps[index];
        const t0 = performance.now();
        await app.client.deactivate({ force: true });
        return { ms: performance.now() - t0, inactive: app.client.state === 2 /* ActivationState.INACTIVE */ };
      }, i);
      expect(forced.ms).toBeLessThan(300);
      expect(forced.inactive).toBe(true);
      const after = await waitForShutdown(page, i, (m) => !!m.library, 1_000);
      expect(after.library, 'the graceful deactivate() settles with the forced one').not.toBeNull();
      test.info().annotations.push({
        type: 'stomp force',
        description: `deactivate({ force: true }) settled in ${fmt(forced.ms)}`,
      });
    });
  });
}

test.describe('TracedWebSocket: library shutdown against a server that stops reading', () => {
  for (const lib of Object.keys(LIBS) as LibName[]) {
    const spec = LIBS[lib];
    const title =
      lib === 'phoenix'
        ? 'phoenix: socket.onClose within closeTimeout + 700 ms, socket.disconnect() callback by its own 1.5 s poll + 700 ms'
        : `${lib}: ${spec.shutdownEvent} within closeTimeout + 700 ms`;
    test(title, async ({ libPage: page, libServer: server }) => {
      await useSocketClass(page, 'traced');
      const r = room();
      const i = await start(page, lib, server.url(spec.neverReads), startOptions(lib, r, { handshakeOnly: true }));
      expect(server.router.live(spec.neverReadsRoute)).toBe(1);
      await page.evaluate((index) => (window as any).startShutdown(index), i);
      const m = await waitForShutdown(
        page,
        i,
        (x) => !!x.library && !!x.socketClose && (lib !== 'phoenix' || x.events.some((e) => e.type === 'close')),
        TRACED_BOUND + 3_000,
      );
      test.info().annotations.push({ type: 'TracedWebSocket shutdown', description: describeMeasurement(lib, m, TRACED_BOUND + 3_000) });

      // The socket: CLOSED within closeTimeout, as an abnormal 1006.
      expect(m.socketClose, 'the WebSocket\u2019s close event').toMatchObject({ code: 1006, wasClean: false });
      expect(m.socketClose!.ms).toBeLessThanOrEqual(TRACED_BOUND);
      expect(m.library, spec.shutdownEvent).not.toBeNull();
      expect(m.library!.error).toBeUndefined();
      if (lib === 'phoenix') {
        // phoenix's disconnect() polls readyState at 0, 150, 450, 900 and 1500 ms and calls back
        // at 1500 ms at the latest; its onClose is what follows the socket's close event.
        const onClose = m.events.find((e) => e.type === 'close');
        expect(onClose, 'socket.onClose').toBeDefined();
        expect(onClose!.ms).toBeLessThanOrEqual(TRACED_BOUND);
        expect(m.library!.ms).toBeLessThanOrEqual(1_500 + MARGIN);
      } else {
        expect(m.library!.ms).toBeLessThanOrEqual(TRACED_BOUND);
      }
      if (lib === 'graphql-ws') expect(m.library!.detail).toMatchObject({ code: 1006, wasClean: false });
    });
  }
});

if (process.env.LIBS_NATIVE_BASELINE) test.describe('native WebSocket baseline: library shutdown against a server that stops reading', () => {

  const cases: { lib: LibName; title: string; path?: string }[] = [
    ...(Object.keys(LIBS) as LibName[]).map((lib) => ({ lib, title: `${lib}: ${LIBS[lib].shutdownEvent}` })),
    { lib: 'stomp', title: 'stomp: client.deactivate() promise, server stops reading right after CONNECTED', path: '/stomp-never-reads' },
  ];
  for (const { lib, title, path } of cases) {
    test(title, async ({ libPage: page, libServer: server }) => {
      test.setTimeout(BASELINE_CAP + 30_000);
      await useSocketClass(page, 'native');
      const spec = LIBS[lib];
      const r = room();
      const url = server.url(path ?? spec.neverReads);
      const i = await start(page, lib, url, startOptions(lib, r, { handshakeOnly: true }));
      await page.evaluate((index) => (window as any).startShutdown(index), i);
      const m = await waitForShutdown(page, i, (x) => !!x.library && !!x.socketClose, BASELINE_CAP);
      const description = describeMeasurement(lib, m, BASELINE_CAP);
      test.info().annotations.push({ type: 'native baseline', description });
      console.log(`[native baseline] ${title}: ${description}`);
      if (path) {
        // stompjs waits for the DISCONNECT's RECEIPT before it closes the WebSocket: neither comes.
        expect(m.library).toBeNull();
        expect(m.socketClose).toBeNull();
      } else {
        // The WebSocket closed at last (Chromium gives up after 60 s), as an abnormal 1006.
        expect(m.socketClose).toMatchObject({ code: 1006, wasClean: false });
      }
    });
  }
});
