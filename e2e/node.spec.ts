/**
 * The ESM build in Node, with no browser: imported by its package name (so
 * through package.json `exports`), given `WebSocket` from the `ws` package,
 * against the scenario server. Node-only tests: no `page`, no browser launched.
 */
import { WebSocket as WsWebSocket } from 'ws';
import type * as SDK from '../src/index';
import type { CloseInfo, CloseTrace, SocketEvents } from '../src/index';
import { expect, test } from './fixtures';

// The built package by its name, so through package.json `exports`; typed from the
// source it is built from, so that type-checking the specs needs no build.
const PACKAGE: string = 'resilient-socket';
const { ResilientSocket, TracedWebSocket } = (await import(PACKAGE)) as typeof SDK;
type ResilientSocket = SDK.ResilientSocket;

const CLOSE_TIMEOUT = 500;

/** `ws`, remembering every socket it made, so a test can prove none is left open. */
function trackedWs() {
  const made: WsWebSocket[] = [];
  class Tracked extends WsWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      made.push(this);
    }
  }
  // ws's event objects are close enough to the DOM's for the SDK; its types are not.
  return { WebSocket: Tracked as unknown as typeof globalThis.WebSocket, made };
}

/** The next `count` events of `type`, or a rejection naming what never came. */
function next<K extends keyof SocketEvents>(socket: ResilientSocket, type: K, count = 1, ms = 5000): Promise<SocketEvents[K][]> {
  return new Promise((resolve, reject) => {
    const seen: SocketEvents[K][] = [];
    const timer = setTimeout(() => reject(new Error(`${seen.length} of ${count} × ${type} within ${ms} ms`)), ms);
    const handler = (event: SocketEvents[K]) => {
      seen.push(event);
      if (seen.length < count) return;
      clearTimeout(timer);
      socket.off(type, handler);
      resolve(seen);
    };
    socket.on(type, handler);
  });
}

test('echo round-trip and a clean close', async ({ server }) => {
  const ws = trackedWs();
  const socket = new ResilientSocket(server.url('echo'), { WebSocket: ws.WebSocket });
  const [open] = await next(socket, 'open');
  expect(open).toMatchObject({ connection: 1, url: server.url('echo'), retries: 0 });
  const echoed = next(socket, 'message');
  expect(socket.send('hello from node')).toBe(true);
  const [message] = await echoed;
  expect(message!.data).toBe('hello from node');

  const info = await socket.close(1000, 'bye');
  expect(info).toMatchObject({ kind: 'clean', code: 1000, reason: 'bye', wasClean: true, initiator: 'client', cause: 'user', willReconnect: false });
  expect(info.latencyMs).toBeLessThan(CLOSE_TIMEOUT);
  expect(socket.state).toBe('closed');
  expect(ws.made.map((s) => s.readyState)).toEqual([WsWebSocket.CLOSED]);
});

test('close() against a server that never reads settles as a timeout within closeTimeout', async ({ server }) => {
  const ws = trackedWs();
  const socket = new ResilientSocket(server.url('never-reads'), { WebSocket: ws.WebSocket, closeTimeout: CLOSE_TIMEOUT });
  const hello = next(socket, 'message');
  await next(socket, 'open');
  expect((await hello)[0]!.data).toBe('hello');

  const t0 = performance.now();
  const info: CloseInfo = await socket.close();
  const elapsed = performance.now() - t0;
  expect(info).toMatchObject({ kind: 'timeout', code: 1006, wasClean: false, initiator: 'client', cause: 'user', willReconnect: false });
  expect(info.latencyMs).toBeGreaterThanOrEqual(CLOSE_TIMEOUT);
  // Against the peer's never-coming echo; the margin absorbs a loaded machine.
  expect(elapsed).toBeLessThan(CLOSE_TIMEOUT + 1000);
  expect(socket.state).toBe('closed');

  // ws would wait 30 s for the Close echo; dropping the server side ends it now,
  // so no handle outlives the test, and the late native close lands in the trace.
  const late = next(socket, 'trace');
  expect(server.router.kill('never-reads')).toBe(1);
  const [trace] = (await late) as CloseTrace[];
  expect(trace).toMatchObject({ connection: 1, kind: 'timeout', nativeCode: 1006, nativeWasClean: false });
  expect(trace!.nativeLatencyMs).toBeGreaterThan(info.latencyMs!);
  expect(socket.traces).toHaveLength(1);
  expect(ws.made.map((s) => s.readyState)).toEqual([WsWebSocket.CLOSED]);
});

test('a reset connection is abnormal 1006 from the network, and the socket reconnects and works', async ({ server }) => {
  const ws = trackedWs();
  const socket = new ResilientSocket(server.url('reset', { after: 100, times: 1 }), {
    WebSocket: ws.WebSocket,
    minReconnectDelay: 100,
    jitter: 'none',
  });
  const opens = next(socket, 'open', 2);
  const [close] = await next(socket, 'close');
  expect(close).toMatchObject({ kind: 'abnormal', code: 1006, wasClean: false, initiator: 'network', cause: 'network', willReconnect: true, latencyMs: null, nextDelayMs: 100 });
  const [, reopened] = await opens;
  expect(reopened).toMatchObject({ connection: 2, retries: 1 });

  const echoed = next(socket, 'message');
  socket.send('after reset');
  expect((await echoed)[0]!.data).toBe('after reset');
  expect(server.router.accepted('reset')).toBe(2);
  expect((await socket.close()).kind).toBe('clean');
  expect(ws.made.map((s) => s.readyState)).toEqual([WsWebSocket.CLOSED, WsWebSocket.CLOSED]);
});

test('without a WebSocket option, where there is no global WebSocket, it throws a TypeError naming ws', async ({ server }) => {
  // Node 20 has no global WebSocket; later versions do, so take it away for this test.
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
  try {
    expect(() => new ResilientSocket(server.url('echo'))).toThrow(TypeError);
    expect(() => new ResilientSocket(server.url('echo'))).toThrow(/`WebSocket` option.*no global WebSocket.*`ws` package/);
  } finally {
    if (descriptor) Object.defineProperty(globalThis, 'WebSocket', descriptor);
  }
  expect(server.router.accepted()).toBe(0);
});

test('TracedWebSocket with ws: a round trip, and a close that does not wait for a peer that never reads', async ({ server }) => {
  const ws = trackedWs();
  const echo = new TracedWebSocket(server.url('echo'), undefined, { WebSocket: ws.WebSocket });
  await new Promise((resolve) => (echo.onopen = resolve));
  const message = new Promise<unknown>((resolve) => (echo.onmessage = (event) => resolve(event.data)));
  echo.send('hello from node');
  expect(String(await message)).toBe('hello from node');
  const cleanly = new Promise<unknown>((resolve) => echo.addEventListener('close', resolve));
  echo.close(1000, 'bye');
  expect(await cleanly).toMatchObject({ code: 1000, reason: 'bye', wasClean: true });

  const silent = new TracedWebSocket(server.url('never-reads'), undefined, { WebSocket: ws.WebSocket, closeTimeout: CLOSE_TIMEOUT });
  await new Promise((resolve) => (silent.onopen = resolve));
  const t0 = performance.now();
  const closed = new Promise<unknown>((resolve) => (silent.onclose = resolve));
  silent.close();
  expect(await closed).toMatchObject({ code: 1006, wasClean: false });
  // Against the peer's never-coming echo; the margin absorbs a loaded machine.
  expect(performance.now() - t0).toBeLessThan(CLOSE_TIMEOUT + 1000);
  expect(silent.trace).toMatchObject({ kind: 'timeout', cause: 'user' });
  for (const made of ws.made) made.terminate();
});

