/**
 * The SDK's promises where real pages break them: URL functions that hang,
 * abandoned sockets piling up in the browser, messages the native socket
 * refuses or discards, handlers that change course, secrets in URLs, and
 * input converted as the browser converts it. Fake socket, fake timers.
 */
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { isProxy, reactive } from 'vue';
import type { Options, WebSocketConstructor } from './options.js';
import { ResilientSocket } from './resilient-socket.js';
import { FakeWebSocket, FakeWebSocketCtor, useFakeWorld } from './test-helpers/fake-websocket.js';
import { BASE, URL, connected, create, settle } from './test-helpers/resilient.js';
import { TracedWebSocket } from './traced-websocket.js';

useFakeWorld();

describe('a URL function that never resolves', () => {
  it('fails the attempt after connectTimeout, as a connect timeout, and retries with backoff', async () => {
    const provider = vi.fn(() => new Promise<string>(() => {}));
    const { socket, log } = create({ connectTimeout: 1000 }, provider);
    await settle(999);
    expect(log.error).toHaveLength(0);
    expect(socket.state).toBe('connecting');
    await settle(1);
    expect(log.error[0]).toMatchObject({ code: 'connect-timeout', message: expect.stringContaining('URL provider did not resolve') });
    expect(log.close[0]).toMatchObject({ cause: 'connect-timeout', code: 1006, wasClean: false, willReconnect: true, nextDelayMs: 100 });
    expect(socket.state).toBe('reconnecting');
    await settle(99);
    expect(provider).toHaveBeenCalledTimes(1);
    await settle(2);
    expect(provider).toHaveBeenCalledTimes(2);
    expect(socket.state).toBe('connecting');
    expect(FakeWebSocket.instances).toHaveLength(0);
    await socket.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts the time spent resolving against connectTimeout', async () => {
    const provider = () => new Promise<string>((resolve) => setTimeout(() => resolve(URL), 600));
    const { log } = create({ connectTimeout: 1000 }, provider);
    await settle(600);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await settle(399);
    expect(log.error).toHaveLength(0);
    await settle(1);
    expect(log.error[0]).toMatchObject({ code: 'connect-timeout' });
  });

  it('reconnect() abandons the hung resolution and starts a fresh attempt at once', async () => {
    let calls = 0;
    const provider = () => (++calls === 1 ? new Promise<string>(() => {}) : URL);
    const { socket, log } = create({ connectTimeout: 10_000 }, provider);
    await settle(50);
    socket.reconnect();
    await settle();
    expect(calls).toBe(2);
    FakeWebSocket.last().serverOpen();
    expect(socket.state).toBe('open');
    expect(log.error).toHaveLength(0);
    await settle(20_000);
    expect(log.close).toHaveLength(0);
  });
});

describe('abandoned native sockets', () => {
  it('counts sockets abandoned and still closing, until their browser close fires', async () => {
    const { socket, native } = await connected({ closeTimeout: 100 });
    expect(socket.stats.abandonedSockets).toBe(0);
    socket.reconnect();
    expect(socket.stats.abandonedSockets).toBe(1);
    await settle();
    FakeWebSocket.last().serverOpen();
    void socket.close();
    await settle(100);
    expect(socket.stats.abandonedSockets).toBe(2);
    expect(socket.traces.at(-1)).toMatchObject({ kind: 'timeout', abandonedSockets: 1 });
    native.serverClose(1006, '', false);
    expect(socket.stats.abandonedSockets).toBe(1);
    FakeWebSocket.last().serverClose(1006, '', false);
    expect(socket.stats.abandonedSockets).toBe(0);
  });

  it('slows attempts while many are still closing, and names the condition when an attempt fails', async () => {
    const { socket, log } = await connected({ minReconnectDelay: 0, maxReconnectDelay: 0 });
    // Against a server that never reads, each reconnect() leaves one native socket closing.
    for (let i = 0; i < 40; i++) {
      socket.reconnect();
      // Past 32, each attempt waits a little longer (at most 2 s here).
      await settle(2_500);
      FakeWebSocket.last().serverOpen();
    }
    expect(socket.stats.abandonedSockets).toBe(40);
    // This reconnect() abandons one more: 41 − 32 + 1 = 10 steps of 250 ms before the next attempt.
    socket.reconnect();
    expect(socket.state).toBe('reconnecting');
    const before = FakeWebSocket.instances.length;
    await settle(2_499);
    expect(FakeWebSocket.instances).toHaveLength(before);
    await settle(5);
    expect(FakeWebSocket.instances).toHaveLength(before + 1);
    FakeWebSocket.last().fail();
    expect(log.error.at(-1)).toMatchObject({ code: 'socket-limit', message: expect.stringContaining('41 sockets this page abandoned') });
    expect(log.close.at(-1)).toMatchObject({ willReconnect: true, nextDelayMs: 2_500 });
    expect(socket.traces.at(-1)).toMatchObject({ abandonedSockets: 41 });
  });
});

describe('messages the native socket refuses or discards', () => {
  it('drops a queued message the native send() refuses, and flushes the rest in order', async () => {
    FakeWebSocket.onCreate = (ws) => {
      const send = ws.send.bind(ws);
      ws.send = (data) => {
        if (data === 'bad') throw new TypeError('refused');
        send(data);
      };
    };
    const { socket, log, order } = create();
    socket.send('a');
    socket.send('bad');
    socket.send('c');
    await settle();
    const first = FakeWebSocket.last();
    first.serverOpen();
    expect(first.sent).toEqual(['a', 'c']);
    expect(log.drop).toEqual([{ data: 'bad', reason: 'send-failed' }]);
    expect(log.error[0]).toMatchObject({ code: 'send-failed' });
    expect(order.indexOf('drop')).toBeLessThan(order.indexOf('open'));
    socket.send('d');
    expect(first.sent).toEqual(['a', 'c', 'd']);
    first.serverClose(1012, '', true);
    await settle(100);
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual([]);
  });

  it('after the server’s Close frame: no longer open, sends are queued for the next connection', async () => {
    const { socket, log, native } = await connected();
    native.serverCloseFrame();
    expect(socket.readyState).toBe(2);
    expect(socket.state).toBe('closing');
    expect(log.state.at(-1)).toEqual({ state: 'closing', previous: 'open' });
    expect(socket.send('kept')).toBe(true);
    expect(native.sent).toEqual([]);
    native.serverClose(1012, '', true);
    await settle(100);
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual(['kept']);
    expect(log.drop).toEqual([]);
  });

  it('after the server’s Close frame with no reconnect to follow: sends are dropped, not reported sent', async () => {
    const { socket, log, native } = await connected();
    native.serverCloseFrame();
    const results = Array.from({ length: 20 }, (_, i) => socket.send(`m${i}`));
    expect(native.sent).toEqual([]);
    native.serverClose(1000, '', true);
    expect(socket.state).toBe('closed');
    expect(log.drop).toHaveLength(20);
    expect(log.drop.every((d) => d.reason === 'closed')).toBe(true);
    expect(results.every((r) => r === true)).toBe(true);
    expect(socket.send('after')).toBe(false);
  });

  it('close() after the server’s Close frame still settles within closeTimeout', async () => {
    const { socket, native } = await connected({ closeTimeout: 500 });
    native.serverCloseFrame();
    const settled = vi.fn();
    void socket.close().then(settled);
    await settle(500);
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ kind: 'timeout', code: 1006, willReconnect: false }));
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends binary data as it was at send() time, also when queued', async () => {
    const { socket } = create();
    const view = new Uint8Array([1, 1, 1, 1]);
    socket.send(view);
    view.fill(9);
    const buffer = new Uint8Array([5, 6]).buffer;
    socket.send(buffer);
    structuredClone(buffer, { transfer: [buffer] }); // detaches it
    const sub = new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 3);
    socket.send(sub);
    await settle();
    FakeWebSocket.last().serverOpen();
    const sent = FakeWebSocket.last().sent as Array<ArrayBuffer | Uint8Array>;
    expect([...new Uint8Array(sent[0] as Uint8Array)]).toEqual([1, 1, 1, 1]);
    expect([...new Uint8Array(sent[1] as ArrayBuffer)]).toEqual([5, 6]);
    expect([...new Uint8Array(sent[2] as Uint8Array)]).toEqual([1, 2]);
  });

  it('refuses a view on a SharedArrayBuffer with send-failed, open or not', async () => {
    FakeWebSocket.onCreate = (ws) => {
      const send = ws.send.bind(ws);
      ws.send = (data) => {
        if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) throw new TypeError('shared');
        send(data);
      };
    };
    const { socket, log } = create();
    const shared = new Uint8Array(new SharedArrayBuffer(4)) as unknown as Uint8Array<ArrayBuffer>;
    expect(socket.send(shared)).toBe(false);
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(socket.send(shared)).toBe(false);
    expect(log.drop.map((d) => d.reason)).toEqual(['send-failed', 'send-failed']);
    expect(log.error.map((e) => e.code)).toEqual(['send-failed', 'send-failed']);
  });

  it('converts other values to strings as WebSocket.send() does, open or not, and keeps the byte bound', async () => {
    const { socket, log } = create({ maxQueuedBytes: 1000 });
    const odd = [undefined, null, {}, 42] as unknown as string[];
    for (const value of odd) expect(socket.send(value)).toBe(true);
    expect(socket.bufferedAmount).toBe('undefined'.length + 'null'.length + '[object Object]'.length + 2);
    const big = { toString: () => 'x'.repeat(5000) } as unknown as string;
    expect(socket.send(big)).toBe(false);
    expect(log.drop[0]).toEqual({ data: 'x'.repeat(5000), reason: 'queue-full' });
    await settle();
    const native = FakeWebSocket.last();
    native.serverOpen();
    socket.send({} as unknown as string);
    expect(native.sent).toEqual(['undefined', 'null', '[object Object]', '42', '[object Object]']);
    expect(() => (socket.send as () => boolean)()).toThrow(TypeError);
    expect(() => socket.send(Symbol('s') as unknown as string)).toThrow(TypeError);
  });
});

describe('handlers that throw or change course', () => {
  it('an isPong that throws is an error event, and the message is delivered', async () => {
    const { log, native } = await connected({
      heartbeat: {
        isPong: () => {
          throw new Error('bad parser');
        },
      },
    });
    native.serverMessage('hello');
    expect(log.error[0]).toMatchObject({ code: 'handler', message: expect.stringContaining('isPong') });
    expect(log.message.map((m) => m.data)).toEqual(['hello']);
  });

  it('reconnect() inside a close handler cuts the backoff short', async () => {
    const { socket, log, native } = await connected({ minReconnectDelay: 3000 });
    socket.on('close', () => socket.reconnect());
    native.serverClose(1012, '', true);
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(socket.state).toBe('connecting');
    expect(log.reconnect).toEqual([]);
  });

  it('a send() in a state → open handler goes after the queued messages', async () => {
    const { socket } = create();
    socket.send('a');
    socket.send('b');
    socket.on('state', ({ state }) => state === 'open' && socket.send('late'));
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual(['a', 'b', 'late']);
  });

  it('close() inside a close handler: no reconnect event after the final close', async () => {
    const { socket, order, native } = await connected();
    socket.on('close', () => void socket.close());
    native.serverClose(1012, '', true);
    await settle(1000);
    expect(socket.state).toBe('closed');
    const closedAt = order.indexOf('state:closed');
    expect(order.slice(closedAt)).not.toContain('reconnect');
    expect(order.slice(closedAt).filter((t) => t !== 'trace' && t !== 'close')).toEqual(['state:closed']);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('close() inside a state → open handler: no spurious error, no open event after closing', async () => {
    const { socket, log, order } = create();
    socket.send('queued');
    socket.on('state', ({ state }) => state === 'open' && void socket.close());
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(log.error).toEqual([]);
    expect(FakeWebSocket.last().sent).toEqual(['queued']);
    expect(order.slice(order.indexOf('state:closing'))).not.toContain('open');
  });

  it('close(), reconnect(), close(): each promise settles with the connection it closed, nothing after closed', async () => {
    const { socket, log, order, native } = await connected({ closeTimeout: 1000 });
    const first = socket.close();
    socket.reconnect();
    const third = socket.close();
    await settle(10);
    native.serverClose(1000, '', true);
    const [a, b] = await Promise.all([first, third]);
    expect(a).toMatchObject({ code: 1000, kind: 'clean', cause: 'user', willReconnect: false });
    expect(b).toBe(a);
    expect(log.close).toEqual([a]);
    expect(order.slice(order.indexOf('state:closed'))).toEqual(['state:closed', 'close', 'trace']);
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(log.close).toHaveLength(1);
  });

  it('close() then reconnect(): the close settles with its own connection, and a new one follows it', async () => {
    const { socket, native } = await connected({ closeTimeout: 1000 });
    const closed = socket.close();
    socket.reconnect();
    await settle(1000);
    expect(await closed).toMatchObject({ kind: 'timeout', cause: 'user', willReconnect: true });
    await settle(5);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last().serverOpen();
    expect(socket.state).toBe('open');
    native.serverClose(1006, '', false);
    expect(socket.state).toBe('open');
  });
});

describe('statistics', () => {
  it('URL failures are not 0 ms closes in the close-latency percentiles', async () => {
    const { socket } = create({ minReconnectDelay: 10, maxReconnectDelay: 10 }, () => Promise.reject(new Error('no token')));
    await settle(100);
    expect(socket.stats.closesByCause.url).toBeGreaterThanOrEqual(6);
    expect(socket.traces.every((t) => t.latencyMs === null)).toBe(true);
    expect(socket.stats.p50CloseLatencyMs).toBeNull();
    await socket.close();
  });
});

describe('secrets in URLs', () => {
  const SECRET = 'SECRET-TOKEN';

  it('never reach error messages, causes or traces from a URL function', async () => {
    const { socket, log } = create({}, () => `wss://h.example/live?token=${SECRET}#x`);
    await settle(300);
    expect(log.error.length).toBeGreaterThan(0);
    for (const error of log.error) {
      expect(error.message).not.toContain(SECRET);
      expect(String((error.cause as Error).message)).not.toContain(SECRET);
      expect(String((error.cause as Error).stack)).not.toContain(SECRET);
    }
    expect(JSON.stringify(socket.traces)).not.toContain(SECRET);
    expect(log.error[0]!.message).toContain('has a fragment');
    await socket.close();
  });

  it('never reach a log or a serializer that walks the socket, which has no own properties, as the native has none', async () => {
    const { socket } = await connected({}, `wss://user:${SECRET}@h.example/live?token=${SECRET}`);
    socket.send('x');
    expect(Object.keys(socket)).toEqual([]);
    expect(JSON.stringify(socket)).toBe('{}');
    expect(inspect(socket, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    socket.close();
    await settle(2000);
    expect(socket.traces).toHaveLength(1);
    expect(Object.keys(socket)).toEqual([]);
    expect(inspect(socket, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
  });

  it('never reach the constructor’s exception', () => {
    let message = '';
    try {
      new ResilientSocket(`wss://user:${SECRET}@h.example/live?token=${SECRET}#x`, BASE);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('fragment');
    expect(message).not.toContain(SECRET);
  });

  it('are removed from what a WebSocket constructor throws', async () => {
    class Quoting {
      constructor(url: string) {
        throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, 'SyntaxError');
      }
    }
    const { socket, log } = create({ WebSocket: Quoting as unknown as WebSocketConstructor }, `wss://h.example/?token=${SECRET}`);
    await settle();
    expect(log.error[0]).toMatchObject({ code: 'url' });
    expect(log.error[0]!.message).toContain("'wss://h.example/'");
    expect(log.error[0]!.message).not.toContain(SECRET);
    expect((log.error[0]!.cause as DOMException).name).toBe('SyntaxError');
    expect(String((log.error[0]!.cause as Error).message)).not.toContain(SECRET);
    await socket.close();
  });
});

describe('held in reactive state', () => {
  it('is never wrapped in a Vue proxy, through which its private fields would throw: ResilientSocket and TracedWebSocket', async () => {
    const { socket, native } = await connected();
    const traced = new TracedWebSocket(URL, undefined, { WebSocket: FakeWebSocketCtor });
    const state = reactive({ socket, traced });
    expect(isProxy(state.socket) || isProxy(state.traced)).toBe(false);
    expect(state.socket).toBe(socket);
    expect(Object.prototype.toString.call(socket)).toBe('[object ResilientSocket]');
    state.socket.send('through the state');
    expect(native.sent).toEqual(['through the state']);
    expect(state.traced.readyState).toBe(0);
    state.traced.close();
    state.socket.close();
    await settle(2000);
    expect(state.socket.state).toBe('closed');
  });
});

describe('input converted as the browser converts it', () => {
  it('close() accepts codes WebIDL clamps into range: "1000", 1000.5, 3000.7', async () => {
    for (const [code, sent] of [['1000', 1000], [1000.5, 1000], [3000.7, 3001]] as const) {
      const { socket, native } = await connected();
      void socket.close(code as number, 'bye');
      expect(native.closeCalls).toEqual([{ code: sent, reason: 'bye' }]);
    }
  });

  it('protocols given as [1] or a Set are converted, as the native constructor converts them', async () => {
    create({ protocols: [1] as unknown as string[] });
    await settle();
    expect(FakeWebSocket.last().protocols).toEqual(['1']);
    create({ protocols: new Set(['a', 'b']) as unknown as string[] });
    await settle();
    expect(FakeWebSocket.last().protocols).toEqual(['a', 'b']);
  });

  it('options as an array or a Map, and a WebSocket that cannot be constructed, fail at once', () => {
    expect(() => new ResilientSocket(URL, new Map([['closeTimeout', 5]]) as unknown as Options)).toThrow(TypeError);
    expect(() => new ResilientSocket(URL, [] as unknown as Options)).toThrow(TypeError);
    expect(() => new ResilientSocket(URL, { ...BASE, WebSocket: (() => {}) as unknown as WebSocketConstructor })).toThrow(/`WebSocket`/);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('constructed while offline', () => {
  it('starts offline without an attempt, and connects at once on online', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    vi.stubGlobal('navigator', { onLine: false });
    const { socket, log } = create({ handleOffline: true, minReconnectDelay: 5000 });
    expect(socket.state).toBe('offline');
    await settle(10_000);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(log.error).toEqual([]);
    vi.stubGlobal('navigator', { onLine: true });
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(socket.state).toBe('connecting');
    FakeWebSocket.last().serverOpen();
    expect(socket.state).toBe('open');
  });
});

describe('offline and the back/forward cache together', () => {
  it('restored from the cache while offline, or told online while navigator.onLine is false: stays offline', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const nav = { onLine: true };
    vi.stubGlobal('navigator', nav);
    const { socket, log } = create({ handleOffline: true, handlePageLifecycle: true });
    await settle();
    FakeWebSocket.last().serverOpen();
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }));
    nav.onLine = false;
    win.dispatchEvent(new Event('offline'));
    win.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    win.dispatchEvent(new Event('online'));
    await settle(10_000);
    expect(socket.state).toBe('offline');
    expect(log.state.map((s) => s.state)).not.toContain('connecting');
    expect(FakeWebSocket.instances).toHaveLength(1);
    nav.onLine = true;
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(socket.state).toBe('connecting');
  });
});


describe('unload (pagehide not persisted)', () => {
  it('records the live connection’s final trace before the app’s own pagehide handler runs, and nothing follows', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { socket, log, native } = await connected({ handlePageLifecycle: true });
    native.serverMessage('hi');
    socket.send('queued?');
    // The app's handler, added after the socket's: it already sees the trace.
    const seen: string[] = [];
    win.addEventListener('pagehide', () => seen.push(...log.trace.map((t) => t.cause)));
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(seen).toEqual(['unload']);
    expect(log.trace[0]).toMatchObject({ cause: 'unload', initiator: 'client', kind: 'abnormal', code: 1006, wasClean: false, willReconnect: false, messagesIn: 1, messagesOut: 1 });
    // The server is told why.
    expect(native.closeCalls).toEqual([{ code: 1000, reason: 'unload' }]);
    expect(socket.state).toBe('closed');
    expect(socket.stats.closesByDiagnosis).toEqual({ unload: 1 });
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    // The listeners are gone with it.
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(log.trace).toHaveLength(1);
  });

  it('a 1001 close just before the unload (Firefox closes first) is the unload: its trace goes again, corrected', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { socket, log, native } = await connected({ handlePageLifecycle: true });
    native.serverClose(1001, '', true);
    expect(log.trace[0]).toMatchObject({ code: 1001, initiator: 'server', cause: 'server', willReconnect: true });
    await settle(50);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(log.trace).toHaveLength(2);
    expect(log.trace[1]).toMatchObject({ id: log.trace[0]!.id, code: 1001, wasClean: true, initiator: 'client', cause: 'unload', willReconnect: false });
    expect(socket.traces).toEqual([log.trace[1]]);
    // Counted as what it was.
    expect(socket.stats.closesByCause).toEqual({ unload: 1 });
    expect(socket.stats.closesByDiagnosis).toEqual({ unload: 1 });
    expect(socket.state).toBe('closed');
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('after a 1001 in a page, waits at least as long as an unload may take to follow it: no connection is opened for the unload to kill', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { socket, log, native } = await connected({ handlePageLifecycle: true, minReconnectDelay: 100 });
    native.serverClose(1001, '', true);
    expect(log.reconnect).toEqual([{ attempt: 1, delayMs: 1000 }]);
    expect(log.trace[0]).toMatchObject({ code: 1001, willReconnect: true, nextDelayMs: 1000 });
    await settle(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(log.trace.map((t) => t.cause)).toEqual(['server', 'unload']);
    expect(socket.state).toBe('closed');
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with no unload after it, a 1001 reconnects after that wait; other codes, and a 1001 outside a page, keep the backoff delay', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const inPage = await connected({ handlePageLifecycle: true, minReconnectDelay: 100 });
    inPage.native.serverClose(1001, '', true);
    await settle(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.instances[1]!.serverOpen();
    FakeWebSocket.instances[1]!.serverClose(1011, '', true);
    expect(inPage.log.reconnect.map((r) => r.delayMs)).toEqual([1000, 200]);
    inPage.socket.close();
    const ignoring = await connected({ handlePageLifecycle: false, minReconnectDelay: 100 });
    ignoring.native.serverClose(1001, '', true);
    expect(ignoring.log.reconnect.map((r) => r.delayMs)).toEqual([100]);
    ignoring.socket.close();
    vi.unstubAllGlobals();
    const inNode = await connected({ minReconnectDelay: 100 });
    inNode.native.serverClose(1001, '', true);
    expect(inNode.log.reconnect.map((r) => r.delayMs)).toEqual([100]);
    inNode.socket.close();
  });

  it('a server’s 1001 long before the unload stays the server’s', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { log, native } = await connected({ handlePageLifecycle: true, minReconnectDelay: 5000 });
    native.serverClose(1001, '', true);
    await settle(1500);
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(log.trace).toHaveLength(1);
  });

  it('while waiting to reconnect: closed, with no trace (no connection was live)', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const { socket, log, native } = await connected({ handlePageLifecycle: true });
    native.fail();
    expect(socket.state).toBe('reconnecting');
    win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    expect(socket.state).toBe('closed');
    expect(log.trace).toHaveLength(1);
    await settle(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
