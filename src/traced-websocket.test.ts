import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocketConstructor } from './options.js';
import { FakeWebSocket, FakeWebSocketCtor, useFakeWorld } from './test-helpers/fake-websocket.js';
import { TracedWebSocket } from './traced-websocket.js';

/** What a browser throws for a URL, sub-protocol or close reason it refuses. */
const DOM_SYNTAX_ERROR = expect.objectContaining({ name: 'SyntaxError', constructor: DOMException });

const URL = 'ws://example.test/live';
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

function make(options: ConstructorParameters<typeof TracedWebSocket>[2] = {}, protocols?: string | string[]) {
  const socket = new TracedWebSocket(URL, protocols, { WebSocket: FakeWebSocketCtor, ...options });
  const log: string[] = [];
  for (const type of ['open', 'message', 'error', 'close', 'trace']) socket.addEventListener(type, (e) => log.push(type + (type === 'close' ? `:${(e as CloseEvent).code}` : '')));
  return { socket, log, native: FakeWebSocket.last() };
}

useFakeWorld();

describe('TracedWebSocket: the WHATWG interface', () => {
  it('has the constants on the class and on instances, and is an EventTarget', () => {
    const { socket } = make();
    expect([TracedWebSocket.CONNECTING, TracedWebSocket.OPEN, TracedWebSocket.CLOSING, TracedWebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(socket).toBeInstanceOf(EventTarget);
    expect(socket.readyState).toBe(0);
    expect(socket.url).toBe(URL);
  });

  it('calls handler properties and listeners in the order they were added, with real events', () => {
    const { socket, native } = make();
    const order: string[] = [];
    socket.addEventListener('open', () => order.push('listener 1'));
    socket.onopen = () => order.push('onopen');
    socket.addEventListener('open', (e) => order.push(`listener 2 ${e instanceof Event}`));
    // Reassigning keeps the handler's place, as in the browser.
    socket.onopen = function (this: TracedWebSocket) {
      order.push(`onopen again ${this === socket}`);
    };
    native.serverOpen();
    expect(order).toEqual(['listener 1', 'onopen again true', 'listener 2 true']);
    expect(socket.readyState).toBe(1);
    socket.onopen = null;
    expect(socket.onopen).toBeNull();
  });

  it('sets binaryType on the native socket at once, also right after construction', () => {
    const { socket, native } = make();
    socket.binaryType = 'arraybuffer';
    expect(native.binaryType).toBe('arraybuffer');
    socket.binaryType = 'bogus' as 'blob';
    expect(socket.binaryType).toBe('arraybuffer');
  });

  it('dispatches messages as MessageEvents with the native data', () => {
    const { socket, native } = make();
    const data: unknown[] = [];
    socket.onmessage = (e) => data.push(e.data);
    native.serverOpen();
    const bytes = new ArrayBuffer(2);
    native.serverMessage('text');
    native.serverMessage(bytes);
    expect(data).toEqual(['text', bytes]);
  });

  it('throws InvalidStateError on send() while CONNECTING, sends when open, discards once closing', () => {
    const { socket, native } = make();
    expect(() => socket.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    native.serverOpen();
    socket.send('a');
    socket.close();
    socket.send('b');
    expect(native.sent).toEqual(['a']);
  });

  it('validates close() as the browser does', () => {
    const { socket, native } = make();
    native.serverOpen();
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => socket.close(1000, 'é'.repeat(62))).toThrow(DOM_SYNTAX_ERROR);
    socket.close('3000.7' as unknown as number, 'bye');
    expect(native.closeCalls).toEqual([{ code: 3001, reason: 'bye' }]);
  });

  it('refuses what the browser refuses, at once', () => {
    expect(() => new TracedWebSocket('ftp://x', undefined, { WebSocket: FakeWebSocketCtor })).toThrow(DOM_SYNTAX_ERROR);
    expect(() => new TracedWebSocket(URL, ['a b'], { WebSocket: FakeWebSocketCtor })).toThrow(DOM_SYNTAX_ERROR);
    expect(() => new TracedWebSocket(URL, undefined, { WebSocket: FakeWebSocketCtor, closeTimeout: -1 })).toThrow(RangeError);
    expect(() => new TracedWebSocket(URL, undefined, { WebSocket: FakeWebSocketCtor, heartbeat: true } as never)).toThrow(/Unknown option `heartbeat`/);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('passes sub-protocols to the native socket', () => {
    make({}, 'graphql-transport-ws');
    expect(FakeWebSocket.last().protocols).toEqual(['graphql-transport-ws']);
  });
});

describe('TracedWebSocket: the honest close', () => {
  it('server silent: CLOSED after closeTimeout with 1006, not clean, a timeout trace; the late close lands in it', async () => {
    const { socket, log, native } = make({ closeTimeout: 500 });
    native.serverOpen();
    let closeEvent: CloseEvent | null = null;
    socket.onclose = (e) => (closeEvent = e as CloseEvent);
    socket.close();
    expect(socket.readyState).toBe(2);
    await settle(499);
    expect(closeEvent).toBeNull();
    await settle(1);
    expect(socket.readyState).toBe(3);
    expect(closeEvent).toMatchObject({ code: 1006, wasClean: false });
    expect(socket.trace).toMatchObject({ kind: 'timeout', cause: 'user', initiator: 'client', latencyMs: 500, nativeCloseAt: null });
    expect(log).toEqual(['open', 'close:1006', 'trace']);
    expect(vi.getTimerCount()).toBe(0);
    await settle(59_500);
    native.serverClose(1006, '', false);
    expect(socket.trace).toMatchObject({ kind: 'timeout', nativeLatencyMs: 60_000, nativeCode: 1006 });
    expect(log).toEqual(['open', 'close:1006', 'trace', 'trace']);
  });

  it('server answers: the browser’s own close, clean, and never a clean report otherwise', async () => {
    const { socket, native } = make();
    native.serverOpen();
    socket.close(4000, 'bye');
    await settle(20);
    native.serverClose(4000, 'bye', true);
    expect(socket.trace).toMatchObject({ code: 4000, kind: 'clean', wasClean: true, latencyMs: 20 });
    const dropped = make();
    dropped.native.serverOpen();
    dropped.native.fail();
    expect(dropped.socket.trace).toMatchObject({ code: 1006, wasClean: false, kind: 'abnormal', initiator: 'network' });
    expect(dropped.log).toEqual(['open', 'error', 'close:1006', 'trace']);
  });

  it('terminate() abandons at once: 1006, not clean', () => {
    const { socket, log, native } = make();
    native.serverOpen();
    socket.terminate();
    expect(socket.readyState).toBe(3);
    expect(log).toEqual(['open', 'close:1006', 'trace']);
    expect(socket.trace).toMatchObject({ code: 1006, wasClean: false, kind: 'abnormal', latencyMs: 0 });
  });

  it('terminate() while close() waits for its echo: closed at once, under the close asked for', () => {
    const { socket, log, native } = make({ closeTimeout: 5000 });
    native.serverOpen();
    socket.close(4000, 'bye');
    expect(socket.readyState).toBe(2);
    socket.terminate();
    expect(socket.readyState).toBe(3);
    expect(log).toEqual(['open', 'close:1006', 'trace']);
    expect(socket.trace).toMatchObject({ code: 1006, wasClean: false, kind: 'abnormal', cause: 'user', initiator: 'client' });
    expect(native.closeCalls).toEqual([{ code: 4000, reason: 'bye' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('connectTimeout: an error, then close 1006', async () => {
    const { socket, log } = make({ connectTimeout: 1000 });
    await settle(1000);
    expect(socket.readyState).toBe(3);
    expect(log).toEqual(['error', 'close:1006', 'trace']);
    expect(socket.trace).toMatchObject({ cause: 'connect-timeout' });
  });

  it('nativeErrorAt: when the native socket fired error before an abnormal close; null when it fired none', async () => {
    const dropped = make();
    dropped.native.serverOpen();
    await settle(30);
    const before = performance.now() + performance.timeOrigin;
    dropped.native.fail();
    expect(dropped.socket.trace!.nativeErrorAt).toBe(before);
    expect(dropped.socket.trace!.closeAt).toBe(before);
    const clean = make();
    clean.native.serverOpen();
    clean.native.serverClose(1012, 'restart', true);
    expect(clean.socket.trace).toMatchObject({ code: 1012, nativeErrorAt: null });
    // An error after the close was reported is not the connection's: it is not recorded.
    const late = make({ closeTimeout: 100 });
    late.native.serverOpen();
    late.socket.close();
    await settle(100);
    late.native.fail();
    expect(late.socket.trace).toMatchObject({ kind: 'timeout', nativeErrorAt: null, nativeCode: 1006 });
  });

  it('afterFailureMs: an attempt soon after a failed connection to the same host says how soon, in its trace and its error', async () => {
    const first = make();
    first.native.fail();
    expect(first.socket.trace!.afterFailureMs).toBeNull();
    await settle(250);
    const errors: string[] = [];
    const second = make({ connectTimeout: 1000 });
    second.socket.addEventListener('error', (e) => errors.push((e as Event & { error: Error }).error.message));
    await settle(1000);
    expect(second.socket.trace).toMatchObject({ cause: 'connect-timeout', afterFailureMs: 250 });
    expect(errors[0]).toMatch(/began 250 ms after a failed connection to this host/);
    // Another host, or one that failed over a minute before, is not held back.
    const other = new TracedWebSocket('ws://elsewhere.test/', undefined, { WebSocket: FakeWebSocketCtor });
    FakeWebSocket.last().fail();
    expect(other.trace!.afterFailureMs).toBeNull();
    await settle(60_001);
    const later = make();
    later.native.fail();
    expect(later.socket.trace!.afterFailureMs).toBeNull();
    // One that opens has none, whatever came before.
    const opened = make();
    opened.native.serverOpen();
    opened.socket.terminate();
    expect(opened.socket.trace!.afterFailureMs).toBeNull();
  });

  it('afterFailureMs: a close this page asked for before the open is no failure of the host', async () => {
    const first = make();
    first.socket.close();
    await settle(2000);
    const second = make();
    second.native.fail();
    expect(second.socket.trace!.afterFailureMs).toBeNull();
  });

  it('with() binds options into a subclass that constructs with (url, protocols) only', async () => {
    const Bound = TracedWebSocket.with({ closeTimeout: 100, WebSocket: FakeWebSocketCtor });
    const socket = new Bound(URL, 'chat');
    expect(socket).toBeInstanceOf(TracedWebSocket);
    expect(Bound.OPEN).toBe(1);
    FakeWebSocket.last().serverOpen();
    socket.close();
    await settle(100);
    expect(socket.readyState).toBe(3);
    expect(() => TracedWebSocket.with({ closeTimeout: -5 })).toThrow(RangeError);
  });

  it('has no own properties, as the native socket: nothing that walks it (JSON, a log, an error tracker) sees its URL', async () => {
    const secret = 'ws://user:SECRET@example.test/live?token=SECRET';
    const socket = new TracedWebSocket(secret, undefined, { WebSocket: FakeWebSocketCtor });
    socket.onmessage = () => {};
    const seen = () => [Object.keys(socket), JSON.stringify(socket), inspect(socket, { depth: Infinity, showHidden: true }).includes('SECRET')];
    expect(seen()).toEqual([[], '{}', false]);
    FakeWebSocket.last().serverOpen();
    socket.send('x');
    socket.close();
    await settle(2000);
    expect(socket.trace?.kind).toBe('timeout');
    expect(seen()).toEqual([[], '{}', false]);
  });

  it('redacts the URL in its trace, and a native constructor’s message that quotes it', async () => {
    const secret = 'ws://example.test/live?token=SECRET';
    const { socket } = { socket: new TracedWebSocket(secret, undefined, { WebSocket: FakeWebSocketCtor }) };
    socket.terminate();
    expect(socket.trace!.url).toBe('ws://example.test/live');
    class Quoting {
      constructor(url: string) {
        throw new DOMException(`The URL '${url}' is invalid.`, 'SyntaxError');
      }
    }
    let thrown: Error | null = null;
    try {
      new TracedWebSocket(secret, undefined, { WebSocket: Quoting as unknown as WebSocketConstructor });
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.name).toBe('SyntaxError');
    expect(thrown?.message).not.toContain('SECRET');
  });
});
