import { describe, expect, it, vi } from 'vitest';
import type { Options } from './options.js';
import { ResilientSocket } from './resilient-socket.js';
import { FakeWebSocket, FakeWebSocketCtor, alwaysFail, useFakeWorld } from './test-helpers/fake-websocket.js';
import { BASE, URL, connected, create, settle } from './test-helpers/resilient.js';

/** What a browser throws for a URL, sub-protocol or close reason it refuses. */
const DOM_SYNTAX_ERROR = expect.objectContaining({ name: 'SyntaxError', constructor: DOMException });

useFakeWorld();

describe('construction and input validation', () => {
  it('throws synchronously for a bad URL or option, and starts nothing', () => {
    expect(() => new ResilientSocket('ftp://x', BASE)).toThrow(DOM_SYNTAX_ERROR);
    expect(() => new ResilientSocket(URL, { ...BASE, closeTimeout: -1 })).toThrow(RangeError);
    expect(() => new ResilientSocket(URL, { ...BASE, closeTimout: 1 } as Options)).toThrow(/closeTimout/);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([1001, 1005, 1006, 999, 2999, 5000, 2999.4, 0])('close(%s) throws an InvalidAccessError naming the code', async (code) => {
    const { socket } = await connected();
    const attempt = () => socket.close(code);
    expect(attempt).toThrow(DOMException);
    expect(attempt).toThrow(expect.objectContaining({ name: 'InvalidAccessError', message: expect.stringContaining(String(code)) }));
    expect(socket.state).toBe('open');
  });

  it('close() refuses a reason over 123 UTF-8 bytes', async () => {
    const { socket, native } = await connected();
    expect(() => socket.close(1000, 'x'.repeat(124))).toThrow(DOM_SYNTAX_ERROR);
    expect(() => socket.close(1000, 'é'.repeat(62))).toThrow(/124 bytes/);
    expect(native.closeCalls).toHaveLength(0);
    expect(socket.state).toBe('open');
  });

  it('a refused close() loses no queued message', async () => {
    const { socket } = create();
    socket.send('a');
    socket.send('b');
    expect(() => socket.close(1001)).toThrow(DOMException);
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual(['a', 'b']);
  });
});

describe('close() by the app', () => {
  // Regression: before 56b5587 the engine's stop() closed the socket first (1000, ''), and close()
  // then settled at once with a synthetic 1006 and a second close event followed.
  it('server silent: settles after exactly closeTimeout; the late native close lands in the trace', async () => {
    const { socket, log, native } = await connected({ closeTimeout: 1000 });
    const settled = vi.fn();
    void socket.close().then(settled);
    expect(socket.state).toBe('closing');
    await settle(999);
    expect(settled).not.toHaveBeenCalled();
    await settle(1);
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ code: 1006, kind: 'timeout', initiator: 'client', cause: 'user', latencyMs: 1000, willReconnect: false }));
    await settle(59_000);
    expect(log.close).toHaveLength(1);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    expect(log.trace).toHaveLength(1);
    expect(log.trace[0]).toMatchObject({ nativeCloseAt: null, nativeCode: null });
    native.serverClose(1006, '', false); // the browser gives up 60 s after close()
    expect(log.trace).toHaveLength(2);
    expect(log.trace[1]).toMatchObject({ kind: 'timeout', latencyMs: 1000, nativeLatencyMs: 60_000, nativeCode: 1006, nativeWasClean: false });
    expect(socket.traces).toEqual([log.trace[1]]);
  });

  it('server answers: sends the app’s code and reason, settles clean with the echo’s latency', async () => {
    const { socket, native } = await connected();
    const settled = vi.fn();
    void socket.close(4000, 'bye').then(settled);
    expect(native.closeCalls).toEqual([{ code: 4000, reason: 'bye' }]);
    await settle(50);
    expect(settled).not.toHaveBeenCalled();
    native.serverClose(4000, 'bye', true);
    await settle();
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ code: 4000, reason: 'bye', kind: 'clean', initiator: 'client', latencyMs: 50 }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('during the backoff, settles at once as the cancelled attempt, leaving no timer', async () => {
    const { socket, log } = await connected();
    FakeWebSocket.last().serverClose(1012, '', true);
    await settle(10);
    expect(socket.state).toBe('reconnecting');
    const info = await socket.close();
    expect(info).toMatchObject({ code: 1006, kind: 'abnormal', initiator: 'client', cause: 'user', latencyMs: 0, willReconnect: false });
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(await socket.close()).toBe(log.close.at(-1));
  });
});

describe('closes by the server and the network', () => {
  it('1012 Service Restart: clean, by the server, reconnects after the backoff', async () => {
    const { socket, log, native } = await connected();
    native.serverClose(1012, 'restart', true);
    expect(log.close[0]).toMatchObject({ code: 1012, codeName: 'Service Restart', reason: 'restart', kind: 'clean', initiator: 'server', cause: 'server', latencyMs: null, willReconnect: true, nextDelayMs: 100 });
    expect(log.reconnect).toEqual([{ attempt: 1, delayMs: 100 }]);
    expect(socket.state).toBe('reconnecting');
    await settle(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await settle(5);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(socket.state).toBe('connecting');
  });

  it.each([1000, 1008, 4001])('server %i: no reconnect, closed, no timer', async (code) => {
    const { socket, log, native } = await connected();
    native.serverClose(code, '', true);
    expect(log.close[0]).toMatchObject({ code, initiator: 'server', willReconnect: false, nextDelayMs: null });
    expect(log.reconnect).toHaveLength(0);
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('1013 Try Again Later waits at least 5 s', async () => {
    const { log, native } = await connected();
    native.serverClose(1013, '', true);
    expect(log.close[0]!.nextDelayMs).toBe(5000 + 3 * 100);
    expect(log.reconnect[0]!.delayMs).toBe(5300);
    await settle(5299);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await settle(5);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('abandons a connection that does not open within connectTimeout, as 1006, and retries', async () => {
    const { log } = create({ connectTimeout: 10_000 });
    await settle(9_999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(log.close).toHaveLength(0);
    await settle(1);
    expect(log.error.map((e) => e.code)).toEqual(['connect-timeout']);
    expect(log.close[0]).toMatchObject({ code: 1006, wasClean: false, kind: 'abnormal', cause: 'connect-timeout', initiator: 'client', willReconnect: true });
    expect(FakeWebSocket.instances[0]!.closeCalls).toEqual([{ code: 1000, reason: 'connect timeout' }]);
    await settle(200);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('stops after maxRetries failed attempts in a row', async () => {
    FakeWebSocket.onCreate = alwaysFail;
    const { socket, log } = create({ maxRetries: 2 });
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(log.close.map((c) => [c.code, c.wasClean, c.initiator])).toEqual(Array(3).fill([1006, false, 'network']));
    expect(log.close.map((c) => c.willReconnect)).toEqual([true, true, false]);
    expect(log.error.map((e) => e.code)).toEqual(Array(3).fill('connect-failed'));
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('sending', () => {
  it('announces a message that overflows the queue, by count or by bytes', () => {
    const { socket, log } = create({ maxQueuedMessages: 2, maxQueuedBytes: 5 });
    expect(socket.send('a')).toBe(true);
    expect(socket.send('😀😀')).toBe(false); // 1 + 8 bytes
    expect(socket.send('😀')).toBe(true); // 1 + 4 bytes: exactly the bound
    expect(socket.send('b')).toBe(false); // a third message
    expect(log.drop).toEqual([{ data: '😀😀', reason: 'queue-full' }, { data: 'b', reason: 'queue-full' }]);
    expect(socket.bufferedAmount).toBe(5);
  });

  it('flushes messages queued while reconnecting once, in order, before `open`', async () => {
    const { socket, log, native } = await connected();
    native.serverClose(1012, '', true);
    socket.send('x');
    socket.send('y');
    await settle(200);
    const second = FakeWebSocket.last();
    second.serverOpen();
    expect(second.sent).toEqual(['x', 'y']);
    expect(log.open).toHaveLength(2);
    socket.send('z');
    second.serverClose(1012, '', true);
    await settle(200);
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual([]);
    expect(native.sent).toEqual([]);
    expect(second.sent).toEqual(['x', 'y', 'z']);
  });

  it('drops queued and new messages once closed for good', async () => {
    const { socket, log } = create();
    socket.send('queued');
    await socket.close();
    expect(socket.send('late')).toBe(false);
    expect(log.drop).toEqual([{ data: 'queued', reason: 'closed' }, { data: 'late', reason: 'closed' }]);
  });
});

describe('heartbeat', () => {
  it('declares death after interval + timeout of silence, then reconnects', async () => {
    const { log, native } = await connected({ heartbeat: { interval: 1000, timeout: 500 } });
    await settle(1000);
    expect(native.sent).toEqual(['ping']);
    await settle(499);
    expect(log.close).toHaveLength(0);
    await settle(1);
    expect(log.close[0]).toMatchObject({ code: 1006, wasClean: false, kind: 'abnormal', cause: 'heartbeat', initiator: 'client', willReconnect: true });
    expect(native.closeCalls).toEqual([{ code: 1000, reason: 'heartbeat timeout' }]);
    expect(log.reconnect).toHaveLength(1);
    await settle(200);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('consumes pongs and keeps the connection alive with them', async () => {
    const { socket, log, native } = await connected({ heartbeat: { interval: 1000, timeout: 500 } });
    for (let i = 0; i < 5; i++) {
      await settle(1000);
      native.serverMessage('pong');
    }
    native.serverMessage('hello');
    expect(native.sent).toEqual(['ping', 'ping', 'ping', 'ping', 'ping']);
    expect(log.message.map((m) => m.data)).toEqual(['hello']);
    expect(log.close).toHaveLength(0);
    void socket.close();
  });
});

describe('traces, events and timers', () => {
  it('keeps at most traceLimit traces, with the URL redacted', async () => {
    const { socket } = await connected({ traceLimit: 2 }, 'wss://user:pw@example.test/live?token=secret');
    for (let i = 0; i < 3; i++) {
      FakeWebSocket.last().serverClose(1012, '', true);
      await settle(200);
      FakeWebSocket.last().serverOpen();
    }
    expect(socket.traces.map((t) => t.connection)).toEqual([2, 3]);
    expect(socket.traces.every((t) => t.url === 'wss://example.test/live')).toBe(true);
    expect(socket.url).toBe('wss://user:pw@example.test/live?token=secret');
  });

  it('a handler that throws is reported and the others still run', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const [boom, after] = [new Error('app bug'), vi.fn()];
    const { socket } = create();
    socket.on('open', () => { throw boom; }); // prettier-ignore
    socket.on('open', after);
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(reportError).toHaveBeenCalledWith(boom);
    expect(after).toHaveBeenCalledTimes(1);
    expect(socket.state).toBe('open');
  });

  it('reconnect() on an open socket abandons it and connects again at once', async () => {
    const { socket, log, native } = await connected();
    socket.reconnect();
    expect(log.close[0]).toMatchObject({ code: 1006, cause: 'reconnect', initiator: 'client', willReconnect: true, nextDelayMs: 0 });
    await settle(5);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(native.closeCalls).toEqual([{ code: 1000, reason: 'reconnect' }]);
    FakeWebSocket.last().serverOpen();
    expect(socket.state).toBe('open');
  });

  // The close that reconnect() causes is not a failed attempt: with maxRetries 1, a drop of the new
  // connection still gets its retry.
  it('reconnect() on a stable connection does not spend a retry', async () => {
    const { socket, log } = await connected({ maxRetries: 1 });
    await settle(10_000); // stable: longer than minUptime
    socket.reconnect();
    await settle(5);
    FakeWebSocket.last().serverOpen();
    FakeWebSocket.last().serverClose(1006, '', false);
    expect(log.open[1]!.retries).toBe(0);
    expect(log.close.at(-1)!.willReconnect).toBe(true);
  });

  it('leaves no timer once closed', async () => {
    const { socket, native } = await connected({ heartbeat: true, stallTimeout: 1000 });
    native.bufferedAmount = 10;
    socket.send('x');
    const closing = socket.close();
    native.serverClose(1000, '', true);
    expect(await closing).toMatchObject({ kind: 'clean', latencyMs: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});
