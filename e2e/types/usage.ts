/**
 * Type tests of the public API (mitt's test/test-types-compilation.ts):
 * every plain line must compile, and every `// @ts-expect-error` line must
 * not, so misuse stays a compile error. `npm run test:types` checks it;
 * nothing here runs.
 */
import WS from 'ws';
import {
  type CloseInfo,
  type CloseKind,
  type CloseTrace,
  type Options,
  ResilientSocket,
  type SocketError,
  type SocketErrorCode,
  type SocketSnapshot,
  type SocketState,
  type SocketStats,
  type SocketStore,
  toStore,
} from '../../src/index';

/** Compiles only when `A` and `B` are the same type; `any` matches nothing else. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// ── construction ──────────────────────────────────────────────────────────

const socket = new ResilientSocket('wss://example.com/live');
new ResilientSocket(new URL('wss://example.com/live'));
new ResilientSocket(async () => `wss://example.com/live?token=${await Promise.resolve('t')}`);
new ResilientSocket('wss://example.com/live', {
  protocols: ['v1.json'],
  closeTimeout: 500,
  minReconnectDelay: 250,
  jitter: 'decorrelated',
  maxRetries: Infinity,
  heartbeat: { interval: 10_000, timeout: 3_000, message: () => JSON.stringify({ type: 'ping' }), isPong: (data) => data === '{"type":"pong"}' },
  shouldReconnect: (info) => (info.code === 1013 ? 10_000 : info.kind !== 'clean'),
  redactUrl: (url) => url.replace(/token=[^&]+/, 'token=…'),
  binaryType: 'arraybuffer',
});
const options: Options = { heartbeat: true, stallTimeout: 5_000 };
new ResilientSocket('wss://example.com/live', options);
// Node: the README's usage, `ws`'s WebSocket as the constructor.
new ResilientSocket('ws://127.0.0.1:8080', { WebSocket: WS });

// ── events: one map types every handler ───────────────────────────────────

socket.on('close', (info) => {
  const kind: 'clean' | 'abnormal' | 'timeout' = info.kind;
  assertType<Equal<typeof info.kind, CloseKind>>();
  assertType<Equal<typeof info, CloseInfo>>();
  const latency: number | null = info.latencyMs;
  return [kind, latency];
});
socket.on('message', (event) => {
  assertType<Equal<typeof event, MessageEvent>>();
});
socket.on('error', (error) => {
  assertType<Equal<typeof error, SocketError>>();
  const code: SocketErrorCode = error.code;
  const connection: number | null = error.connection;
  return [code, connection];
});
socket.on('state', ({ state, previous }) => {
  assertType<Equal<typeof state, SocketState>>();
  return previous;
});
socket.on('open', ({ connection, retries, connectMs }) => connection + retries + connectMs);
socket.on('reconnect', ({ attempt, delayMs }) => attempt + delayMs);
socket.on('drop', ({ data, reason }) => (reason === 'queue-full' ? data : null));
socket.on('trace', (trace) => {
  assertType<Equal<typeof trace, CloseTrace>>();
  const native: number | null = trace.nativeLatencyMs;
  return native;
});
const onClose = (info: CloseInfo): void => void info;
socket.on('close', onClose);
socket.off('close', onClose);

// ── methods and properties ────────────────────────────────────────────────

const accepted: boolean = socket.send('text');
socket.send(new Uint8Array([1, 2, 3]));
socket.send(new ArrayBuffer(8));
socket.send(new Blob(['x']));
const settled: Promise<CloseInfo> = socket.close();
socket.close(1000, 'bye');
socket.close(4000);
socket.reconnect();
const state: SocketState = socket.state;
const readyState: number = socket.readyState;
const traces: readonly CloseTrace[] = socket.traces;
// @ts-expect-error a frozen snapshot: not to be mutated
socket.traces.push(traces[0]!);
const stats: SocketStats = socket.stats;
const store: SocketStore = toStore(socket);
const unsubscribe: () => void = store.subscribe(() => {});
unsubscribe();
const snapshot: SocketSnapshot = store.getSnapshot();
assertType<Equal<typeof snapshot.traces, readonly CloseTrace[]>>();
assertType<Equal<typeof snapshot.lastMessage, MessageEvent | null>>();
// @ts-expect-error the snapshot is read-only
snapshot.state = 'open';
const cleanCloses: number = stats.closesByKind.clean;
const open: 1 = ResilientSocket.OPEN;

// ── misuse: each line below must fail to compile ──────────────────────────

// @ts-expect-error an unknown event name
socket.on('closed', () => {});
// @ts-expect-error a property the close payload does not have
socket.on('close', (info) => info.status);
// @ts-expect-error a handler for another event's payload
socket.on('message', (info: CloseInfo) => info);
// @ts-expect-error an option of the wrong type
new ResilientSocket('wss://example.com', { closeTimeout: '1000' });
// @ts-expect-error an unknown option key in an object literal (a typo)
new ResilientSocket('wss://example.com', { closeTimout: 1000 });
// @ts-expect-error an unknown jitter mode
new ResilientSocket('wss://example.com', { jitter: 'half' });
// @ts-expect-error an unknown heartbeat key
new ResilientSocket('wss://example.com', { heartbeat: { intervalMs: 1000 } });
// @ts-expect-error a close code must be a number
socket.close('x');
// @ts-expect-error a close reason must be a string
socket.close(1000, 42);
// @ts-expect-error numbers are not sendable
socket.send(42);
// @ts-expect-error the state is read-only
socket.state = 'open';
socket.on('close', (info) => {
  // @ts-expect-error the payload is read-only
  info.kind = 'clean';
});
socket.on('close', (info) => {
  // @ts-expect-error the kind is a union, not one member
  const clean: 'clean' = info.kind;
  return clean;
});

export { accepted, settled, state, readyState, traces, cleanCloses, open };
