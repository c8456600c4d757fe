/**
 * Close classification: a pure mapping from what happened to a connection
 * to the `kind`, `initiator` and readable code name that every `close`
 * event and trace carries.
 *
 * @module
 */

/**
 * How a connection ended.
 *
 * - `clean`: the browser reported `wasClean: true`: both Close frames crossed.
 * - `abnormal`: the connection ended without a completed closing handshake
 *   (1006 and friends), or the SDK abandoned it on purpose (heartbeat, stall,
 *   offline, page hidden, connect timeout).
 * - `timeout`: the app asked to close and the SDK stopped waiting for the
 *   server's Close echo after `closeTimeout` ms.
 */
export type CloseKind = 'clean' | 'abnormal' | 'timeout';

/**
 * Who started the close.
 *
 * - `client`: this page (the app's `close()`/`reconnect()`, or the SDK itself).
 * - `server`: the server sent a Close frame.
 * - `network`: nobody sent a Close frame; the connection dropped.
 */
export type CloseInitiator = 'client' | 'server' | 'network';

/**
 * Why the connection ended, in more detail than {@link CloseInitiator}.
 *
 * - `user`: the app called `close()`.
 * - `reconnect`: the app called `reconnect()` while a connection was live.
 * - `heartbeat`: no inbound message arrived within the heartbeat timeout.
 * - `stall`: `bufferedAmount` stayed above zero without falling for `stallTimeout`.
 * - `offline`: the browser went offline.
 * - `pagehide`: the page entered the back/forward cache.
 * - `unload`: the page was unloaded (`pagehide` not persisted) while connected.
 * - `connect-timeout`: the connection did not open within `connectTimeout`.
 * - `url`: the URL provider threw, rejected or returned an invalid URL.
 * - `server`: the server sent a Close frame.
 * - `network`: the connection dropped without a Close frame, or never opened.
 */
export type CloseCause =
  | 'user'
  | 'reconnect'
  | 'heartbeat'
  | 'stall'
  | 'offline'
  | 'pagehide'
  | 'unload'
  | 'connect-timeout'
  | 'url'
  | 'server'
  | 'network';

/** One per underlying connection that ends; the payload of the `close` event. */
export interface CloseInfo {
  /** The close code: the server's, the browser's (1005, 1006, 1015) or 1006 when the SDK abandoned the socket. */
  readonly code: number;
  /** Readable name of `code`, e.g. `"Service Restart"` for 1012. */
  readonly codeName: string;
  /** The close reason, `''` when none. */
  readonly reason: string;
  /** `true` only when the browser itself reported a completed closing handshake. */
  readonly wasClean: boolean;
  /** Clean, abnormal or timed out. See {@link CloseKind}. */
  readonly kind: CloseKind;
  /** Who started the close. See {@link CloseInitiator}. */
  readonly initiator: CloseInitiator;
  /** Why the connection ended. See {@link CloseCause}. */
  readonly cause: CloseCause;
  /** Milliseconds from the close request to the close; `null` when nobody asked to close (the server or the network ended it). */
  readonly latencyMs: number | null;
  /** Whether the SDK will connect again. */
  readonly willReconnect: boolean;
  /** The delay before the next attempt, or `null` when `willReconnect` is false. */
  readonly nextDelayMs: number | null;
}

/** What {@link classifyClose} needs to know about a close. */
export interface CloseFacts {
  /** The close code reported (by the browser, or 1006 when the SDK abandoned the socket). */
  code: number;
  /** The browser's `wasClean`; `false` when the SDK abandoned the socket. */
  wasClean: boolean;
  /** Whether this page asked for the close (app or SDK). */
  requestedByClient: boolean;
  /** Whether the SDK stopped waiting for the Close echo. */
  timedOut: boolean;
}

/** The result of {@link classifyClose}. */
export interface CloseClassification {
  kind: CloseKind;
  initiator: CloseInitiator;
  codeName: string;
}

// RFC 6455 §7.4.1, plus the IANA "WebSocket Close Code Number Registry" additions: 1000 + index.
const CODE_NAMES: readonly string[] = [
  'Normal Closure',
  'Going Away',
  'Protocol Error',
  'Unsupported Data',
  'Reserved',
  'No Status Received',
  'Abnormal Closure',
  'Invalid Frame Payload Data',
  'Policy Violation',
  'Message Too Big',
  'Mandatory Extension',
  'Internal Error',
  'Service Restart',
  'Try Again Later',
  'Bad Gateway',
  'TLS Handshake',
];

/**
 * The readable name of a close code: the RFC 6455 and IANA names for
 * 1000–1015, then the ranges: `"Registered"` (3000–3999), `"Application"` (4000–4999),
 * `"Unassigned"` for the rest of 1016–2999, and `"Invalid"` outside 1000–4999.
 */
export function closeCodeName(code: number): string {
  if (!Number.isInteger(code) || code < 1000 || code > 4999) return 'Invalid';
  if (code < 1016) return CODE_NAMES[code - 1000]!;
  if (code >= 4000) return 'Application';
  if (code >= 3000) return 'Registered';
  return 'Unassigned';
}

/**
 * Codes a browser invents locally and never receives on the wire
 * (RFC 6455 §7.4.1): 1005 no status, 1006 abnormal, 1015 TLS failure.
 */
export function isLocalCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

/**
 * Maps a close to its kind, initiator and code name. Pure.
 *
 * The kind never claims more than the browser saw: only `wasClean: true`
 * makes a close `clean`, and a close the SDK stopped waiting for is
 * `timeout` whatever its code.
 */
export function classifyClose(facts: CloseFacts): CloseClassification {
  const { code, wasClean, requestedByClient, timedOut } = facts;
  const kind: CloseKind = timedOut ? 'timeout' : wasClean ? 'clean' : 'abnormal';
  let initiator: CloseInitiator;
  if (requestedByClient) initiator = 'client';
  // 1005 means a Close frame arrived without a status: the server sent it.
  else if (code === 1006 || code === 1015) initiator = 'network';
  else initiator = 'server';
  return { kind, initiator, codeName: closeCodeName(code) };
}
