/**
 * Close tracing against servers that misbehave on purpose, in real Chromium,
 * through the IIFE build loaded with <script src>.
 */
import { engineOf } from './engines.js';
import { eventsOf, expect, test, waitForEvents } from './fixtures';

const CLOSE_TIMEOUT = 1000;

test('the IIFE defines one global, a constructor', async ({ harness }) => {
  const shape = await harness.evaluate(() => {
    const RS = (window as any).ResilientSocket;
    return {
      type: typeof RS,
      constants: [RS.CONNECTING, RS.OPEN, RS.CLOSING, RS.CLOSED],
      classify: typeof RS.classifyClose,
      globals: Object.keys(window).filter((k) => /resilient|reconnecting|mitt/i.test(k)),
    };
  });
  expect(shape.type).toBe('function');
  expect(shape.constants).toEqual([0, 1, 2, 3]);
  expect(shape.classify).toBe('function');
  expect(shape.globals).toEqual(['ResilientSocket']);
});

test('close() against a server that never reads settles within closeTimeout, as a timeout, and is final', async ({ harness, server }) => {
  const url = server.url('never-reads');
  await harness.evaluate((u) => (window as any).make(u, { closeTimeout: 1000 }), url);
  const [hello] = await waitForEvents(harness, 'message');
  expect(hello!.data.data).toBe('hello');

  const result = await harness.evaluate(async () => {
    const socket = (window as any).sockets[0];
    const t0 = performance.now();
    const info = await socket.close();
    return { info, elapsed: performance.now() - t0, state: socket.state, readyState: socket.readyState };
  });
  expect(result.info).toMatchObject({ kind: 'timeout', initiator: 'client', cause: 'user', wasClean: false, willReconnect: false });
  expect(result.info.latencyMs).toBeGreaterThanOrEqual(CLOSE_TIMEOUT);
  // The failure this guards against is Chromium's 60 s; the margin absorbs a loaded machine.
  expect(result.elapsed).toBeLessThan(CLOSE_TIMEOUT + 1000);
  expect(result.state).toBe('closed');
  expect(result.readyState).toBe(3);

  // close() is final: nothing reconnects, however long we wait past the backoff.
  await harness.waitForTimeout(1500);
  expect(server.router.accepted('never-reads')).toBe(1);
  expect(await eventsOf(harness, 'close')).toHaveLength(1);
  const [trace] = await eventsOf(harness, 'trace');
  expect(trace!.data).toMatchObject({ connection: 1, kind: 'timeout', nativeCloseAt: null, nativeLatencyMs: null });
  expect(trace!.data.closeRequestedAt).toBeGreaterThan(trace!.data.openAt);
});

test('the browser\'s late close against never-reads lands in the trace when the engine gives up (60 s Chromium, 20 s Firefox)', async ({ harness, server, browserName }) => {
  test.setTimeout(90_000);
  const engineTimeout = engineOf(browserName).nativeCloseTimeoutMs;
  await harness.evaluate((u) => (window as any).make(u, { closeTimeout: 500 }), server.url('never-reads'));
  await waitForEvents(harness, 'open');
  const info = await harness.evaluate(() => (window as any).sockets[0].close());
  expect(info.kind).toBe('timeout');

  const traces = await waitForEvents(harness, 'trace', 2, 0, 75_000);
  const late = traces[1]!.data;
  expect(late.kind).toBe('timeout');
  expect(late.nativeCode).toBe(1006);
  expect(late.nativeWasClean).toBe(false);
  // The engine's own closing-handshake timeout.
  expect(late.nativeLatencyMs).toBeGreaterThan(engineTimeout - 5_000);
  expect(late.nativeLatencyMs).toBeLessThan(engineTimeout + 10_000);
  expect(late.latencyMs).toBeLessThan(late.nativeLatencyMs);
  const kept = await harness.evaluate(() => (window as any).sockets[0].traces);
  expect(kept).toHaveLength(1);
  expect(kept[0].nativeLatencyMs).toBe(late.nativeLatencyMs);
});

test('close() against an echoing server is clean 1000', async ({ harness, server }) => {
  await harness.evaluate((u) => (window as any).make(u), server.url('echo'));
  await waitForEvents(harness, 'open');
  const info = await harness.evaluate(() => (window as any).sockets[0].close(1000, 'bye'));
  expect(info).toMatchObject({ kind: 'clean', code: 1000, wasClean: true, initiator: 'client', cause: 'user', willReconnect: false });
  expect(info.latencyMs).toBeLessThan(CLOSE_TIMEOUT);
  const [trace] = await waitForEvents(harness, 'trace');
  expect(trace!.data.nativeCode).toBe(1000);
  expect(trace!.data.nativeLatencyMs).toBe(info.latencyMs);
});

test('a reset connection is abnormal 1006 from the network, and the socket reconnects and works', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => (window as any).make(u, { minReconnectDelay: 100, jitter: 'none' }),
    server.url('reset', { after: 100, times: 1 }),
  );
  const [close] = await waitForEvents(harness, 'close');
  expect(close!.data).toMatchObject({ kind: 'abnormal', code: 1006, wasClean: false, initiator: 'network', cause: 'network', willReconnect: true, latencyMs: null, nextDelayMs: 100 });
  await waitForEvents(harness, 'open', 2);
  await harness.evaluate(() => (window as any).sockets[0].send('after reset'));
  const [echo] = await waitForEvents(harness, 'message');
  expect(echo!.data.data).toBe('after reset');
  expect(server.router.accepted('reset')).toBe(2);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('1012 Service Restart from the server is clean, server-initiated, and reconnects', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => (window as any).make(u, { minReconnectDelay: 100 }),
    server.url('close-with-code', { code: 1012, reason: 'restarting', times: 1 }),
  );
  const [close] = await waitForEvents(harness, 'close');
  expect(close!.data).toMatchObject({ kind: 'clean', code: 1012, codeName: 'Service Restart', reason: 'restarting', wasClean: true, initiator: 'server', cause: 'server', willReconnect: true, latencyMs: null });
  const [reconnect] = await waitForEvents(harness, 'reconnect');
  expect(reconnect!.data.attempt).toBe(1);
  expect(reconnect!.data.delayMs).toBeLessThanOrEqual(100);
  await waitForEvents(harness, 'open', 2);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('a slow close echo shorter than closeTimeout is clean, with its latency measured', async ({ harness, server }) => {
  await harness.evaluate((u) => (window as any).make(u, { closeTimeout: 2000 }), server.url('slow-close', { delay: 400 }));
  await waitForEvents(harness, 'open');
  const info = await harness.evaluate(() => (window as any).sockets[0].close(4000, 'slow'));
  expect(info).toMatchObject({ kind: 'clean', wasClean: true, code: 4000, reason: 'slow', initiator: 'client' });
  expect(info.latencyMs).toBeGreaterThanOrEqual(400);
  expect(info.latencyMs).toBeLessThan(2000);
});

test('a rejected upgrade emits errors and retries with growing backoff', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => (window as any).make(u, { minReconnectDelay: 100, reconnectDelayFactor: 2, jitter: 'none', maxRetries: 3 }),
    server.url('reject', { status: 503 }),
  );
  const closes = await waitForEvents(harness, 'close', 4);
  const errors = await eventsOf(harness, 'error');
  const reconnects = await eventsOf(harness, 'reconnect');
  expect(errors.length).toBeGreaterThanOrEqual(4);
  expect(errors[0]!.data).toMatchObject({ name: 'SocketError', code: 'connect-failed' });
  expect(reconnects.map((r) => r.data)).toEqual([
    { attempt: 1, delayMs: 100 },
    { attempt: 2, delayMs: 200 },
    { attempt: 3, delayMs: 400 },
  ]);
  // The gaps between attempts follow the delays.
  const attempts = closes.map((c) => c.at);
  expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(200);
  expect(attempts[3]! - attempts[2]!).toBeGreaterThanOrEqual(400);
  expect(closes.map((c) => c.data.willReconnect)).toEqual([true, true, true, false]);
  expect(closes.every((c) => c.data.kind === 'abnormal' && c.data.code === 1006)).toBe(true);
  expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('closed');
  expect(server.router.accepted('reject')).toBe(4);
});

test('messages sent while reconnecting arrive once, in order', async ({ harness, server }) => {
  // A delay long enough that the sends below land while reconnecting, however late the poll sees the close.
  await harness.evaluate(
    (u) => (window as any).make(u, { minReconnectDelay: 2000, jitter: 'none' }),
    server.url('reset', { after: 100, times: 1 }),
  );
  await waitForEvents(harness, 'close');
  const queued = await harness.evaluate(() => {
    const socket = (window as any).sockets[0];
    const accepted = [];
    for (let i = 1; i <= 20; i++) accepted.push(socket.send(`m${i}`));
    return { accepted, state: socket.state, buffered: socket.bufferedAmount };
  });
  expect(queued.state).toBe('reconnecting');
  expect(queued.accepted.every(Boolean)).toBe(true);
  expect(queued.buffered).toBeGreaterThan(0);
  const echoes = await waitForEvents(harness, 'message', 20);
  const expected = Array.from({ length: 20 }, (_, i) => `m${i + 1}`);
  expect(echoes.map((e) => e.data.data)).toEqual(expected);
  expect(server.router.received('reset')).toEqual(expected);
  await harness.evaluate(() => (window as any).sockets[0].close());
});
