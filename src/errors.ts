/**
 * Errors. Bad input throws the built-in class a browser would throw
 * (`RangeError`, `TypeError`, and `DOMException` `SyntaxError` or
 * `InvalidAccessError`, as the WebSocket constructor and close() do); faults at run
 * time are emitted as a {@link SocketError} on the `error` event, never thrown.
 *
 * @module
 */

/** What went wrong, for a {@link SocketError}. */
export type SocketErrorCode =
  /** The browser fired `error` on the native socket (refused, rejected upgrade, dropped). */
  | 'connect-failed'
  /** The browser fired `error` on an open socket; a `close` follows. */
  | 'socket-error'
  /**
   * The connection failed before it opened while many sockets this page
   * abandoned are still closing in the browser, whose pool of WebSocket
   * connections is then likely exhausted (Chromium allows about 255).
   */
  | 'socket-limit'
  /** The attempt, URL resolution included, did not open within `connectTimeout`. */
  | 'connect-timeout'
  /** The URL provider threw, rejected, or returned a URL the browser refused. */
  | 'url'
  /** The native `send()` refused a message (it threw), or the message cannot be sent (a view on a SharedArrayBuffer). */
  | 'send-failed'
  /** A function the app passed (`shouldReconnect`, `heartbeat.message`, `heartbeat.isPong`) threw or returned a bad value; the SDK carried on. */
  | 'handler';

/** A fault at run time, emitted on the `error` event. */
export class SocketError extends Error {
  override readonly name = 'SocketError';
  /** What went wrong. */
  readonly code: SocketErrorCode;
  /** The connection number (1-based) the fault belongs to, or `null`. */
  readonly connection: number | null;

  constructor(code: SocketErrorCode, message: string, connection: number | null, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.connection = connection;
  }
}

/** Renders a value for an error message: strings quoted, the rest as typed. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value !== null && typeof value === 'object') return Object.prototype.toString.call(value);
  return String(value);
}

/** The `DOMException` a browser throws for a URL, sub-protocol or close reason it refuses. */
export function syntaxError(message: string): DOMException {
  return new DOMException(message, 'SyntaxError');
}

/** The `DOMException` a browser throws for a close code it refuses. */
export function invalidAccess(message: string): DOMException {
  return new DOMException(message, 'InvalidAccessError');
}
