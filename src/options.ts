/**
 * Options: the public option types, their defaults (declared once, in
 * {@link DEFAULTS}), and validation that fails at once with the error a
 * browser would throw and a message naming the option and the value.
 *
 * @module
 */
import type { CloseInfo } from './close-info.js';
import { describe, invalidAccess, syntaxError } from './errors.js';
import { toDomString, utf8Length } from './webidl.js';

/** The binary types a WebSocket accepts (declared here so that the types need no DOM lib). */
export type SocketBinaryType = 'blob' | 'arraybuffer';

/** Data the socket can send, as for `WebSocket.send()`. */
export type SendData = string | ArrayBuffer | Blob | ArrayBufferView<ArrayBuffer>;

/** A URL, or a function that returns one (or a Promise of one) before each attempt, e.g. to refresh a token. */
export type UrlProvider = string | URL | (() => string | URL | Promise<string | URL>);

/** The native events the SDK listens to. */
export type NativeEventType = 'open' | 'message' | 'error' | 'close';

/**
 * What the SDK uses of a native socket: the browser's `WebSocket`, `ws` in
 * Node, or any class with these members. Listeners are passed as objects
 * with `handleEvent`, as `EventTarget` allows.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly extensions: string;
  send(data: SendData): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: NativeEventType, listener: { handleEvent(event: any): void }): void;
  removeEventListener(type: NativeEventType, listener: { handleEvent(event: any): void }): void;
}

/** A `WebSocket` constructor: the browser's, or e.g. `ws` in Node. */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[]): WebSocketLike;
}

/** Which random jitter to add to each reconnect delay (AWS, "Exponential Backoff and Jitter"). */
export type JitterMode = 'full' | 'decorrelated' | 'none';

/**
 * The reconnect policy: decides after each close whether to connect again.
 * Return `true` to reconnect after the backoff delay, a number to reconnect
 * after that many milliseconds, or `false` to stop for good.
 */
export type ReconnectPolicy = (info: CloseInfo) => boolean | number;

/** Heartbeat settings. See {@link Options.heartbeat}. */
export interface HeartbeatOptions {
  /**
   * Milliseconds between pings. A ping is skipped while inbound messages keep arriving.
   * @default 15000
   */
  interval?: number;
  /**
   * Milliseconds to wait after a ping for any inbound message before the connection is declared dead.
   * @default 5000
   */
  timeout?: number;
  /**
   * The ping to send: data, or a function that returns it for each ping.
   * @default "ping"
   */
  message?: SendData | (() => SendData);
  /**
   * Recognises the server's pong. A matching message proves the connection alive
   * and is consumed: it is not emitted as `message`.
   * @default (data) => data === "pong"
   */
  isPong?: (data: unknown) => boolean;
}

/** Options for `new ResilientSocket(url, options)`. Every option is optional. */
export interface Options {
  /**
   * Sub-protocols to offer, as for `new WebSocket(url, protocols)`.
   * @default []
   */
  protocols?: string | string[];
  /**
   * Milliseconds `close()` waits for the server's Close echo before it reports
   * `kind: 'timeout'` and detaches from the native socket.
   * @default 1000
   */
  closeTimeout?: number;
  /**
   * Milliseconds a connection may take to open before the SDK abandons it
   * (`cause: 'connect-timeout'`) and tries again.
   * @default 10000
   */
  connectTimeout?: number;
  /**
   * Base of the exponential backoff: the ceiling of the first retry's delay, in ms.
   * @default 1000
   */
  minReconnectDelay?: number;
  /**
   * Cap of the exponential backoff, in ms.
   * @default 30000
   */
  maxReconnectDelay?: number;
  /**
   * Growth of the backoff ceiling per failed attempt.
   * @default 2
   */
  reconnectDelayFactor?: number;
  /**
   * Random jitter on every delay: `full` draws from [0, ceiling], `decorrelated`
   * from [min, 3 × previous delay], `none` uses the ceiling itself.
   * @default "full"
   */
  jitter?: JitterMode;
  /**
   * Milliseconds a connection must stay open before the retry count resets.
   * @default 5000
   */
  minUptime?: number;
  /**
   * Failed attempts in a row after which the SDK stops and enters `closed`.
   * `Infinity` retries for ever.
   * @default Infinity
   */
  maxRetries?: number;
  /**
   * Decides after each close whether to reconnect. See {@link ReconnectPolicy}
   * and the policy table in the README.
   * @default defaultReconnectPolicy
   */
  shouldReconnect?: ReconnectPolicy;
  /**
   * Heartbeat: `true` for the defaults, an object to tune it, `false` for none.
   * Detects a dead or half-open peer that fires no browser event.
   * @default false
   */
  heartbeat?: boolean | HeartbeatOptions;
  /**
   * Milliseconds `bufferedAmount` may stay above zero without falling before the
   * peer is declared stalled (`cause: 'stall'`). `0` turns the watchdog off.
   * @default 0
   */
  stallTimeout?: number;
  /**
   * Most messages held while not open. Past it `send()` returns `false` and `drop` fires.
   * @default 1000
   */
  maxQueuedMessages?: number;
  /**
   * Most bytes (UTF-8 for strings) held while not open. Past it `send()` returns `false` and `drop` fires.
   * @default 1048576
   */
  maxQueuedBytes?: number;
  /**
   * Construct without connecting: the socket stays `idle`, with nothing
   * opened and no timer or listener set, until `open()` (or `reconnect()`).
   * For UI frameworks that construct before they mount (React StrictMode's
   * double mount), as partysocket's option of the same name.
   * @default false
   */
  startClosed?: boolean;
  /**
   * React to the browser's `offline` and `online` events: close at once on
   * `offline` and wait; reconnect at once on `online`.
   * @default true
   */
  handleOffline?: boolean;
  /**
   * React to `pagehide` and `pageshow` with `persisted`: close before the page
   * enters the back/forward cache and reconnect when it is restored. On
   * `pagehide` without `persisted` (an unload), end the live connection with
   * a final trace (`cause: 'unload'`), for an app's `pagehide` listener
   * added after the socket, or `resilient-socket/beacon`, to send. After a
   * 1001 close, which may be the browser's own as it leaves the page, wait
   * at least 1 s before reconnecting.
   * @default true
   */
  handlePageLifecycle?: boolean;
  /**
   * How many close traces `traces` keeps, newest last.
   * @default 50
   */
  traceLimit?: number;
  /**
   * How URLs appear in traces: `true` removes credentials, query and fragment
   * (tokens live there), `false` keeps them, a function maps them itself.
   * @default true
   */
  redactUrl?: boolean | ((url: string) => string);
  /**
   * `binaryType` of every native socket.
   * @default "blob"
   */
  binaryType?: SocketBinaryType;
  /**
   * The `WebSocket` constructor to use, e.g. `ws` in Node.
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
}

/** Options for `new TracedWebSocket(url, protocols, options)`: the per-connection subset of {@link Options}. */
export type TracedWebSocketOptions = Pick<Options, 'closeTimeout' | 'connectTimeout' | 'redactUrl' | 'WebSocket'>;

/** TracedWebSocket options after defaults are applied and validation passed. */
export type TracedWebSocketSettings = Required<TracedWebSocketOptions>;

/** Heartbeat settings after defaults are applied. */
export type HeartbeatSettings = Required<HeartbeatOptions>;

/** Options after defaults are applied and validation passed. */
export interface Settings extends Required<Omit<Options, 'heartbeat' | 'protocols' | 'WebSocket'>> {
  protocols: string[];
  heartbeat: HeartbeatSettings | null;
  WebSocket: WebSocketConstructor;
}

/** Default heartbeat settings, used by `heartbeat: true`. */
export const HEARTBEAT_DEFAULTS: Readonly<HeartbeatSettings> = {
  interval: 15_000,
  timeout: 5_000,
  message: 'ping',
  isPong: (data) => data === 'pong',
};

// The defaults TracedWebSocket shares, as constants: an app that imports TracedWebSocket alone bundles
// these, not the whole DEFAULTS object (bundlers drop an unused object, never an unused property).
const CLOSE_TIMEOUT = 1_000;
const CONNECT_TIMEOUT = 10_000;

/** Defaults of every option but `shouldReconnect` and `WebSocket`, which need runtime values. */
export const DEFAULTS = {
  protocols: [] as string[],
  closeTimeout: CLOSE_TIMEOUT,
  connectTimeout: CONNECT_TIMEOUT,
  minReconnectDelay: 1_000,
  maxReconnectDelay: 30_000,
  reconnectDelayFactor: 2,
  jitter: 'full' as JitterMode,
  minUptime: 5_000,
  maxRetries: Infinity,
  heartbeat: false as boolean | HeartbeatOptions,
  stallTimeout: 0,
  maxQueuedMessages: 1_000,
  maxQueuedBytes: 1_048_576,
  startClosed: false,
  handleOffline: true,
  handlePageLifecycle: true,
  traceLimit: 50,
  redactUrl: true as boolean | ((url: string) => string),
  binaryType: 'blob' as SocketBinaryType,
} as const;

// A forgotten key is a compile error here, and an unknown key a TypeError at run time.
export const OPTION_KEYS: { [K in keyof Options]-?: true } = {
  protocols: true,
  closeTimeout: true,
  connectTimeout: true,
  minReconnectDelay: true,
  maxReconnectDelay: true,
  reconnectDelayFactor: true,
  jitter: true,
  minUptime: true,
  maxRetries: true,
  shouldReconnect: true,
  heartbeat: true,
  stallTimeout: true,
  maxQueuedMessages: true,
  maxQueuedBytes: true,
  startClosed: true,
  handleOffline: true,
  handlePageLifecycle: true,
  traceLimit: true,
  redactUrl: true,
  binaryType: true,
  WebSocket: true,
};

export const HEARTBEAT_KEYS: { [K in keyof HeartbeatOptions]-?: true } = {
  interval: true,
  timeout: true,
  message: true,
  isPong: true,
};

/** The longest delay `setTimeout` honours; a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function checkKeys(value: object, known: object, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(known, key)) {
      throw new TypeError(`Unknown option \`${prefix}${key}\` (value ${describe((value as Record<string, unknown>)[key])})`);
    }
  }
}

function number(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`The \`${name}\` option must be a number, got ${describe(value)}`);
  }
  return value;
}

/** A delay in ms: finite, at least `min`, and short enough for `setTimeout`. */
function duration(name: string, value: unknown, min = 0): number {
  const ms = number(name, value);
  if (!Number.isFinite(ms) || ms < min || ms > MAX_TIMER_MS) {
    throw new RangeError(`The \`${name}\` option must be a finite number of milliseconds from ${min} to ${MAX_TIMER_MS}, got ${describe(value)}`);
  }
  return ms;
}

/** A whole count ≥ `min`, or Infinity where `unbounded` allows it. */
function count(name: string, value: unknown, min: number, unbounded = true): number {
  const n = number(name, value);
  if ((n !== Infinity || !unbounded) && (!Number.isInteger(n) || n < min)) {
    const also = unbounded ? ', or Infinity' : '';
    throw new RangeError(`The \`${name}\` option must be a whole number of at least ${min}${also}, got ${describe(value)}`);
  }
  return n;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`The \`${name}\` option must be a boolean, got ${describe(value)}`);
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`The \`${name}\` option must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function fn<T>(name: string, value: unknown): T {
  if (typeof value !== 'function') throw new TypeError(`The \`${name}\` option must be a function, got ${describe(value)}`);
  return value as T;
}

// RFC 7230 §3.2.6 token characters, as the WebSocket constructor checks sub-protocols.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Converts and validates sub-protocols as the WebSocket constructor does
 * (WebIDL `(DOMString or sequence<DOMString>)`): an iterable (an array, a
 * Set) gives one string per item, anything else one string (`1` → "1");
 * each must be an RFC 7230 token, with no duplicates.
 * @throws DOMException `SyntaxError` naming the sub-protocol refused; TypeError where conversion throws (a Symbol).
 */
export function normalizeProtocols(value: unknown): string[] {
  const iterable = value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
  const list = iterable ? Array.from(value as Iterable<unknown>, toDomString) : [toDomString(value)];
  const seen = new Set<string>();
  for (const p of list) {
    if (!TOKEN.test(p)) throw syntaxError(`The \`protocols\` option has an invalid sub-protocol ${describe(p)}`);
    if (seen.has(p)) throw syntaxError(`The \`protocols\` option has the sub-protocol ${describe(p)} twice`);
    seen.add(p);
  }
  return list;
}

/**
 * Converts a close code as WebIDL's `[Clamp] unsigned short` does in
 * `WebSocket.close()`: to a number, NaN to 0, clamped to 0–65535, rounded
 * half to even (`"1000"` → 1000, `3000.7` → 3001, `1000.5` → 1000).
 * @throws TypeError for a Symbol or a BigInt, as the browser does.
 */
export function clampCloseCode(code: unknown): number {
  if (typeof code === 'bigint') throw new TypeError(`The close \`code\` cannot be a BigInt, got ${describe(code)}`);
  let x = Number(code);
  if (Number.isNaN(x)) return 0;
  x = Math.min(Math.max(x, 0), 65_535);
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5 || (rest === 0.5 && floor % 2 === 1)) return floor + 1;
  return floor;
}

/**
 * Converts and validates the arguments of `close(code?, reason?)` exactly as
 * `WebSocket.close()` does.
 * @throws DOMException `InvalidAccessError` for a code other than 1000 or 3000–4999;
 *   DOMException `SyntaxError` for a reason over 123 UTF-8 bytes; TypeError where conversion throws.
 */
export function normalizeCloseArgs(code: unknown, reason: unknown): { code: number | undefined; reason: string } {
  const converted = code === undefined ? undefined : clampCloseCode(code);
  if (converted !== undefined && converted !== 1000 && !(converted >= 3000 && converted <= 4999)) {
    const shown = converted === code ? describe(code) : `${describe(code)} (${converted} as an unsigned short)`;
    throw invalidAccess(`The close \`code\` must be 1000 or from 3000 to 4999, got ${shown}`);
  }
  const text = reason === undefined ? '' : toDomString(reason);
  const bytes = utf8Length(text);
  if (bytes > 123) {
    throw syntaxError(`The close \`reason\` must be at most 123 UTF-8 bytes, got ${bytes} bytes: ${describe(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  }
  return { code: converted, reason: text };
}

/** Whether `value` can be called with `new` (an arrow function or a method cannot), without calling it. */
function isConstructor(value: unknown): value is WebSocketConstructor {
  if (typeof value !== 'function') return false;
  try {
    // Reflect.construct checks newTarget's [[Construct]] but builds a String, so `value` never runs.
    Reflect.construct(String, [], value);
    return true;
  } catch {
    return false;
  }
}

/** Drops keys whose value is `undefined`: an explicit `undefined` means "use the default", as with ky's options. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function normalizeHeartbeat(value: unknown): HeartbeatSettings | null {
  if (value === false) return null;
  if (value === true) return { ...HEARTBEAT_DEFAULTS };
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`The \`heartbeat\` option must be a boolean or an object, got ${describe(value)}`);
  }
  checkKeys(value, HEARTBEAT_KEYS, 'heartbeat.');
  const merged = { ...HEARTBEAT_DEFAULTS, ...definedOnly(value as HeartbeatOptions) };
  const message = merged.message;
  if (typeof message !== 'function' && typeof message !== 'string' && !(typeof message === 'object' && message !== null)) {
    throw new TypeError(`The \`heartbeat.message\` option must be data or a function, got ${describe(message)}`);
  }
  return {
    interval: duration('heartbeat.interval', merged.interval, 1),
    timeout: duration('heartbeat.timeout', merged.timeout, 1),
    message,
    isPong: fn('heartbeat.isPong', merged.isPong),
  };
}

const TRACED_KEYS: { [K in keyof TracedWebSocketOptions]-?: true } = { closeTimeout: true, connectTimeout: true, redactUrl: true, WebSocket: true };

function plainObject(options: unknown): asserts options is object {
  // Object.prototype.toString: an array or a Map would pass `typeof` and lose every setting silently.
  if (options === null || typeof options !== 'object' || Object.prototype.toString.call(options) !== '[object Object]') {
    throw new TypeError(`The options must be a plain object, got ${describe(options)}`);
  }
}

function socketConstructor(given: unknown): WebSocketConstructor {
  const ctor = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!isConstructor(ctor)) {
    throw new TypeError(
      `The \`WebSocket\` option must be a WebSocket constructor, got ${typeof ctor === 'function' ? 'a function that cannot be called with `new`' : describe(ctor)}` +
        (given === undefined ? ' (this runtime has no global WebSocket: pass one, e.g. from the `ws` package)' : ''),
    );
  }
  return ctor;
}

function redaction(value: unknown): boolean | ((url: string) => string) {
  if (typeof value !== 'boolean' && typeof value !== 'function') {
    throw new TypeError(`The \`redactUrl\` option must be a boolean or a function, got ${describe(value)}`);
  }
  return value as boolean | ((url: string) => string);
}

/**
 * Applies the defaults to TracedWebSocket's options and validates them.
 * @throws TypeError for an unknown key or a value of the wrong type; RangeError for a bad duration.
 */
export function normalizeTracedOptions(options: TracedWebSocketOptions | undefined): TracedWebSocketSettings {
  if (options === undefined) options = {};
  plainObject(options);
  checkKeys(options, TRACED_KEYS, '');
  const given = definedOnly(options);
  return {
    closeTimeout: duration('closeTimeout', given.closeTimeout ?? CLOSE_TIMEOUT),
    connectTimeout: duration('connectTimeout', given.connectTimeout ?? CONNECT_TIMEOUT, 1),
    redactUrl: redaction(given.redactUrl ?? true),
    WebSocket: socketConstructor(given.WebSocket),
  };
}

/**
 * Applies the defaults to `options` and validates every value.
 * @throws TypeError for an unknown key or a value of the wrong type.
 * @throws RangeError for a negative, non-finite or too long duration or count.
 * @throws DOMException `SyntaxError` for an invalid sub-protocol.
 */
export function normalizeOptions(options: Options | undefined, defaultPolicy: ReconnectPolicy): Settings {
  if (options === undefined) options = {};
  plainObject(options);
  checkKeys(options, OPTION_KEYS, '');
  const given = definedOnly(options);
  const o = { ...DEFAULTS, ...given };
  const WebSocketCtor = socketConstructor(given.WebSocket);
  const minReconnectDelay = duration('minReconnectDelay', o.minReconnectDelay);
  const maxReconnectDelay = duration('maxReconnectDelay', o.maxReconnectDelay);
  if (maxReconnectDelay < minReconnectDelay) {
    throw new RangeError(`The \`maxReconnectDelay\` option (${maxReconnectDelay}) must not be less than \`minReconnectDelay\` (${minReconnectDelay})`);
  }
  const factor = number('reconnectDelayFactor', o.reconnectDelayFactor);
  if (!Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`The \`reconnectDelayFactor\` option must be a finite number of at least 1, got ${describe(factor)}`);
  }
  const redactUrl = redaction(o.redactUrl);
  return {
    protocols: normalizeProtocols(o.protocols),
    closeTimeout: duration('closeTimeout', o.closeTimeout),
    connectTimeout: duration('connectTimeout', o.connectTimeout, 1),
    minReconnectDelay,
    maxReconnectDelay,
    reconnectDelayFactor: factor,
    jitter: oneOf('jitter', o.jitter, ['full', 'decorrelated', 'none'] as const),
    minUptime: duration('minUptime', o.minUptime),
    maxRetries: count('maxRetries', o.maxRetries, 0),
    shouldReconnect: fn<ReconnectPolicy>('shouldReconnect', given.shouldReconnect ?? defaultPolicy),
    heartbeat: normalizeHeartbeat(o.heartbeat),
    stallTimeout: duration('stallTimeout', o.stallTimeout),
    maxQueuedMessages: count('maxQueuedMessages', o.maxQueuedMessages, 0),
    maxQueuedBytes: count('maxQueuedBytes', o.maxQueuedBytes, 0),
    startClosed: boolean('startClosed', o.startClosed),
    handleOffline: boolean('handleOffline', o.handleOffline),
    handlePageLifecycle: boolean('handlePageLifecycle', o.handlePageLifecycle),
    traceLimit: count('traceLimit', o.traceLimit, 1, false),
    redactUrl,
    binaryType: oneOf('binaryType', o.binaryType, ['blob', 'arraybuffer'] as const),
    WebSocket: WebSocketCtor,
  };
}
