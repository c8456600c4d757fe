/**
 * The reporting entries on the fake socket: the shared trace subscription,
 * the beacon's batching and flushing, and the exporters' records. The
 * OpenTelemetry exporter runs against the real SDK's in-memory exporter;
 * Sentry and Datadog run in a browser (e2e/reporters.spec.ts).
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { type BeaconBody, traceBeacon } from './beacon.js';
import { datadogVitals } from './datadog.js';
import { openTelemetrySpans } from './opentelemetry.js';
import { type WebSocketBreadcrumb, sentryBreadcrumbs } from './sentry.js';
import { FakeWebSocket, FakeWebSocketCtor, useFakeWorld } from './test-helpers/fake-websocket.js';
import { connected, settle } from './test-helpers/resilient.js';
import { TracedWebSocket } from './traced-websocket.js';
import type { CloseTrace } from './traces.js';
import { watchTraces } from './watch.js';

useFakeWorld();

const SECRET_URL = 'ws://user:pass@example.test/live?token=s3cret';

/** A TracedWebSocket that opened; closes against a server that never echoes after `closeTimeout`. */
function opened(closeTimeout = 100) {
  const socket = new TracedWebSocket(SECRET_URL, undefined, { WebSocket: FakeWebSocketCtor, closeTimeout, redactUrl: false });
  const native = FakeWebSocket.last();
  native.serverOpen();
  return { socket, native };
}

describe('watchTraces', () => {
  it('tells a close from its late native close, redacts the URL, and stops', async () => {
    const closes: CloseTrace[] = [];
    const lates: CloseTrace[] = [];
    const { socket, native } = opened();
    const stop = watchTraces('test', socket, { close: (t) => closes.push(t), late: (t) => lates.push(t) });
    socket.close();
    await settle(100);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ kind: 'timeout', nativeCloseAt: null, url: 'ws://example.test/live' });
    native.serverClose(1006, '', false);
    expect(lates).toHaveLength(1);
    expect(lates[0]!.id).toBe(closes[0]!.id);
    expect(lates[0]!.nativeCode).toBe(1006);
    stop();
  });

  it('a ResilientSocket: closes, reconnects, and diagnoses with the traces before', async () => {
    const { socket, native } = await connected({ redactUrl: false }, SECRET_URL);
    const seen: string[] = [];
    const stop = watchTraces('test', socket, { close: (t, d) => seen.push(`close ${t.cause} ${d.cause} ${t.url}`), reconnect: (r) => seen.push(`reconnect ${r.attempt}`) });
    native.serverClose(1012, 'restart', true);
    expect(seen).toEqual(['close server server-restart ws://example.test/live', 'reconnect 1']);
    stop();
    await settle(1000);
    FakeWebSocket.last().serverClose(1012, '', true);
    expect(seen).toHaveLength(2);
    socket.close();
  });

  it('a corrected trace (Firefox’s own 1001 on an unload) is an update, not a second close', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { socket, native } = await connected({ handlePageLifecycle: true });
    const seen: string[] = [];
    watchTraces('test', socket, { close: (t) => seen.push(`close ${t.cause}`), late: (t) => seen.push(`update ${t.cause}`) });
    native.serverClose(1001, '', true);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(seen).toEqual(['close server', 'update unload']);
  });

  it('reports a TracedWebSocket closed before it was watched; refuses anything else, by name', () => {
    const { socket } = opened();
    socket.terminate();
    const closes: CloseTrace[] = [];
    watchTraces('test', socket, { close: (t) => closes.push(t) })();
    expect(closes).toHaveLength(1);
    expect(() => watchTraces('sentryBreadcrumbs', {} as never, { close: () => {} })).toThrow(/sentryBreadcrumbs: expected a ResilientSocket or a TracedWebSocket, got object/);
    expect(() => watchTraces('x', null as never, { close: () => {} })).toThrow(TypeError);
  });
});

describe('traceBeacon', () => {
  /** A beacon whose sends are recorded (and accepted unless `accept` says no). */
  function beacon(options: Parameters<typeof traceBeacon>[1] = {}, accept = () => true) {
    const sent: Array<{ url: string; body: BeaconBody }> = [];
    const b = traceBeacon('http://127.0.0.1:9/collect?key=k', {
      send: (url, body) => {
        if (!accept()) return false;
        sent.push({ url, body: JSON.parse(body) });
        return true;
      },
      ...options,
    });
    return { b, sent };
  }

  it('holds traces until flushed; sends them as JSON with the diagnosis, URL redacted', () => {
    const { b, sent } = beacon();
    const { socket } = opened();
    b.watch(socket);
    socket.terminate();
    expect(b.pending).toBe(1);
    expect(sent).toEqual([]);
    expect(b.flush()).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('http://127.0.0.1:9/collect?key=k');
    expect(sent[0]!.body.traces[0]).toMatchObject({ url: 'ws://example.test/live', cause: 'user', diagnosis: { cause: 'network' } });
    expect(JSON.stringify(sent)).not.toContain('s3cret');
    expect(b.pending).toBe(0);
    b.stop();
  });

  it('sends on visibilitychange to hidden and on pagehide, never on unload', () => {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const win = new EventTarget();
    vi.stubGlobal('document', doc);
    vi.stubGlobal('window', win);
    const { b, sent } = beacon();
    const send = (type: string, target: EventTarget) => {
      const { socket } = opened();
      b.watch(socket);
      socket.terminate();
      target.dispatchEvent(new Event(type));
    };
    send('unload', win);
    expect(sent).toHaveLength(0);
    send('visibilitychange', doc); // still visible
    expect(sent).toHaveLength(0);
    doc.visibilityState = 'hidden';
    send('visibilitychange', doc);
    expect(sent.map((s) => s.body.traces.length)).toEqual([3]);
    send('pagehide', win);
    expect(sent).toHaveLength(2);
    b.stop();
    send('pagehide', win);
    expect(sent).toHaveLength(2);
  });

  it('on an unload, ends a watched TracedWebSocket that is still live, or relabels the 1001 its browser just closed it with', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { b, sent } = beacon();
    const live = opened();
    const early = opened();
    const byBrowser = opened();
    for (const s of [live, early, byBrowser]) b.watch(s.socket);
    early.native.serverClose(1001, '', true);
    await settle(5000);
    byBrowser.native.serverClose(1001, '', true);
    await settle(20);
    // Into the back/forward cache: nothing ends.
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    expect(live.socket.readyState).toBe(1);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(live.socket.readyState).toBe(3);
    expect(live.native.closeCalls).toEqual([{ code: 1000, reason: 'unload' }]);
    // The first pagehide sent what waited; what the unload changed goes again, same id: the last one counts.
    const traces = sent.flatMap((x) => x.body.traces);
    const of = (s: { socket: TracedWebSocket }) => traces.filter((t) => t.id === s.socket.trace!.id).map((t) => [t.cause, t.initiator, t.code]);
    expect(of(live)).toEqual([['unload', 'client', 1006]]);
    expect(of(early)).toEqual([['server', 'server', 1001]]);
    expect(of(byBrowser)).toEqual([
      ['server', 'server', 1001],
      ['unload', 'client', 1001],
    ]);
    b.stop();
  });

  it('on an unload, ends a watched ResilientSocket before sending, whichever pagehide listener runs first', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    // The beacon's listener is added before the socket's, as Chromium then runs them.
    const { b, sent } = beacon();
    const { socket, native } = await connected({ handlePageLifecycle: true });
    b.watch(socket);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.traces.map((t) => [t.cause, t.code])).toEqual([['unload', 1006]]);
    expect(native.closeCalls).toEqual([{ code: 1000, reason: 'unload' }]);
    expect(socket.state).toBe('closed');
    expect(socket.traces).toHaveLength(1);
    b.stop();
  });

  it('sends at once when maxBatch traces wait; splits a flush into batches', () => {
    const { b, sent } = beacon({ maxBatch: 2 });
    for (let i = 0; i < 5; i++) {
      const { socket } = opened();
      b.watch(socket);
      socket.terminate();
    }
    expect(sent.map((s) => s.body.traces.length)).toEqual([2, 2]);
    expect(b.pending).toBe(1);
    b.flush();
    expect(sent.map((s) => s.body.traces.length)).toEqual([2, 2, 1]);
  });

  it('a late native close replaces its waiting trace, or goes again with the same id once sent', async () => {
    const { b, sent } = beacon();
    const first = opened();
    b.watch(first.socket);
    first.socket.close();
    await settle(100);
    first.native.serverClose(1006, '', false);
    expect(b.pending).toBe(1);
    b.flush();
    expect(sent[0]!.body.traces[0]).toMatchObject({ kind: 'timeout', nativeCode: 1006 });
    const second = opened();
    b.watch(second.socket);
    second.socket.close();
    await settle(100);
    b.flush();
    second.native.serverClose(1006, '', false);
    b.flush();
    expect(sent.map((s) => s.body.traces.map((t) => [t.id === second.socket.trace!.id, t.nativeCode]))).toEqual([[[false, 1006]], [[true, null]], [[true, 1006]]]);
  });

  it('keeps what the browser refuses for the next flush, up to maxQueued, counting what it drops', () => {
    let accept = false;
    const { b, sent } = beacon({ maxBatch: 50, maxQueued: 3 }, () => accept);
    for (let i = 0; i < 5; i++) {
      const { socket } = opened();
      b.watch(socket);
      socket.terminate();
    }
    expect(b.flush()).toBe(false);
    expect(b.pending).toBe(3);
    expect(b.dropped).toBe(2);
    accept = true;
    expect(b.flush()).toBe(true);
    expect(sent[0]!.body.traces.map((t) => t.connection)).toHaveLength(3);
  });

  it('a single trace too large for a beacon, refused, is dropped and holds back nothing', () => {
    const { b } = beacon({}, () => false);
    const huge = new TracedWebSocket(`ws://example.test/${'p'.repeat(70_000)}`, undefined, { WebSocket: FakeWebSocketCtor });
    b.watch(huge);
    huge.terminate();
    expect(b.flush()).toBe(true);
    expect(b.dropped).toBe(1);
    expect(b.pending).toBe(0);
  });

  it('splits a batch over 60 KB', () => {
    const { b, sent } = beacon({ maxBatch: 100 });
    for (let i = 0; i < 40; i++) {
      const socket = new TracedWebSocket(`ws://example.test/${'p'.repeat(3000)}`, undefined, { WebSocket: FakeWebSocketCtor });
      b.watch(socket);
      socket.terminate();
    }
    b.flush();
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.reduce((n, s) => n + s.body.traces.length, 0)).toBe(40);
    for (const s of sent) expect(JSON.stringify(s.body).length).toBeLessThanOrEqual(60_000);
  });

  it('bad input: the error a browser would give, naming the option, never the secret', () => {
    const send = () => true;
    expect(() => traceBeacon('ftp://x.test/c?token=s3cret', { send })).toThrow(/only supported over HTTP\(S\).*"ftp:\/\/x\.test\/c" \(redacted\)/);
    expect(() => traceBeacon('http://[bad', { send })).toThrow(/not a valid URL/);
    expect(() => traceBeacon(42 as never, { send })).toThrow(/must be a string or a URL, got number/);
    expect(() => traceBeacon('http://127.0.0.1:9/c', { send, maxBatch: 0 })).toThrow(/`maxBatch` must be a whole number of at least 1, got 0/);
    expect(() => traceBeacon('http://127.0.0.1:9/c', { send, maxQueued: 1.5 })).toThrow(/`maxQueued`.*got 1\.5/);
    vi.stubGlobal('navigator', {});
    expect(() => traceBeacon('http://127.0.0.1:9/c')).toThrow(/no navigator\.sendBeacon; pass the `send` option/);
  });
});

describe('openTelemetrySpans (the OpenTelemetry SDK, in-memory exporter)', () => {
  function tracer() {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    return { exporter, tracer: provider.getTracer('test') };
  }

  it('a span per connection, from the attempt to the close, with the stable and websocket.* attributes', async () => {
    const { exporter, tracer: t } = tracer();
    const { socket, native } = await connected({ redactUrl: false }, SECRET_URL);
    openTelemetrySpans(socket, t);
    await settle(50);
    native.serverClose(4001, 'bad token', true);
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    const trace = socket.traces[0]!;
    expect(span!.name).toBe('websocket');
    expect(span!.kind).toBe(2);
    expect(span!.attributes).toMatchObject({
      'url.full': 'ws://example.test/live',
      'server.address': 'example.test',
      'server.port': 80,
      'network.protocol.name': 'websocket',
      'websocket.close.code': 4001,
      'websocket.close.reason': 'bad token',
      'websocket.close.kind': 'clean',
      'websocket.close.initiator': 'server',
      'websocket.close.cause': 'server',
      'websocket.close.diagnosis': 'refused',
      'websocket.connection.id': trace.id,
    });
    expect(span!.attributes['error.type']).toBeUndefined();
    expect(span!.status.code).toBe(0);
    const ms = (hr: [number, number]) => hr[0] * 1000 + hr[1] / 1e6;
    expect(ms(span!.startTime)).toBeCloseTo(trace.connectAt, 0);
    expect(ms(span!.endTime)).toBeCloseTo(trace.closeAt, 0);
    expect(span!.events.map((e) => e.name)).toEqual(['websocket.open']);
    await socket.close();
  });

  it('a timed-out close: waits for the late native close and records it as an event; status ERROR', async () => {
    const { exporter, tracer: t } = tracer();
    const { socket, native } = opened(100);
    openTelemetrySpans(socket, t);
    socket.close();
    await settle(100);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await settle(5000);
    native.serverClose(1006, '', false);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({ 'error.type': 'close_timeout', 'websocket.close.kind': 'timeout', 'websocket.close.latency_ms': 100, 'websocket.close.diagnosis': 'server-not-reading' });
    expect(span!.status.code).toBe(2);
    expect(span!.events.map((e) => e.name)).toEqual(['websocket.open', 'websocket.closing', 'websocket.native_close']);
    expect(span!.events[2]!.attributes).toMatchObject({ 'websocket.close.code': 1006, 'websocket.native_close.latency_ms': 5100 });
  });

  it('stops waiting after lateCloseWaitMs, on pagehide, or on stop, leaving no timer', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    // A stub tracer: the SDK's span processor keeps timers of its own.
    const ended: Array<Record<string, unknown>> = [];
    const t = {
      startSpan: (_name: string, o?: { attributes?: Record<string, unknown> }) => {
        const attributes = { ...o?.attributes };
        return { setAttributes: (a: object) => Object.assign(attributes, a), addEvent: () => {}, setStatus: () => {}, end: () => void ended.push(attributes) };
      },
    };
    const a = opened(100);
    const stopA = openTelemetrySpans(a.socket, t, { lateCloseWaitMs: 1000 });
    a.socket.close();
    await settle(1099);
    expect(ended).toHaveLength(0);
    await settle(1);
    expect(ended[0]!['websocket.native_close.pending']).toBe(true);
    const b = opened(100);
    openTelemetrySpans(b.socket, t);
    b.socket.close();
    await settle(100);
    win.dispatchEvent(new Event('pagehide'));
    expect(ended).toHaveLength(2);
    const c = opened(100);
    const stopC = openTelemetrySpans(c.socket, t);
    c.socket.close();
    await settle(100);
    expect(vi.getTimerCount()).toBe(1);
    stopC();
    stopA();
    expect(ended).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
    // A late close after the span ended adds nothing.
    c.native.serverClose(1006, '', false);
    expect(ended).toHaveLength(3);
  });

  it('bad input names the argument', () => {
    const { socket } = opened();
    expect(() => openTelemetrySpans(socket, {} as never)).toThrow(/must be a Tracer/);
    expect(() => openTelemetrySpans(socket, tracer().tracer, { lateCloseWaitMs: -1 })).toThrow(/`lateCloseWaitMs` must be .* got -1/);
    expect(() => openTelemetrySpans(socket, tracer().tracer, { spanName: '' })).toThrow(/`spanName`/);
  });
});

describe('sentryBreadcrumbs and datadogVitals: the records', () => {
  it('Sentry: one breadcrumb per close at the level of its kind, one per reconnect', async () => {
    const crumbs: WebSocketBreadcrumb[] = [];
    const { socket, native } = await connected({ redactUrl: false }, SECRET_URL);
    sentryBreadcrumbs(socket, { addBreadcrumb: (b) => crumbs.push(b) });
    native.fail();
    expect(crumbs.map((c) => [c.category, c.level, c.data.kind ?? null, c.data.attempt ?? null])).toEqual([
      ['websocket', 'warning', 'abnormal', null],
      ['websocket', 'info', null, 1],
    ]);
    expect(crumbs[0]!.data).toMatchObject({ url: 'ws://example.test/live', code: 1006, was_clean: false, diagnosis: 'network' });
    expect(crumbs[0]!.timestamp).toBeCloseTo(socket.traces[0]!.closeAt / 1000, 3);
    expect(() => sentryBreadcrumbs(socket, {} as never)).toThrow(/must be Sentry/);
    socket.close();
  });

  it('Datadog: a duration vital per close from the attempt, else an action', async () => {
    const vitals: Array<[string, { startTime: number; duration: number; context?: any }]> = [];
    const actions: Array<[string, any]> = [];
    const a = opened();
    datadogVitals(a.socket, { addDurationVital: (name, o) => vitals.push([name, o]) });
    await settle(30);
    a.socket.close();
    await settle(100);
    const trace = a.socket.trace!;
    expect(vitals).toHaveLength(1);
    expect(vitals[0]![0]).toBe('websocket');
    expect(vitals[0]![1].startTime).toBe(trace.connectAt);
    expect(vitals[0]![1].duration).toBe(trace.closeAt - trace.connectAt);
    expect(vitals[0]![1].context.websocket).toMatchObject({ close_code: 1006, was_clean: false, close_initiator: 'client', kind: 'timeout', diagnosis: 'server-not-reading', url: 'ws://example.test/live' });
    const b = opened();
    datadogVitals(b.socket, { addAction: (name, context) => actions.push([name, context]) }, { name: 'ws' });
    b.socket.terminate();
    expect(actions.map(([name, c]) => [name, c.websocket.kind])).toEqual([['ws', 'abnormal']]);
    expect(() => datadogVitals(b.socket, {})).toThrow(/must be datadogRum/);
  });
});
