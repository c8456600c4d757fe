/**
 * TracedSocket: one per connection. It wraps the native WebSocket, stamps
 * every step (connect, open, close requested, close), enforces the connect
 * and close timeouts, knows who asked to close, and reports exactly one
 * {@link Ending}. When the SDK stops waiting it detaches from the native
 * socket but keeps listening for the browser's late `close`, which it
 * reports separately.
 *
 * It also speaks just enough of the WebSocket interface (`readyState`,
 * `addEventListener`, `close`, static `CLOSING`) for the reconnect engine
 * to drive it.
 *
 * @module
 */
import { ABANDONED_SOFT_LIMIT, abandon, abandonedSockets } from './abandoned.js';
import type { CloseCause } from './close-info.js';
import { now } from './clock.js';
import { SocketError } from './errors.js';
import type { SendData, WebSocketConstructor, WebSocketLike } from './options.js';
import { redactUrl, scrubError } from './redact.js';
import { type CancelTimer, inFreshTask, startTimer } from './timer.js';

/** How a connection ended, as far as this socket saw. Classified later. */
export interface Ending {
  code: number;
  reason: string;
  wasClean: boolean;
  /** The SDK stopped waiting for the Close echo. */
  timedOut: boolean;
  /** Why, when this page asked for the close; `null` when the server or network ended it. */
  requestedCause: CloseCause | null;
  closeRequestedAt: number | null;
  closeAt: number;
  /** Set when the browser's own close event is what ended the connection. */
  nativeCloseAt: number | null;
  /** Whether a native socket was ever built (not when the URL could not be resolved). */
  hadNative: boolean;
  /** Native sockets abandoned in this page and still closing, this one aside, when it ended. */
  abandonedSockets: number;
}

/** The browser's own close event, when it arrives after the SDK stopped waiting. */
export interface LateClose {
  code: number;
  wasClean: boolean;
  at: number;
}

/** What a TracedSocket tells its owner. */
export interface TracedSocketHooks {
  open(socket: TracedSocket): void;
  message(socket: TracedSocket, event: MessageEvent): void;
  error(socket: TracedSocket, error: SocketError): void;
  close(socket: TracedSocket, ending: Ending): void;
  lateClose(socket: TracedSocket, late: LateClose): void;
}

/**
 * The outcome of resolving the URL for one attempt: the URL, or what
 * prevented it (`timedOut`: not resolved within `connectTimeout`), and
 * when the attempt started, URL resolution included.
 */
export type AttemptTarget = { url: string; startedAt: number } | { error: unknown; timedOut: boolean; startedAt: number };

/** What a TracedSocket needs to start a connection. */
export interface TracedSocketInit {
  connection: number;
  target: AttemptTarget;
  protocols: string[];
  WebSocket: WebSocketConstructor;
  binaryType: BinaryType;
  connectTimeout: number;
  closeTimeout: number;
  hooks: TracedSocketHooks;
}

/** The connection's own view of its life. */
export type TracedState = 'connecting' | 'open' | 'closing' | 'closed';

type EngineListener = (event: { type: string; code?: number; reason?: string; wasClean?: boolean }) => void;

const READY_STATE: Record<TracedState, number> = { connecting: 0, open: 1, closing: 2, closed: 3 };
const NATIVE_EVENTS = ['open', 'message', 'error', 'close'] as const;

/** One traced connection. */
export class TracedSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  /** The connection's number on its ResilientSocket, from 1. */
  readonly connection: number;
  /** The resolved URL, `''` when none could be resolved. */
  readonly url: string;
  /** When the attempt started, URL resolution included. */
  readonly connectAt: number;
  openAt: number | null = null;
  closeRequestedAt: number | null = null;
  state: TracedState = 'connecting';

  private native: WebSocketLike | null = null;
  private requestedCause: CloseCause | null = null;
  private cancelConnectTimer: CancelTimer | undefined;
  private cancelCloseTimer: CancelTimer | undefined;
  /** Uncounts this socket from the page's abandoned sockets, once its browser close fires. */
  private release: (() => void) | null = null;
  private readonly listeners = new Map<string, Set<EngineListener>>();
  private readonly hooks: TracedSocketHooks;
  private readonly closeTimeout: number;

  constructor(init: TracedSocketInit) {
    this.connection = init.connection;
    this.hooks = init.hooks;
    this.closeTimeout = init.closeTimeout;
    const { target } = init;
    this.connectAt = target.startedAt;
    this.url = 'url' in target ? target.url : '';
    let failure: SocketError | null = null;
    let cause: CloseCause = 'url';
    if ('error' in target) {
      if (target.timedOut) {
        cause = 'connect-timeout';
        failure = new SocketError('connect-timeout', `The URL provider did not resolve within connectTimeout (${init.connectTimeout} ms)`, this.connection);
      } else {
        const error = scrubError(target.error);
        failure = new SocketError('url', `The URL provider failed: ${String(error)}`, this.connection, error);
      }
    } else {
      try {
        const native = new init.WebSocket(this.url, init.protocols.length ? init.protocols : undefined);
        native.binaryType = init.binaryType;
        for (const type of NATIVE_EVENTS) native.addEventListener(type, this);
        this.native = native;
      } catch (thrown) {
        // The browser's message quotes the whole URL (Chromium: "The URL '…' is invalid").
        const error = scrubError(thrown);
        failure = new SocketError('url', `The WebSocket constructor refused ${JSON.stringify(redactUrl(this.url))} (redacted): ${String(error)}`, this.connection, error);
      }
    }
    if (failure) {
      const error = failure;
      // Asynchronous, as a browser reports a failed connection: the engine attaches its listeners first.
      queueMicrotask(() => {
        if (this.state === 'closed') return;
        this.requestedCause = cause;
        this.hooks.error(this, error);
        this.finish(1006, '', false, false, null);
      });
      return;
    }
    // connectTimeout covers the whole attempt: what URL resolution took is already spent.
    const left = Math.max(0, init.connectTimeout - (now() - this.connectAt));
    this.cancelConnectTimer = startTimer(left, () => {
      this.cancelConnectTimer = undefined;
      if (this.state !== 'connecting') return;
      this.hooks.error(this, new SocketError('connect-timeout', `The connection did not open within connectTimeout (${init.connectTimeout} ms)`, this.connection));
      this.requestClose(1000, 'connect timeout', 'connect-timeout', false);
    });
  }

  /** For the engine: the state as a WebSocket `readyState`. */
  get readyState(): number {
    return READY_STATE[this.state];
  }

  /** Bytes accepted by the native socket but not yet sent. */
  get bufferedAmount(): number {
    return this.native?.bufferedAmount ?? 0;
  }

  /** The sub-protocol the server chose. */
  get protocol(): string {
    return this.native?.protocol ?? '';
  }

  /** The extensions the server chose. */
  get extensions(): string {
    return this.native?.extensions ?? '';
  }

  /** The engine may set it; the socket keeps the value it was built with. */
  set binaryType(_value: BinaryType) {}
  get binaryType(): BinaryType {
    return (this.native?.binaryType as BinaryType | undefined) ?? 'blob';
  }

  /**
   * Whether the native socket is still OPEN. After the server's Close frame
   * the browser moves it to CLOSING and fires nothing until the TCP
   * connection ends (about 2 s in Chromium when the server keeps it), and
   * meanwhile discards whatever is sent.
   */
  get nativeOpen(): boolean {
    return this.native !== null && (this.native as { readyState?: number }).readyState === 1;
  }

  /** Sends on the native socket. Throws what the native `send()` throws, and when either side is no longer open. */
  send(data: SendData): void {
    if (!this.native || this.state !== 'open' || !this.nativeOpen) {
      const native = this.native ? ` (native readyState ${(this.native as { readyState?: number }).readyState})` : '';
      throw new DOMException(`Connection ${this.connection} is not open: state ${this.state}${native}`, 'InvalidStateError');
    }
    this.native.send(data);
  }

  /**
   * The native socket left OPEN by itself (the server's Close frame): the
   * connection is closing, and its close event will follow.
   */
  noticeClosing(): void {
    if (this.state === 'open' && !this.nativeOpen) this.state = 'closing';
  }

  /**
   * Asks to close. With `wait`, the Close echo is awaited for `closeTimeout`
   * ms before the close is reported as timed out; without, the socket is
   * abandoned at once (the browser's close is still recorded when it comes).
   * A second request is ignored.
   */
  requestClose(code: number, reason: string, cause: CloseCause, wait: boolean): void {
    if (this.state === 'closed' || this.closeRequestedAt !== null) return;
    if (this.state === 'closing') {
      // Closing on the server's initiative: its close event settles this request, within closeTimeout.
      this.closeRequestedAt = now();
      this.startCloseTimer(cause);
      return;
    }
    this.requestedCause = cause;
    this.closeRequestedAt = now();
    this.clearConnectTimer();
    try {
      this.native?.close(code, reason);
    } catch {
      // The code and reason were validated; a native that still throws is abandoned below.
      wait = false;
    }
    if (!this.native) wait = false;
    if (!wait) {
      // RFC 6455 §7.1.5: no Close frame came back, so the honest code is 1006.
      this.finish(1006, '', false, false, null);
      return;
    }
    this.state = 'closing';
    this.startCloseTimer(cause);
  }

  private startCloseTimer(cause: CloseCause): void {
    this.cancelCloseTimer = startTimer(this.closeTimeout, () => {
      this.cancelCloseTimer = undefined;
      this.requestedCause ??= cause;
      this.finish(1006, '', false, true, null);
    });
  }

  /**
   * For the engine, which calls it when its run is stopped. Ignored: the
   * facade closes each socket itself, with a cause, before it stops the engine.
   */
  close(): void {}

  /** For the engine. */
  addEventListener(type: string, listener: EngineListener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  /** For the engine. */
  removeEventListener(type: string, listener: EngineListener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** Native events arrive here (the socket is its own listener object). */
  handleEvent(event: Event): void {
    switch (event.type) {
      case 'open':
        return this.onOpen();
      case 'message':
        if (this.state === 'open') this.hooks.message(this, event as MessageEvent);
        return;
      case 'error':
        // An error after this page asked to close is the close itself (Chrome fires one
        // for close() during CONNECTING); after the SDK reported the close it is noise.
        if (this.closeRequestedAt === null && this.state !== 'closed') this.hooks.error(this, this.failure());
        return;
      case 'close':
        return this.onNativeClose(event as CloseEvent);
    }
  }

  /** The error for a native `error` event, naming an exhausted socket pool when that is the likely cause. */
  private failure(): SocketError {
    if (this.state !== 'connecting') return new SocketError('socket-error', 'The connection failed', this.connection);
    const abandoned = abandonedSockets();
    if (abandoned >= ABANDONED_SOFT_LIMIT) {
      return new SocketError(
        'socket-limit',
        `The connection failed before it opened while ${abandoned} sockets this page abandoned are still closing: the browser has likely run out of WebSocket connections (Chromium allows about 255)`,
        this.connection,
      );
    }
    return new SocketError('connect-failed', 'The connection failed before it opened', this.connection);
  }

  private onOpen(): void {
    if (this.state !== 'connecting') return;
    this.clearConnectTimer();
    this.state = 'open';
    this.openAt = now();
    this.hooks.open(this);
    this.dispatch({ type: 'open' });
  }

  private onNativeClose(event: CloseEvent): void {
    const at = now();
    for (const type of NATIVE_EVENTS) this.native?.removeEventListener(type, this);
    if (this.state === 'closed') {
      this.release?.();
      this.release = null;
      this.hooks.lateClose(this, { code: event.code, wasClean: event.wasClean, at });
      return;
    }
    this.finish(event.code, event.reason, event.wasClean, false, at);
  }

  private finish(code: number, reason: string, wasClean: boolean, timedOut: boolean, nativeCloseAt: number | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearConnectTimer();
    this.cancelCloseTimer?.();
    this.cancelCloseTimer = undefined;
    const abandonedSocketsNow = abandonedSockets();
    // Detached before its browser close: it holds one of the browser's sockets until that close fires.
    if (this.native && nativeCloseAt === null) this.release = abandon();
    this.hooks.close(this, {
      code,
      reason,
      wasClean,
      timedOut,
      requestedCause: this.requestedCause,
      closeRequestedAt: this.closeRequestedAt,
      closeAt: nativeCloseAt ?? now(),
      nativeCloseAt,
      hadNative: this.native !== null,
      abandonedSockets: abandonedSocketsNow,
    });
    this.dispatch({ type: 'close', code, reason, wasClean });
  }

  private clearConnectTimer(): void {
    this.cancelConnectTimer?.();
    this.cancelConnectTimer = undefined;
  }

  private dispatch(event: { type: string; code?: number; reason?: string; wasClean?: boolean }): void {
    const deliver = (): void => {
      for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
    };
    // On a close the engine sets a setTimeout(…, 0) before the next attempt. The close may come from
    // deep in an app's timer chain (reconnect()), where a hidden tab would run that timer a minute late.
    if (event.type === 'close') inFreshTask(deliver);
    else deliver();
  }
}
