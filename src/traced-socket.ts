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
import type { CloseCause } from './close-info.js';
import { now } from './clock.js';
import { SocketError } from './errors.js';
import type { SendData, WebSocketConstructor, WebSocketLike } from './options.js';

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

/** What a TracedSocket needs to start a connection. */
export interface TracedSocketInit {
  connection: number;
  /** The resolved URL, or what prevented resolving one. */
  target: { url: string } | { error: unknown };
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
  readonly connectAt = now();
  openAt: number | null = null;
  closeRequestedAt: number | null = null;
  state: TracedState = 'connecting';

  private native: WebSocketLike | null = null;
  private requestedCause: CloseCause | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Map<string, Set<EngineListener>>();
  private readonly hooks: TracedSocketHooks;
  private readonly closeTimeout: number;

  constructor(init: TracedSocketInit) {
    this.connection = init.connection;
    this.hooks = init.hooks;
    this.closeTimeout = init.closeTimeout;
    this.url = 'url' in init.target ? init.target.url : '';
    let failure: SocketError | null = null;
    if ('error' in init.target) {
      failure = new SocketError('url', `The URL provider failed: ${String(init.target.error)}`, this.connection, init.target.error);
    } else {
      try {
        const native = new init.WebSocket(this.url, init.protocols.length ? init.protocols : undefined);
        native.binaryType = init.binaryType;
        for (const type of NATIVE_EVENTS) native.addEventListener(type, this);
        this.native = native;
      } catch (error) {
        failure = new SocketError('url', `The WebSocket constructor refused ${JSON.stringify(this.url)}: ${String(error)}`, this.connection, error);
      }
    }
    if (failure) {
      const error = failure;
      // Asynchronous, as a browser reports a failed connection: the engine attaches its listeners first.
      queueMicrotask(() => {
        if (this.state === 'closed') return;
        this.requestedCause = 'url';
        this.closeRequestedAt = now();
        this.hooks.error(this, error);
        this.finish(1006, '', false, false, null);
      });
      return;
    }
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined;
      if (this.state !== 'connecting') return;
      this.hooks.error(this, new SocketError('connect-timeout', `The connection did not open within connectTimeout (${init.connectTimeout} ms)`, this.connection));
      this.requestClose(1000, 'connect timeout', 'connect-timeout', false);
    }, init.connectTimeout);
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

  /** Sends on the native socket. Throws what the native `send()` throws. */
  send(data: SendData): void {
    if (!this.native || this.state !== 'open') {
      throw new DOMException(`Connection ${this.connection} is not open: state ${this.state}`, 'InvalidStateError');
    }
    this.native.send(data);
  }

  /**
   * Asks to close. With `wait`, the Close echo is awaited for `closeTimeout`
   * ms before the close is reported as timed out; without, the socket is
   * abandoned at once (the browser's close is still recorded when it comes).
   * A second request is ignored.
   */
  requestClose(code: number, reason: string, cause: CloseCause, wait: boolean): void {
    if (this.state === 'closing' || this.state === 'closed') return;
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
    this.closeTimer = setTimeout(() => {
      this.closeTimer = undefined;
      this.finish(1006, '', false, true, null);
    }, this.closeTimeout);
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
        if (this.closeRequestedAt === null && this.state !== 'closed') {
          const code = this.state === 'connecting' ? 'connect-failed' : 'socket-error';
          const text = this.state === 'connecting' ? 'The connection failed before it opened' : 'The connection failed';
          this.hooks.error(this, new SocketError(code, text, this.connection));
        }
        return;
      case 'close':
        return this.onNativeClose(event as CloseEvent);
    }
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
      this.hooks.lateClose(this, { code: event.code, wasClean: event.wasClean, at });
      return;
    }
    this.finish(event.code, event.reason, event.wasClean, false, at);
  }

  private finish(code: number, reason: string, wasClean: boolean, timedOut: boolean, nativeCloseAt: number | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearConnectTimer();
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.hooks.close(this, {
      code,
      reason,
      wasClean,
      timedOut,
      requestedCause: this.requestedCause,
      closeRequestedAt: this.closeRequestedAt,
      closeAt: nativeCloseAt ?? now(),
      nativeCloseAt,
    });
    this.dispatch({ type: 'close', code, reason, wasClean });
  }

  private clearConnectTimer(): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private dispatch(event: { type: string; code?: number; reason?: string; wasClean?: boolean }): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
  }
}
