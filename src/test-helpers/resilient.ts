/**
 * ResilientSocket on the fake socket, for unit tests: a socket with every
 * event logged (and their order).
 */
import { vi } from 'vitest';
import type { SocketEvents } from '../events.js';
import type { Options, UrlProvider } from '../options.js';
import { ResilientSocket } from '../resilient-socket.js';
import { FakeWebSocket, FakeWebSocketCtor } from './fake-websocket.js';

export const URL = 'ws://example.test/live';
/** No lifecycle listeners, no jitter, a 100 ms first delay: decisions a test can predict. */
export const BASE: Options = { WebSocket: FakeWebSocketCtor, handleOffline: false, handlePageLifecycle: false, jitter: 'none', minReconnectDelay: 100 };
/** Advances fake time, running the microtasks in between. */
export const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
export type Log = { [K in keyof SocketEvents]: Array<SocketEvents[K]> };

/** A socket with {@link BASE} under `options`; `log` holds each event by type, `order` their sequence (`state:<state>` for states). */
export function create(options: Options = {}, url: UrlProvider = URL) {
  const socket = new ResilientSocket(url, { ...BASE, ...options });
  const log = { open: [], message: [], close: [], error: [], reconnect: [], trace: [], state: [], drop: [] } as unknown as Log;
  const order: string[] = [];
  for (const type of Object.keys(log) as Array<keyof SocketEvents>) {
    socket.on(type, (e) => {
      (log[type] as unknown[]).push(e);
      order.push(type === 'state' ? `state:${(e as SocketEvents['state']).state}` : type);
    });
  }
  return { socket, log, order };
}

/** A socket whose first connection is open, and that connection's fake native socket. */
export async function connected(options: Options = {}, url: UrlProvider = URL) {
  const made = create(options, url);
  await settle();
  FakeWebSocket.last().serverOpen();
  return { ...made, native: FakeWebSocket.last() };
}
