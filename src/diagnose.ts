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
  /** Dropped after an inbound silence near a common proxy or load balancer idle limit, more than once. */
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
  /** The page was closed or navigated away from while connected. */
  | 'unload'
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

/** Idle limits of common proxies and load balancers, in s (AWS ALB 60, Cloudflare 100, nginx/Heroku-style 120, Azure/GCP 300, AWS NLB 350). */
export const IDLE_LIMITS_S = [60, 100, 120, 300, 350] as const;
/** How far a connection's lifetime may be from an idle limit to count as hitting it, in s. */
const IDLE_SLACK_S = 3;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The idle limit that an abnormal drop's longest inbound silence (its
 * lifetime, for a trace without one) sits on, or `null`. A proxy that
 * drops idle connections lets no silence grow past its limit, so the
 * longest one is the last, and equals the limit.
 */
function idleLimit(trace: CloseTrace): number | null {
  if (trace.openAt === null || trace.kind !== 'abnormal' || trace.initiator === 'client') return null;
  const silent = (trace.longestSilenceMs ?? trace.closeAt - trace.openAt) / 1000;
  return IDLE_LIMITS_S.find((limit) => Math.abs(silent - limit) <= IDLE_SLACK_S) ?? null;
}

/** How many earlier connections in `previous` dropped on the same idle limit as `trace`. */
function sameIdleLimit(trace: CloseTrace, previous: readonly CloseTrace[], limit: number): number {
  return previous.filter((t) => t !== trace && t.connection !== trace.connection && idleLimit(t) === limit).length;
}

/**
 * The cause {@link diagnose} names, without its words: what
 * `stats.closesByDiagnosis` counts, small enough for the core bundle.
 * @internal
 */
export function diagnosisCause(trace: CloseTrace, previous: readonly CloseTrace[] = []): DiagnosisCause {
  if (trace.kind === 'timeout') return 'server-not-reading';
  if (trace.cause === 'heartbeat' || trace.cause === 'stall') return 'dead-peer';
  if (trace.cause === 'offline') return 'offline';
  if (trace.cause === 'unload') return 'unload';
  if (trace.cause === 'pagehide') return 'page-hidden';
  if (trace.openAt === null) return 'connect-failed';
  if (trace.initiator === 'server') {
    const c = trace.code;
    if (c === 1001 || c === 1012) return 'server-restart';
    if (c === 1013) return 'server-overload';
    if (c === 1008 || (c >= 4000 && c <= 4999)) return 'refused';
  }
  const limit = idleLimit(trace);
  if (limit !== null && sameIdleLimit(trace, previous, limit) > 0) return 'idle-timeout';
  return trace.kind === 'clean' ? 'clean' : 'network';
}

/**
 * Names the most likely cause of the close `trace` records, the fix, and
 * the evidence. `previous` (earlier traces of the same socket, e.g.
 * `socket.traces`) lets it see a pattern: an idle timeout is named only
 * when at least two connections dropped after the same idle limit of
 * silence ({@link IDLE_LIMITS_S}).
 *
 * @example
 * socket.on('trace', (trace) => console.warn(diagnose(trace, socket.traces)));
 */
export function diagnose(trace: CloseTrace, previous: readonly CloseTrace[] = []): CloseDiagnosis {
  const cause = diagnosisCause(trace, previous);
  const make = (summary: string, fix: string, evidence: string[]): CloseDiagnosis => Object.freeze({ cause, summary, fix, evidence: Object.freeze(evidence) });
  const code = `code ${trace.code}${trace.reason ? ` ("${trace.reason}")` : ''}, ${trace.wasClean ? 'clean' : 'not clean'}`;
  const lived = trace.openAt === null ? '?' : seconds(trace.closeAt - trace.openAt);

  switch (cause) {
    case 'server-not-reading':
      return make(
        'The server never answered the Close frame: it is not reading its socket (a handler with no read loop, or one blocked).',
        'Read from the socket in the server for as long as it is open (gorilla/websocket: a read loop per connection), so that the Close handshake completes.',
        [
          `this page asked to close (${trace.cause}); no Close echo came within ${seconds(trace.latencyMs ?? 0)}`,
          trace.nativeLatencyMs !== null
            ? `the browser gave up on the handshake itself after ${seconds(trace.nativeLatencyMs)} (code ${trace.nativeCode})`
            : 'the browser had not closed the socket yet when the trace was taken',
        ],
      );
    case 'dead-peer':
      return make(
        trace.cause === 'heartbeat' ? 'The peer stopped answering: no message within the heartbeat timeout.' : 'Sent data stopped draining: the peer or the path to it is stuck.',
        'Nothing in the app: the SDK reconnected. If it repeats, look for a proxy that drops idle or half-open connections, or a server that stalls.',
        [`closed by the ${trace.cause === 'heartbeat' ? 'heartbeat' : 'stall watchdog'} after ${lived} open`],
      );
    case 'offline':
      return make('The browser went offline.', 'Nothing: the SDK reconnects when the browser is online again.', ['closed on the offline event']);
    case 'unload':
      return make('The page was closed or navigated away from.', 'Nothing.', ['closed on pagehide without persisted']);
    case 'page-hidden':
      return make('The page entered the back/forward cache.', 'Nothing: the SDK reconnects when the page is restored.', ['closed on pagehide with persisted']);
    case 'connect-failed': {
      const evidence = [`never opened (${trace.cause}), ${code}`];
      if (trace.afterFailureMs !== null) evidence.push(`began ${Math.round(trace.afterFailureMs)} ms after a failed connection to the same host: the browser may have held it back`);
      if (trace.abandonedSockets >= 32) evidence.push(`${trace.abandonedSockets} abandoned sockets were still closing in the page: the browser may have run out of sockets`);
      return make(
        'The connection never opened: the server refused or did not answer the handshake, or the URL is wrong.',
        'Check the URL, that the server is up and reachable from the page, and its answer to the upgrade (an HTTP error, an auth failure).',
        evidence,
      );
    }
    case 'server-restart':
      return make('The server is going away or restarting.', 'Nothing: the SDK reconnects with backoff. Spread restarts so that clients do not all come back at once.', [code]);
    case 'server-overload':
      return make('The server is overloaded and asked to try again later.', 'Nothing in the client: the SDK waits longer before reconnecting. Add capacity if it repeats.', [code]);
    case 'refused':
      return make(
        'The server refused the connection by policy or authorization.',
        'Fix what the server refuses (a token, a permission): no retry will help. Stop reconnecting for this code in shouldReconnect if it is not retried already.',
        [code],
      );
    case 'idle-timeout': {
      const limit = idleLimit(trace)!;
      const same = sameIdleLimit(trace, previous, limit);
      return make(
        `A proxy or load balancer closes connections idle for about ${limit} s.`,
        `Turn the heartbeat on with an interval well under ${limit} s (e.g. heartbeat: { interval: ${Math.max(5, Math.floor(limit / 3))}_000 }), or raise the proxy's idle timeout.`,
        [
          `this connection dropped after ${seconds(trace.longestSilenceMs ?? trace.closeAt - trace.openAt!)} without an inbound message, ${code}`,
          `${same} earlier connection${same === 1 ? '' : 's'} dropped after the same ${limit} s of silence`,
        ],
      );
    }
    case 'clean':
      return make('The connection closed cleanly.', 'Nothing.', [code, `${trace.initiator} asked for it`]);
    default:
      return make(
        'The connection dropped without a Close frame.',
        'Nothing if it is rare: the SDK reconnected. If it repeats, check the network path (proxies, VPN, mobile networks) and the server for crashes; the heartbeat finds half-open connections sooner.',
        [code, `after ${lived} open`],
      );
  }
}
