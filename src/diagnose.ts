/**
 * diagnose(): the most likely cause of a close, from its trace, in words a
 * developer acts on, with the fix and the evidence that led to it. Pure.
 *
 * @module
 */
import type { CloseTrace } from './traces.js';

/** The causes {@link diagnose} names. */
export type DiagnosisCause =
  /** Closed cleanly on request: nothing to fix. */
  | 'clean'
  /** A close this page asked for got no Close echo: the server is not reading its socket. */
  | 'server-not-reading'
  /** The heartbeat or the stall watchdog found the peer dead or half-open. */
  | 'dead-peer'
  /** Dropped after the same lifetime, near a common proxy or load balancer idle limit, more than once. */
  | 'idle-timeout'
  /** The server said it is going away or restarting (1001, 1012). */
  | 'server-restart'
  /** The server said to try again later (1013). */
  | 'server-overload'
  /** The server refused by policy or authorization (1008, 4000–4999): no retry will help. */
  | 'refused'
  /** The network went away (`offline`). */
  | 'offline'
  /** The page went into the back/forward cache. */
  | 'page-hidden'
  /** The connection never opened. */
  | 'connect-failed'
  /** The connection dropped without a Close frame, for no reason the trace shows. */
  | 'network';

/** What {@link diagnose} returns. */
export interface CloseDiagnosis {
  readonly cause: DiagnosisCause;
  /** What happened, in one sentence. */
  readonly summary: string;
  /** What to do about it. */
  readonly fix: string;
  /** The facts of the trace (and of earlier traces) that led here. */
  readonly evidence: readonly string[];
}

/** Idle limits of common proxies and load balancers, in s (AWS ALB 60, Cloudflare 100, nginx/Heroku-style 120, Azure/GCP 300). */
export const IDLE_LIMITS_S = [60, 100, 120, 300] as const;
/** How far a connection's lifetime may be from an idle limit to count as hitting it, in s. */
const IDLE_SLACK_S = 3;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The idle limit a connection's lifetime sits on, or `null`. */
function idleLimit(trace: CloseTrace): number | null {
  if (trace.openAt === null || trace.kind !== 'abnormal' || trace.cause === 'heartbeat' || trace.cause === 'stall') return null;
  if (trace.initiator === 'client') return null;
  const lived = (trace.closeAt - trace.openAt) / 1000;
  return IDLE_LIMITS_S.find((limit) => Math.abs(lived - limit) <= IDLE_SLACK_S) ?? null;
}

/**
 * Names the most likely cause of the close `trace` records, the fix, and
 * the evidence. `previous` (earlier traces of the same socket, e.g.
 * `socket.traces`) lets it see a pattern: an idle timeout is named only
 * when at least two connections ended on the same idle limit.
 *
 * @example
 * socket.on('trace', (trace) => console.warn(diagnose(trace, socket.traces)));
 */
export function diagnose(trace: CloseTrace, previous: readonly CloseTrace[] = []): CloseDiagnosis {
  const make = (cause: DiagnosisCause, summary: string, fix: string, evidence: string[]): CloseDiagnosis =>
    Object.freeze({ cause, summary, fix, evidence: Object.freeze(evidence) });
  const code = `code ${trace.code}${trace.reason ? ` ("${trace.reason}")` : ''}, ${trace.wasClean ? 'clean' : 'not clean'}`;

  if (trace.kind === 'timeout') {
    const evidence = [`this page asked to close (${trace.cause}); no Close echo came within ${seconds(trace.latencyMs ?? 0)}`];
    if (trace.nativeLatencyMs !== null) evidence.push(`the browser gave up on the handshake itself after ${seconds(trace.nativeLatencyMs)} (code ${trace.nativeCode})`);
    else evidence.push('the browser had not closed the socket yet when the trace was taken');
    return make(
      'server-not-reading',
      'The server never answered the Close frame: it is not reading its socket (a handler with no read loop, or one blocked).',
      'Read from the socket in the server for as long as it is open (gorilla/websocket: a read loop per connection), so that the Close handshake completes.',
      evidence,
    );
  }
  if (trace.cause === 'heartbeat' || trace.cause === 'stall') {
    return make(
      'dead-peer',
      trace.cause === 'heartbeat' ? 'The peer stopped answering: no message within the heartbeat timeout.' : 'Sent data stopped draining: the peer or the path to it is stuck.',
      'Nothing in the app: the SDK reconnected. If it repeats, look for a proxy that drops idle or half-open connections, or a server that stalls.',
      [`closed by the ${trace.cause === 'heartbeat' ? 'heartbeat' : 'stall watchdog'} after ${trace.openAt === null ? '?' : seconds(trace.closeAt - trace.openAt)} open`],
    );
  }
  if (trace.cause === 'offline') return make('offline', 'The browser went offline.', 'Nothing: the SDK reconnects when the browser is online again.', ['closed on the offline event']);
  if (trace.cause === 'pagehide') return make('page-hidden', 'The page entered the back/forward cache.', 'Nothing: the SDK reconnects when the page is restored.', ['closed on pagehide with persisted']);
  if (trace.openAt === null) {
    const evidence = [`never opened (${trace.cause}), ${code}`];
    if (trace.afterFailureMs !== null) evidence.push(`began ${Math.round(trace.afterFailureMs)} ms after a failed connection to the same host: the browser may have held it back`);
    if (trace.abandonedSockets >= 32) evidence.push(`${trace.abandonedSockets} abandoned sockets were still closing in the page: the browser may have run out of sockets`);
    return make(
      'connect-failed',
      'The connection never opened: the server refused or did not answer the handshake, or the URL is wrong.',
      'Check the URL, that the server is up and reachable from the page, and its answer to the upgrade (an HTTP error, an auth failure).',
      evidence,
    );
  }
  if (trace.initiator === 'server' && (trace.code === 1001 || trace.code === 1012)) {
    return make('server-restart', 'The server is going away or restarting.', 'Nothing: the SDK reconnects with backoff. Spread restarts so that clients do not all come back at once.', [code]);
  }
  if (trace.initiator === 'server' && trace.code === 1013) {
    return make('server-overload', 'The server is overloaded and asked to try again later.', 'Nothing in the client: the SDK waits longer before reconnecting. Add capacity if it repeats.', [code]);
  }
  if (trace.initiator === 'server' && (trace.code === 1008 || (trace.code >= 4000 && trace.code <= 4999))) {
    return make(
      'refused',
      'The server refused the connection by policy or authorization.',
      'Fix what the server refuses (a token, a permission): no retry will help. Stop reconnecting for this code in shouldReconnect if it is not retried already.',
      [code],
    );
  }
  const limit = idleLimit(trace);
  if (limit !== null) {
    const same = previous.filter((t) => t !== trace && t.connection !== trace.connection && idleLimit(t) === limit).length;
    if (same >= 1) {
      return make(
        'idle-timeout',
        `A proxy or load balancer closes connections idle for about ${limit} s.`,
        `Turn the heartbeat on with an interval well under ${limit} s (e.g. heartbeat: { interval: ${Math.max(5, Math.floor(limit / 3))}_000 }), or raise the proxy's idle timeout.`,
        [`this connection ended after ${seconds(trace.closeAt - trace.openAt!)}, ${code}`, `${same} earlier connection${same === 1 ? '' : 's'} ended after the same ${limit} s`],
      );
    }
  }
  if (trace.kind === 'clean') {
    return make('clean', 'The connection closed cleanly.', 'Nothing.', [code, `${trace.initiator} asked for it`]);
  }
  return make(
    'network',
    'The connection dropped without a Close frame.',
    'Nothing if it is rare: the SDK reconnected. If it repeats, check the network path (proxies, VPN, mobile networks) and the server for crashes; the heartbeat finds half-open connections sooner.',
    [code, `after ${seconds(trace.closeAt - trace.openAt)} open`],
  );
}
