/**
 * TracedWebSocket: one connection with the browser's `WebSocket` interface
 * and an honest close. A protocol library cannot tell it from the native
 * socket, except that its close never hangs and never lies: when the
 * server's Close echo does not come within `closeTimeout`, it becomes
 * CLOSED and fires `close` 1006, not clean, and detaches from the native
 * socket, whose late close still lands in its trace.
 *
 * It is also the connection ResilientSocket supervises: then it reports to
 * hooks instead of dispatching its events, and carries the cause of every
 * close the supervisor asks for (see {@link ATTEMPT}).
 *
 * @module
 */
import { ABANDONED_SOFT_LIMIT, abandon, abandonedSockets } from './abandoned.js';
import { type CloseCause, classifyClose } from './close-info.js';
import { now } from './clock.js';
import { SocketError } from './errors.js';
import { hostOf, noteFailure, sinceFailure } from './failures.js';
import {
  type SendData,
  type SocketBinaryType,
  type TracedWebSocketOptions,
  type TracedWebSocketSettings,
  type WebSocketLike,
  normalizeCloseArgs,
  normalizeProtocols,
  normalizeTracedOptions,
} from './options.js';
import { redactUrl, scrubError } from './redact.js';
import { type CancelTimer, startTimer } from './timer.js';
import { Traffic, connectionId } from './traffic.js';
import { type CloseTrace, unloadClose } from './traces.js';
import { parseSocketUrl } from './url.js';

/**
 * The outcome of resolving the URL for one attempt of a ResilientSocket:
 * the URL, or what prevented it (`timedOut`: not resolved within
 * `connectTimeout`), and when the attempt started, URL resolution included.
 * @internal
 */
export type AttemptTarget = { url: string; startedAt: number } | { error: unknown; timedOut: boolean; startedAt: number };

/** What a supervised connection tells its supervisor, before (and instead of) any event. @internal */
export interface ConnectionHooks {
  open(socket: TracedWebSocket): void;
  message(socket: TracedWebSocket, event: MessageEvent): void;
  error(socket: TracedWebSocket, error: SocketError): void;
  close(socket: TracedWebSocket, trace: CloseTrace): void;
  /** The browser's own close arrived after the close was reported: the trace, updated. */
  lateClose(socket: TracedWebSocket, trace: CloseTrace): void;
}

/** A supervised attempt: the key of its settings in the options object. @internal */
export const ATTEMPT: unique symbol = Symbol('attempt');

/** Settings of a supervised attempt. @internal */
export interface Attempt {
  connection: number;
  target: AttemptTarget;
  hooks: ConnectionHooks;
}

/** The connection's own view of its life. @internal */
export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

const READY_STATE = { connecting: 0, open: 1, closing: 2, closed: 3 } as const;
const NATIVE_EVENTS = ['open', 'message', 'error', 'close'] as const;
type HandlerType = 'open' | 'message' | 'error' | 'close';
type Handler = ((this: TracedWebSocket, event: any) => unknown) | null;

/** The `close` event: a `CloseEvent` where the runtime has one. */
export interface SocketCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** Node 20 has no CloseEvent: an Event with the same fields. */
function closeEvent(code: number, reason: string, wasClean: boolean): SocketCloseEvent {
  const Ctor = (globalThis as { CloseEvent?: new (type: string, init: object) => SocketCloseEvent }).CloseEvent;
  if (Ctor) return new Ctor('close', { code, reason, wasClean });
  return Object.assign(new Event('close'), { code, reason, wasClean });
}

/**
 * A WebSocket whose close never hangs and never lies, with the trace of its
 * one connection. Pass the class where a library takes a WebSocket:
 *
 * ```ts
 * createClient({ url, webSocketImpl: TracedWebSocket.with({ closeTimeout: 500 }) });
 * ```
 *
 * No reconnect, no queue, no heartbeat: the library owns those.
 */
export class TracedWebSocket extends EventTarget {
  /** As `WebSocket.CONNECTING`. */
  static readonly CONNECTING = 0;
  /** As `WebSocket.OPEN`. */
  static readonly OPEN = 1;
  /** As `WebSocket.CLOSING`. */
  static readonly CLOSING = 2;
  /** As `WebSocket.CLOSED`. */
  static readonly CLOSED = 3;
  /** As `WebSocket.prototype.CONNECTING`. */
  get CONNECTING(): 0 {
    return 0;
  }
  /** As `WebSocket.prototype.OPEN`. */
  get OPEN(): 1 {
    return 1;
  }
  /** As `WebSocket.prototype.CLOSING`. */
  get CLOSING(): 2 {
    return 2;
  }
  /** As `WebSocket.prototype.CLOSED`. */
  get CLOSED(): 3 {
    return 3;
  }

  /**
   * A subclass with `options` bound, for libraries that construct their
   * socket with `(url, protocols)` only. Options given to its constructor
   * still win.
   */
  static with(options: TracedWebSocketOptions): typeof TracedWebSocket {
    normalizeTracedOptions(options);
    return class extends this {
      constructor(url: string | URL, protocols?: string | string[], more?: TracedWebSocketOptions) {
        super(url, protocols, { ...options, ...more });
      }
    };
  }

  // Every field is private (#): like the native socket, an instance has no own properties, so
  // nothing that walks it (JSON.stringify, a logger, an error tracker's context) sees its URL.
  /** The connection's number on its ResilientSocket, from 1 (1 when alone). */
  readonly #connection: number;
  /** When the attempt started, URL resolution included. */
  readonly #connectAt: number;
  /** When it opened. */
  #openAt: number | null = null;
  /** When this page asked to close. */
  #closeRequestedAt: number | null = null;
  #state: ConnectionState = 'connecting';

  readonly #href: string;
  #native: WebSocketLike | null = null;
  #type: SocketBinaryType = 'blob';
  #requestedCause: CloseCause | null = null;
  #cancelConnectTimer: CancelTimer | undefined;
  #cancelCloseTimer: CancelTimer | undefined;
  /** Uncounts the native socket from the page's abandoned sockets, once its browser close fires. */
  #release: (() => void) | null = null;
  #record: CloseTrace | null = null;
  /** Ms since a connection to the same host failed in this page, when this attempt started; `null`: none within a minute. */
  readonly #afterFailure: number | null;
  /** When the native socket fired `error`. */
  #errorAt: number | null = null;
  /** What the connection carried. */
  readonly #traffic = new Traffic();
  /** `bufferedAmount` when this page asked to close. */
  #bufferedAtClose: number | null = null;
  /** The connection's id, unique across pages and sessions. */
  readonly #id = connectionId();
  readonly #hooks: ConnectionHooks | null;
  readonly #closeTimeout: number;
  readonly #redact: boolean | ((url: string) => string);
  readonly #handlers: Partial<Record<HandlerType, { value: Handler; listener: (event: Event) => void }>> = {};

  /**
   * Connects at once, as `new WebSocket(url, protocols)` does.
   * @param options `closeTimeout`, `connectTimeout`, `redactUrl`, `WebSocket` (see {@link TracedWebSocketOptions}).
   * @throws DOMException `SyntaxError` for a URL or sub-protocol the browser refuses; TypeError or RangeError for a bad option.
   */
  constructor(url: string | URL, protocols?: string | string[], options?: TracedWebSocketOptions) {
    super();
    const attempt = (options as { [ATTEMPT]?: Attempt } | undefined)?.[ATTEMPT];
    // A supervised attempt's options are the supervisor's settings, validated once at its construction.
    const settings = attempt ? (options as TracedWebSocketSettings) : normalizeTracedOptions(options);
    this.#hooks = attempt?.hooks ?? null;
    this.#connection = attempt?.connection ?? 1;
    this.#closeTimeout = settings.closeTimeout;
    this.#redact = settings.redactUrl;
    const target: AttemptTarget = attempt?.target ?? { url: parseSocketUrl(url), startedAt: now() };
    const list = protocols === undefined ? [] : normalizeProtocols(protocols);
    this.#connectAt = target.startedAt;
    this.#href = 'url' in target ? target.url : '';
    this.#afterFailure = sinceFailure(hostOf(this.#href), this.#connectAt);
    let failure: SocketError | null = null;
    let cause: CloseCause = 'url';
    if ('error' in target) {
      if (target.timedOut) {
        cause = 'connect-timeout';
        failure = new SocketError('connect-timeout', `The URL provider did not resolve within connectTimeout (${settings.connectTimeout} ms)`, this.#connection);
      } else {
        const error = scrubError(target.error);
        failure = new SocketError('url', `The URL provider failed: ${String(error)}`, this.#connection, error);
      }
    } else {
      try {
        const native = new settings.WebSocket(this.#href, list.length ? list : undefined);
        native.binaryType = this.#type;
        for (const type of NATIVE_EVENTS) native.addEventListener(type, this);
        this.#native = native;
      } catch (thrown) {
        // The browser's message may quote the URL: redacted. Alone, throw it, as the browser does.
        const error = scrubError(thrown);
        if (!attempt) throw error;
        failure = new SocketError('url', `The WebSocket constructor refused ${JSON.stringify(redactUrl(this.#href))} (redacted): ${String(error)}`, this.#connection, error);
      }
    }
    if (failure) {
      const error = failure;
      // Asynchronous, as a browser reports a failed connection: listeners are attached first.
      queueMicrotask(() => {
        if (this.#state === 'closed') return;
        this.#requestedCause = cause;
        this.#fail(error);
        this.#finish(1006, '', false, false, null);
      });
      return;
    }
    // connectTimeout covers the whole attempt: what URL resolution took is already spent.
    const left = Math.max(0, settings.connectTimeout - (now() - this.#connectAt));
    this.#cancelConnectTimer = startTimer(left, () => {
      this.#cancelConnectTimer = undefined;
      if (this.#state !== 'connecting') return;
      // Firefox holds back a connection to a host that just failed: this one may never have left the browser.
      const held = this.#afterFailure === null ? '' : `; it began ${Math.round(this.#afterFailure)} ms after a failed connection to this host, which the browser may have held it back for`;
      this.#fail(new SocketError('connect-timeout', `The connection did not open within connectTimeout (${settings.connectTimeout} ms)${held}`, this.#connection));
      this.requestClose(1000, 'connect timeout', 'connect-timeout', false);
    });
  }

  /** As `WebSocket.readyState`. CLOSING also once the server's Close frame arrived, as the browser reports it. */
  get readyState(): 0 | 1 | 2 | 3 {
    this.noticeClosing();
    return READY_STATE[this.#state];
  }

  /** The connection's number on its ResilientSocket, from 1 (1 when alone). @internal */
  get connection(): number {
    return this.#connection;
  }

  /** When the attempt started, URL resolution included. @internal */
  get connectAt(): number {
    return this.#connectAt;
  }

  /** When it opened, or `null`. @internal */
  get openAt(): number | null {
    return this.#openAt;
  }

  /** The connection's own phase. @internal */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The URL, as `WebSocket.url`: `''` when a supervised attempt could not resolve one. */
  get url(): string {
    return this.#href;
  }

  /** The sub-protocol the server chose. */
  get protocol(): string {
    return this.#native?.protocol ?? '';
  }

  /**
   * The browser's own socket of this connection, or `null` when none was
   * made (a URL that did not resolve). Read-only in spirit: read
   * `extensions`, `protocol` or `bufferedAmount` from it, but calling its
   * `close()` or `send()`, or setting its handlers, bypasses the trace.
   * It stays the same socket after the close, detached.
   */
  get nativeSocket(): WebSocketLike | null {
    return this.#native;
  }

  /** The extensions the server chose. */
  get extensions(): string {
    return this.#native?.extensions ?? '';
  }

  /** Bytes accepted by the native socket but not yet sent. */
  get bufferedAmount(): number {
    return this.#native?.bufferedAmount ?? 0;
  }

  /** As `WebSocket.binaryType`; may be set at any time, and applies from the next message. */
  get binaryType(): SocketBinaryType {
    return this.#type;
  }

  set binaryType(value: SocketBinaryType) {
    // As the browser: any other value is ignored.
    if (value !== 'blob' && value !== 'arraybuffer') return;
    this.#type = value;
    if (this.#native) this.#native.binaryType = value;
  }

  /** The trace of this connection once it has closed (updated when the browser's late close arrives), else `null`. */
  get trace(): CloseTrace | null {
    return this.#record;
  }

  /**
   * As `WebSocket.send()`: throws `InvalidStateError` while CONNECTING;
   * after the close started, the data is discarded, as the browser does.
   */
  send(data: SendData): void {
    if (this.#state === 'connecting') throw new DOMException(`Failed to execute 'send': still in CONNECTING state`, 'InvalidStateError');
    if (this.#state !== 'open' || !this.#native || !this.#nativeOpen) return;
    this.#native.send(data);
    this.#traffic.sent(data);
  }

  /**
   * As `WebSocket.close()`, with the same validation. Waits up to
   * `closeTimeout` for the server's Close echo; then the socket is CLOSED
   * and `close` fires with 1006, not clean, and a trace of kind `timeout`.
   * @throws DOMException `InvalidAccessError` for a code other than 1000 or 3000–4999; DOMException `SyntaxError` for a reason over 123 bytes.
   */
  close(code?: number, reason?: string): void {
    const args = normalizeCloseArgs(code, reason);
    this.requestClose(args.code ?? 1000, args.reason, 'user', true);
  }

  /**
   * Abandons the connection at once: CLOSED, and `close` fires with 1006,
   * not clean; also while a `close()` waits for its echo.
   */
  terminate(): void {
    this.abandon('user');
  }

  /**
   * Ends the connection now, whatever its state: a Close frame (1000,
   * `reason`) is still sent if none was, and the close is reported with 1006, not clean, under
   * the cause of the close already asked for, else `cause`.
   * @internal
   */
  abandon(cause: CloseCause, reason = ''): void {
    this.requestClose(1000, reason, cause, false);
    if (this.#state === 'closed') return;
    this.#requestedCause ??= cause;
    this.#finish(1006, '', false, false, null);
  }

  /**
   * The page is being unloaded: a live connection is abandoned with cause
   * `unload`; one the browser closed itself just before (Firefox's 1001)
   * gets its trace corrected to the unload, and `trace` fires again with
   * it (same id). Unsupervised only: a ResilientSocket corrects its own.
   * Later calls do nothing.
   * @internal
   */
  endForUnload(): void {
    if (this.#state !== 'closed') return this.abandon('unload', 'unload');
    const corrected = this.#hooks ? null : unloadClose(this.#record ?? undefined, now());
    if (!corrected) return;
    this.#record = corrected;
    this.dispatchEvent(Object.assign(new Event('trace'), { trace: corrected }));
  }

  /**
   * Whether the native socket is still OPEN. After the server's Close frame
   * the browser moves it to CLOSING and fires nothing until the TCP
   * connection ends (about 2 s in Chromium when the server keeps it).
   * @internal
   */
  get #nativeOpen(): boolean {
    return this.#native !== null && (this.#native as { readyState?: number }).readyState === 1;
  }

  /** The native socket left OPEN by itself (the server's Close frame): closing, and its close event will follow. @internal */
  noticeClosing(): void {
    if (this.#state === 'open' && !this.#nativeOpen) this.#state = 'closing';
  }

  /**
   * Asks to close. With `wait`, the Close echo is awaited for `closeTimeout`
   * ms before the close is reported as timed out; without, the socket is
   * abandoned at once (the browser's close is still recorded when it comes).
   * A second request is ignored.
   * @internal
   */
  requestClose(code: number, reason: string, cause: CloseCause, wait: boolean): void {
    if (this.#state === 'closed' || this.#closeRequestedAt !== null) return;
    this.#closeRequestedAt = now();
    this.#bufferedAtClose = this.#native?.bufferedAmount ?? null;
    if (this.#state === 'closing') {
      // Closing already on the server's initiative: its close event settles this request, within closeTimeout.
      this.#startCloseTimer(cause);
      return;
    }
    this.#requestedCause = cause;
    this.#clearConnectTimer();
    try {
      this.#native?.close(code, reason);
    } catch {
      // The code and reason were validated; a native that still throws is abandoned below.
      wait = false;
    }
    if (!this.#native) wait = false;
    if (!wait) {
      // RFC 6455 §7.1.5: no Close frame came back, so the honest code is 1006.
      this.#finish(1006, '', false, false, null);
      return;
    }
    this.#state = 'closing';
    this.#startCloseTimer(cause);
  }

  /** Native events arrive here (the socket is its own listener object). @internal */
  handleEvent(event: Event): void {
    switch (event.type) {
      case 'open':
        return this.#onOpen();
      case 'message':
        if (this.#state !== 'open') return;
        this.#traffic.received((event as MessageEvent).data);
        if (this.#hooks) return this.#hooks.message(this, event as MessageEvent);
        // A new event: one cannot be dispatched twice. Blob or ArrayBuffer as binaryType was when it arrived.
        this.dispatchEvent(new MessageEvent('message', { data: (event as MessageEvent).data, origin: (event as MessageEvent).origin }));
        return;
      case 'error':
        if (this.#state !== 'closed') this.#errorAt ??= now();
        // An error after this page asked to close is the close itself (Chrome fires one
        // for close() during CONNECTING); after the close was reported it is noise.
        if (this.#closeRequestedAt === null && this.#state !== 'closed') this.#fail(this.#failure());
        return;
      case 'close':
        return this.#onNativeClose(event as SocketCloseEvent);
    }
  }

  #startCloseTimer(cause: CloseCause): void {
    this.#cancelCloseTimer = startTimer(this.#closeTimeout, () => {
      this.#cancelCloseTimer = undefined;
      this.#requestedCause ??= cause;
      this.#finish(1006, '', false, true, null);
    });
  }

  /** The error for a native `error` event, naming an exhausted socket pool when that is the likely cause. */
  #failure(): SocketError {
    if (this.#state !== 'connecting') return new SocketError('socket-error', 'The connection failed', this.#connection);
    const abandoned = abandonedSockets();
    if (abandoned >= ABANDONED_SOFT_LIMIT) {
      return new SocketError(
        'socket-limit',
        `The connection failed before it opened while ${abandoned} sockets this page abandoned are still closing: the browser has likely run out of WebSocket connections (Chromium allows about 255)`,
        this.#connection,
      );
    }
    return new SocketError('connect-failed', 'The connection failed before it opened', this.#connection);
  }

  /** An `error` event, as the browser fires one, carrying the {@link SocketError} as `error`. */
  #fail(error: SocketError): void {
    if (this.#hooks) return this.#hooks.error(this, error);
    this.dispatchEvent(Object.assign(new Event('error'), { error }));
  }

  #onOpen(): void {
    if (this.#state !== 'connecting') return;
    this.#clearConnectTimer();
    this.#state = 'open';
    this.#openAt = now();
    this.#traffic.opened();
    this.#hooks?.open(this);
    this.dispatchEvent(new Event('open'));
  }

  #onNativeClose(event: SocketCloseEvent): void {
    const at = now();
    for (const type of NATIVE_EVENTS) this.#native?.removeEventListener(type, this);
    if (this.#state !== 'closed') return this.#finish(event.code, event.reason, event.wasClean, false, at);
    this.#release?.();
    this.#release = null;
    const previous = this.#record;
    if (!previous) return;
    this.#record = { ...previous, ...nativeClose(previous.closeRequestedAt, at, event.code, event.wasClean) };
    if (this.#hooks) this.#hooks.lateClose(this, this.#record);
    else this.dispatchEvent(Object.assign(new Event('trace'), { trace: this.#record }));
  }

  #finish(code: number, reason: string, wasClean: boolean, timedOut: boolean, nativeCloseAt: number | null): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearConnectTimer();
    this.#cancelCloseTimer?.();
    this.#cancelCloseTimer = undefined;
    const abandonedNow = abandonedSockets();
    // Detached before its browser close: it holds one of the browser's sockets until that close fires.
    if (this.#native && nativeCloseAt === null) this.#release = abandon();
    const closeAt = nativeCloseAt ?? now();
    const requested = this.#requestedCause;
    const classified = classifyClose({ code, wasClean, requestedByClient: requested !== null, timedOut });
    const requestedAt = this.#closeRequestedAt;
    const opened = this.#openAt !== null;
    // A connection that never opened, other than one this page gave up before its time, failed: later attempts to its host may be held back.
    if (!opened && this.#native && (requested === null || requested === 'connect-timeout')) noteFailure(hostOf(this.#href), closeAt);
    this.#record = {
      code,
      codeName: classified.codeName,
      reason,
      wasClean,
      kind: classified.kind,
      initiator: classified.initiator,
      cause: requested ?? (classified.initiator === 'server' ? 'server' : 'network'),
      // Only a connection that existed has a close latency (not a URL that failed to resolve).
      latencyMs: requestedAt === null || !this.#native ? null : closeAt - requestedAt,
      willReconnect: false,
      nextDelayMs: null,
      connection: this.#connection,
      url: this.#redactedUrl(),
      connectAt: this.#connectAt,
      openAt: this.#openAt,
      closeRequestedAt: requestedAt,
      closeAt,
      ...nativeClose(requestedAt, nativeCloseAt, code, wasClean),
      nativeErrorAt: this.#errorAt,
      afterFailureMs: opened ? null : this.#afterFailure,
      abandonedSockets: abandonedNow,
      id: this.#id,
      ...this.#traffic.fields(),
      bufferedAmountAtClose: this.#bufferedAtClose,
    };
    // The supervisor first: it decides what follows before the reconnect engine hears of the close.
    this.#hooks?.close(this, this.#record);
    this.dispatchEvent(closeEvent(code, reason, wasClean));
    if (!this.#hooks) this.dispatchEvent(Object.assign(new Event('trace'), { trace: this.#record }));
  }

  #redactedUrl(): string {
    const how = this.#redact;
    if (how === false || this.#href === '') return this.#href;
    if (how === true) return redactUrl(this.#href);
    try {
      return String(how(this.#href));
    } catch {
      return redactUrl(this.#href);
    }
  }

  #clearConnectTimer(): void {
    this.#cancelConnectTimer?.();
    this.#cancelConnectTimer = undefined;
  }

  /** The value of an `on<type>` handler property. */
  #getHandler(type: HandlerType): Handler {
    return this.#handlers[type]?.value ?? null;
  }

  /**
   * Sets an `on<type>` handler as the browser does: one listener, added at
   * the first assignment and kept in place by later ones, removed by `null`.
   */
  #setHandler(type: HandlerType, value: Handler): void {
    const slot = this.#handlers[type];
    const fn = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null;
    if (fn === null) {
      if (slot) this.removeEventListener(type, slot.listener);
      delete this.#handlers[type];
      return;
    }
    if (slot) {
      slot.value = fn;
      return;
    }
    const entry = {
      value: fn,
      listener: (event: Event) => {
        const current = entry.value;
        if (typeof current === 'function') current.call(this, event);
      },
    };
    this.#handlers[type] = entry;
    this.addEventListener(type, entry.listener);
  }

  /** As `WebSocket.onopen`. */
  get onopen(): ((event: Event) => unknown) | null {
    return this.#getHandler('open');
  }
  set onopen(value: ((event: Event) => unknown) | null) {
    this.#setHandler('open', value);
  }

  /** As `WebSocket.onmessage`. */
  get onmessage(): ((event: MessageEvent) => unknown) | null {
    return this.#getHandler('message');
  }
  set onmessage(value: ((event: MessageEvent) => unknown) | null) {
    this.#setHandler('message', value);
  }

  /** As `WebSocket.onerror`. */
  get onerror(): ((event: Event) => unknown) | null {
    return this.#getHandler('error');
  }
  set onerror(value: ((event: Event) => unknown) | null) {
    this.#setHandler('error', value);
  }

  /** As `WebSocket.onclose`. */
  get onclose(): ((event: SocketCloseEvent) => unknown) | null {
    return this.#getHandler('close');
  }
  set onclose(value: ((event: SocketCloseEvent) => unknown) | null) {
    this.#setHandler('close', value);
  }
}

/** The trace fields of the browser's own close event, which fired at `at` (`null`: not yet). */
function nativeClose(requestedAt: number | null, at: number | null, code: number, wasClean: boolean) {
  if (at === null) return { nativeCloseAt: null, nativeLatencyMs: null, nativeCode: null, nativeWasClean: null };
  return { nativeCloseAt: at, nativeLatencyMs: requestedAt === null ? null : at - requestedAt, nativeCode: code, nativeWasClean: wasClean };
}
