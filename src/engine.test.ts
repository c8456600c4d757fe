/**
 * Regression tests for the reconnecting-websocket 4.4.0 defects that src/engine.ts neutralises
 * (numbered as in the module comment of src/engine.ts).
 *
 * Each scenario states the correct behaviour once, against a small client adapter, and runs twice:
 * against ResilientSocket (`it`: must pass) and against the raw library (`it.fails`: proves that the
 * scenario really catches the defect). Defect 6 (no close-code policy) is covered by policy.test.ts.
 * Vitest runs this file against both builds of the library: its ES5 build (project `unit`), which an
 * app's bundler takes, and its TypeScript source (project `rws-source`), which the IIFE compiles.
 */
import ReconnectingWebSocket from 'reconnecting-websocket';
import { describe, expect, it, vi } from 'vitest';
import { ResilientSocket } from './resilient-socket.js';
import { FakeWebSocket, FakeWebSocketCtor, alwaysFail, useFakeWorld } from './test-helpers/fake-websocket.js';

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
  const rws = new ReconnectingWebSocket(url as ConstructorParameters<typeof ReconnectingWebSocket>[0], undefined, {
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
  rws.addEventListener('close', ({ code, wasClean }) => void client.closes.push({ code, wasClean }));
  return client;
};

const URL_A = 'ws://a.test/';
const URL_B = 'ws://b.test/';
const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

useFakeWorld();

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

async function scenarioCloseDuringBackoffThenReconnect(make: MakeClient): Promise<void> {
  const client = make(URL_A);
  await settle();
  FakeWebSocket.last().fail();
  await settle(10); // inside the 100 ms backoff
  client.close();
  await settle(1000); // the backoff would have ended by now
  expect(FakeWebSocket.instances).toHaveLength(1);
  client.reconnect();
  await settle(1000);
  expect(FakeWebSocket.instances).toHaveLength(2);
  client.close();
}

async function scenarioCloseDuringBackoffCancelsTheTimer(make: MakeClient): Promise<void> {
  const provider = vi.fn(() => URL_A);
  const client = make(provider);
  await settle();
  FakeWebSocket.last().fail();
  await settle(10);
  const calls = provider.mock.calls.length;
  client.close();
  expect(vi.getTimerCount()).toBe(0);
  await settle(60_000);
  expect(provider).toHaveBeenCalledTimes(calls);
  expect(FakeWebSocket.instances).toHaveLength(1);
}

/** Runs `body` with Node's unhandled rejections collected instead of failing the run. */
async function collectUnhandledRejections(body: (rejections: unknown[]) => Promise<void>): Promise<void> {
  const rejections: unknown[] = [];
  const saved = process.listeners('unhandledRejection');
  const collect = (reason: unknown) => void rejections.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', collect);
  try {
    await body(rejections);
  } finally {
    await new Promise((resolve) => setImmediate(resolve)); // let Node report what it found first
    process.off('unhandledRejection', collect);
    for (const listener of saved) process.on('unhandledRejection', listener);
  }
}

async function scenarioRejectingUrlProvider(make: MakeClient): Promise<void> {
  await collectUnhandledRejections(async (rejections) => {
    const provider = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error('token service down')).mockResolvedValue(URL_A);
    const client = make(provider);
    await settle(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rejections).toEqual([]);
    expect(provider).toHaveBeenCalledTimes(2);
    expect(FakeWebSocket.for(URL_A)).toHaveLength(1);
    client.close();
  });
}

/** Ms between consecutive attempts to `url` (every attempt fails at once). */
function gaps(url: string): number[] {
  const at = FakeWebSocket.for(url).map((s) => s.createdAt);
  return at.slice(1, 4).map((t, i) => t - at[i]!);
}

async function scenarioFreshJitterPerAttempt(make: MakeClient): Promise<void> {
  const draws = [0.11, 0.83, 0.42, 0.27, 0.95, 0.64, 0.5, 0.33];
  let i = 0;
  vi.spyOn(Math, 'random').mockImplementation(() => draws[i++ % draws.length]!);
  FakeWebSocket.onCreate = alwaysFail;
  const a = make(URL_A, { defaultDelays: true });
  const b = make(URL_B, { defaultDelays: true });
  await settle(30_000);
  a.close();
  b.close();
  const [ga, gb] = [gaps(URL_A), gaps(URL_B)];
  expect(ga).toHaveLength(3);
  expect(gb).toHaveLength(3);
  ga.forEach((gap, n) => expect(gap, `retry ${n + 1}`).not.toBe(gb[n]));
}

async function scenarioQueueOverflowIsAnnounced(make: MakeClient): Promise<void> {
  const client = make(URL_A, { maxQueued: 2 });
  client.send('a');
  client.send('b');
  expect(client.send('c')).toBe(false);
  expect(client.drops).toEqual([{ data: 'c', reason: 'queue-full' }]);
  await settle();
  FakeWebSocket.last().serverOpen();
  expect(FakeWebSocket.last().sent).toEqual(['a', 'b']);
  client.close();
}

async function scenarioConnectTimeoutIsReportedAs1006(make: MakeClient): Promise<void> {
  const client = make(URL_A);
  await settle(15_000); // past either library's connect timeout; the server never answers
  expect(client.closes[0]).toEqual({ code: 1006, wasClean: false });
  client.close();
}

const scenarios: Array<[string, (make: MakeClient) => Promise<void>]> = [
  ['1. a failed connection is reported as 1006, not clean', scenarioFailureIsReportedAs1006],
  ['1. a connect timeout is reported as 1006, not clean', scenarioConnectTimeoutIsReportedAs1006],
  ['2. reconnect() after maxRetries starts a new attempt', scenarioReconnectAfterMaxRetries],
  ['3. reconnect() after close() during the backoff starts a new attempt', scenarioCloseDuringBackoffThenReconnect],
  ['4. close() during the backoff leaves no timer and no URL provider call', scenarioCloseDuringBackoffCancelsTheTimer],
  ['5. a rejecting URL provider leaves no unhandled rejection, and a retry follows', scenarioRejectingUrlProvider],
  ['7. two clients draw different delays at each retry', scenarioFreshJitterPerAttempt],
  ['8. a message that overflows the queue is announced', scenarioQueueOverflowIsAnnounced],
];

// SHOW_RAW=1 runs the raw variants as plain tests, to read how each defect shows.
describe.each(scenarios)('defect %s', (_, scenario) => {
  it('ResilientSocket behaves correctly', () => scenario(resilient));
  (process.env.SHOW_RAW ? it : it.fails)('raw reconnecting-websocket 4.4.0 shows the defect', () => scenario(raw));
});

describe('details beyond the shared scenarios', () => {
  it('5. ResilientSocket reports a URL provider failure as error code "url" and close cause "url"', async () => {
    const provider = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error('token service down')).mockResolvedValue(URL_A);
    const socket = new ResilientSocket(provider, { WebSocket: FakeWebSocketCtor, handleOffline: false, handlePageLifecycle: false, jitter: 'none', minReconnectDelay: 100 });
    const errors: Array<{ code: string; message: string }> = [];
    const closes: Array<{ cause: string; initiator: string; willReconnect: boolean }> = [];
    socket.on('error', (e) => errors.push(e));
    socket.on('close', (c) => closes.push(c));
    await settle();
    expect(errors).toMatchObject([{ code: 'url', message: expect.stringContaining('token service down') }]);
    expect(closes).toMatchObject([{ cause: 'url', initiator: 'client', willReconnect: true }]);
    expect(FakeWebSocket.instances).toHaveLength(0);
    await settle(99);
    expect(provider).toHaveBeenCalledTimes(1); // still waiting out the 100 ms backoff
    await settle(5);
    expect(provider).toHaveBeenCalledTimes(2);
    FakeWebSocket.last().serverOpen();
    expect(socket.state).toBe('open');
    void socket.close();
  });

  it('7. raw reconnecting-websocket: one minimum for every instance and attempt, growing ×1.3', async () => {
    FakeWebSocket.onCreate = alwaysFail;
    const a = raw(URL_A, { defaultDelays: true });
    const b = raw(URL_B, { defaultDelays: true });
    await settle(20_000);
    a.close();
    b.close();
    const [ga, gb] = [gaps(URL_A), gaps(URL_B)];
    expect(ga).toEqual(gb);
    expect(ga[0]).toBeGreaterThanOrEqual(1000);
    expect(ga[0]).toBeLessThan(5000);
    expect(ga[1]! / ga[0]!).toBeCloseTo(1.3, 2);
    expect(ga[2]! / ga[0]!).toBeCloseTo(1.69, 2);
  });
});
