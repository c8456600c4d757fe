/**
 * A fake browser WebSocket for unit tests: no network, every event driven by
 * the test. It dispatches events as a browser does (a failed connection
 * fires `error` then `close` 1006, not clean) and records what the client
 * did (`sent`, `closeCalls`).
 */
import { forgetFailures } from '../failures.js';
import { afterEach, beforeEach, vi } from 'vitest';
import type { WebSocketConstructor } from '../options.js';

type Listener = ((event: FakeEvent) => void) | { handleEvent(event: FakeEvent): void };

/** The plain event objects the fake dispatches (Node 20 has no CloseEvent). */
export interface FakeEvent {
  type: string;
  data?: unknown;
  code?: number;
  reason?: string;
  wasClean?: boolean;
}

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  /** Every instance constructed since the last {@link reset}, oldest first. */
  static instances: FakeWebSocket[] = [];

  /** Called at the end of every construction, e.g. to make a server that always fails. */
  static onCreate: ((socket: FakeWebSocket) => void) | null = null;

  /**
   * Forgets every instance. Sockets still open or closing get the close
   * event a browser fires in the end (1006), so that none stays counted as
   * abandoned into the next test.
   */
  static reset(): void {
    for (const socket of FakeWebSocket.instances) {
      if (socket.readyState !== FakeWebSocket.CLOSED) socket.serverClose(1006, '', false);
    }
    FakeWebSocket.instances = [];
    FakeWebSocket.onCreate = null;
  }

  /** The instances constructed for `url`, oldest first. */
  static for(url: string): FakeWebSocket[] {
    return FakeWebSocket.instances.filter((s) => s.url === url);
  }

  /** The newest instance; throws when there is none. */
  static last(): FakeWebSocket {
    const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!socket) throw new Error('no FakeWebSocket was constructed');
    return socket;
  }

  readonly url: string;
  /** `Date.now()` at construction (fake time in tests). */
  readonly createdAt = Date.now();
  readonly protocols: string | string[] | undefined;
  readyState = FakeWebSocket.CONNECTING;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  binaryType: BinaryType = 'blob';
  /** Data passed to `send()`, in order. */
  readonly sent: unknown[] = [];
  /** Arguments of every `close()` call. */
  readonly closeCalls: Array<{ code: number | undefined; reason: string | undefined }> = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocols = protocols;
    FakeWebSocket.instances.push(this);
    FakeWebSocket.onCreate?.(this);
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  send(data: unknown): void {
    if (this.readyState === FakeWebSocket.CONNECTING) {
      throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    }
    if (this.readyState === FakeWebSocket.OPEN) this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState < FakeWebSocket.CLOSING) this.readyState = FakeWebSocket.CLOSING;
  }

  // ── test helpers: what the server, the network and the browser do ──

  serverOpen(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = FakeWebSocket.OPEN;
    this.dispatch({ type: 'open' });
  }

  serverMessage(data: unknown): void {
    this.dispatch({ type: 'message', data });
  }

  /** The close event: the server's Close frame (or the browser's, with `wasClean: false`). */
  serverClose(code = 1000, reason = '', wasClean = true): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatch({ type: 'close', code, reason, wasClean });
  }

  /**
   * The server's Close frame arrived: the browser turns CLOSING and fires
   * nothing until the TCP connection ends ({@link serverClose} then).
   */
  serverCloseFrame(): void {
    this.readyState = FakeWebSocket.CLOSING;
  }

  /** The connection fails: `error`, then `close` 1006, not clean. */
  fail(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatch({ type: 'error' });
    this.dispatch({ type: 'close', code: 1006, reason: '', wasClean: false });
  }

  private dispatch(event: FakeEvent): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  }
}

/** A server that refuses every connection: each socket fails right after it is built. */
export function alwaysFail(socket: FakeWebSocket): void {
  queueMicrotask(() => socket.fail());
}

/** The fake, typed as the `WebSocket` option expects. */
export const FakeWebSocketCtor = FakeWebSocket as unknown as WebSocketConstructor;

/** Fake timers that include the clocks `src/clock.ts` reads, but not microtasks. */
export const FAKE_TIMERS = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
} as const;

/** Fake timers (the clocks src/clock.ts reads included) and a fresh fake socket around each test, stubbed globals undone. */
export function useFakeWorld(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...FAKE_TIMERS.toFake] });
    FakeWebSocket.reset();
    forgetFailures();
  });
  afterEach(() => {
    FakeWebSocket.reset();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
}
