/**
 * The one typed event map of ResilientSocket, and the payload types.
 *
 * @module
 */
import type { CloseInfo } from './close-info.js';
import type { SocketError } from './errors.js';
import type { SendData } from './options.js';
import type { CloseTrace } from './traces.js';

/**
 * The socket's state.
 *
 * - `idle`: made with `startClosed`, not started yet: nothing opened, no timer or listener set;
 *   `open()` (or `reconnect()`) starts it. Messages sent meanwhile are queued.
 * - `connecting`: an attempt is under way (resolving the URL, or the handshake).
 * - `open`: connected; `send()` goes straight out.
 * - `closing`: `close()` was called and the SDK waits for the Close echo.
 * - `reconnecting`: waiting out the backoff delay before the next attempt.
 * - `offline`: the browser is offline or the page is in the back/forward cache; no attempt until it returns.
 * - `closed`: terminal, after `close()`, a policy that said no, or `maxRetries`. Only `reconnect()` leaves it.
 */
export type SocketState = 'idle' | 'connecting' | 'open' | 'closing' | 'reconnecting' | 'offline' | 'closed';

/** Payload of `open`. */
export interface OpenInfo {
  /** The connection's number, from 1. */
  readonly connection: number;
  /** The URL connected to, unredacted (as `WebSocket.url`). */
  readonly url: string;
  /** The sub-protocol the server chose. */
  readonly protocol: string;
  /** Failed attempts before this one since the last stable connection. */
  readonly retries: number;
  /** Ms from the start of the attempt to open. */
  readonly connectMs: number;
}

/** Payload of `reconnect`: an attempt has been scheduled. */
export interface ReconnectInfo {
  /** The retry number since the last stable connection, from 1; 0 when `reconnect()` asked for it. */
  readonly attempt: number;
  /** Ms until the attempt starts. */
  readonly delayMs: number;
}

/** Payload of `drop`: a message the SDK did not send, and why. */
export interface DropInfo {
  /** The message, as given to `send()`. */
  readonly data: SendData;
  /**
   * - `queue-full`: `maxQueuedMessages` or `maxQueuedBytes` would be exceeded.
   * - `closed`: the socket is closed for good; queued messages are released too.
   * - `send-failed`: the native `send()` threw.
   */
  readonly reason: 'queue-full' | 'closed' | 'send-failed';
}

/** Payload of `state`. */
export interface StateChange {
  readonly state: SocketState;
  readonly previous: SocketState;
}

/** Every event of ResilientSocket and its payload. */
export type SocketEvents = {
  /** A connection opened; queued messages were flushed just before. */
  open: OpenInfo;
  /** A message arrived (heartbeat pongs are consumed, not emitted). */
  message: MessageEvent;
  /** A connection ended; once per connection. */
  close: CloseInfo;
  /** A fault: failed connection, connect timeout, URL provider failure, send failure. */
  error: SocketError;
  /** The next attempt has been scheduled. */
  reconnect: ReconnectInfo;
  /** A close trace was recorded, or updated when the browser's late close arrived. */
  trace: CloseTrace;
  /** The state changed. */
  state: StateChange;
  /** A message was not sent. */
  drop: DropInfo;
};
