/**
 * Regression tests for the reconnecting-websocket 4.4.0 defects that src/engine.ts neutralises
 * (numbers as in its module comment and /work/shared/docs/reconnecting-websocket.md).
 *
 * Each scenario states the correct behaviour once, against a small client adapter, and runs twice:
 * against ResilientSocket (`it`: must pass) and against the raw library (`it.fails`: proves that the
 * scenario really catches the defect). Defect 6 (no close-code policy) is covered by policy.test.ts.
 */
import ReconnectingWebSocket from 'reconnecting-websocket';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientSocket } from './resilient-socket';
import { FAKE_TIMERS, FakeWebSocket, FakeWebSocketCtor, alwaysFail } from './test-helpers/fake-websocket';

type Url = string | (() => string | Promise<string>);
interface ClientOptions {
  maxRetries?: number;
  maxQueued?: number;
  /** Use the library's own delay defaults instead of a fixed 100 ms first delay. */
  defaultDelays?: boolean;
}
interface Client {
  closes: Array<{ code: number; wasClean: boolean }>;
  /** Every announcement of a message not sent. */
  drops: unknown[];
  send(data: string): unknown;
  close(): void;
  reconnect(): void;
}
type MakeClient = (url: Url, options?: ClientOptions) => Client;

const resilient: MakeClient = (url, o = {}) => {
  const socket = new ResilientSocket(url, {
    WebSocket: FakeWebSocketCtor,
    handleOffline: false,
    handlePageLifecycle: false,
    ...(o.defaultDelays ? {} : { jitter: 'none' as const, minReconnectDelay: 100, maxReconnectDelay: 1000 }),
    ...(o.maxRetries === undefined ? {} : { maxRetries: o.maxRetries }),
    ...(o.maxQueued === undefined ? {} : { maxQueuedMessages: o.maxQueued }),
  });
  const client: Client = {
    closes: [],
    drops: [],
    send: (data) => socket.send(data),
    close: () => void socket.close(),
    reconnect: () => socket.reconnect(),
  };
  socket.on('close', ({ code, wasClean }) => client.closes.push({ code, wasClean }));
  socket.on('drop', (drop) => client.drops.push(drop));
  return client;
};

const raw: MakeClient = (url, o = {}) => {
  const rws = new ReconnectingWebSocket(url, undefined, {
    WebSocket: FakeWebSocket,
    ...(o.defaultDelays ? {} : { minReconnectionDelay: 100, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 2 }),
    ...(o.maxRetries === undefined ? {} : { maxRetries: o.maxRetries }),
    ...(o.maxQueued === undefined ? {} : { maxEnqueuedMessages: o.maxQueued }),
  });
  const client: Client = {
    closes: [],
    drops: [], // the library has no way to announce a drop
    send: (data) => rws.send(data),
    close: () => rws.close(),
    reconnect: () => rws.reconnect(),
  };
  rws.addEventListener('close', ({ code, wasClean }) => client.closes.push({ code, wasClean }));
  return client;
};

const URL_A = 'ws://a.test/';
const URL_B = 'ws://b.test/';
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS.toFake] });
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
  vi.useRealTimers();
});

async function scenarioFailureIsReportedAs1006(make: MakeClient): Promise<void> {
  const client = make(URL_A);
  await settle();
  FakeWebSocket.last().fail();
  await settle();
  expect(client.closes[0]).toEqual({ code: 1006, wasClean: false });
  client.close();
}

async function scenarioReconnectAfterMaxRetries(make: MakeClient): Promise<void> {
  FakeWebSocket.onCreate = alwaysFail;
  const client = make(URL_A, { maxRetries: 1 });
  await settle(60_000);
  const attempts = FakeWebSocket.instances.length;
  expect(attempts).toBe(2); // the first attempt and one retry, then it stops
  FakeWebSocket.onCreate = null;
  client.reconnect();
  await settle(10_000);
  expect(FakeWebSocket.instances.length).toBe(attempts + 1);
  client.close();
}
