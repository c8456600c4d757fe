/**
 * What the exporters and the beacon share: a subscription to the traces of
 * a `ResilientSocket` or a `TracedWebSocket`, that tells a close's first
 * trace from the update that brings the browser's late close, and keeps the
 * recent traces that `diagnose()` needs to see a pattern.
 *
 * Type-only imports of the socket classes: an entry that uses this module
 * bundles neither.
 *
 * @module
 */
import { type CloseDiagnosis, diagnose } from './diagnose.js';
import type { ReconnectInfo } from './events.js';
import { redactUrl } from './redact.js';
import type { ResilientSocket } from './resilient-socket.js';
import type { CloseTrace } from './traces.js';
import type { TracedWebSocket } from './traced-websocket.js';

/** A socket whose closes can be reported: a `ResilientSocket` or a `TracedWebSocket`. */
export type TraceSource = ResilientSocket | TracedWebSocket;

/** Options every exporter takes. */
export interface ExportOptions {
  /**
   * Redact each trace's URL again (no credentials, query or fragment) before
   * it leaves the page, whatever the socket's own `redactUrl` option kept.
   * `false` passes the URL as the socket recorded it.
   * @default true
   */
  redactUrl?: boolean;
}

/** What a watcher hears. */
export interface TraceWatcher {
  /** A close: its first trace, and `diagnose()`'s verdict given the socket's traces before it. */
  close(trace: CloseTrace, diagnosis: CloseDiagnosis): void;
  /** The same connection's trace again: with the browser's late close, or corrected (an unload). */
  late?(trace: CloseTrace): void;
  /** A reconnect was scheduled (`ResilientSocket` only). */
  reconnect?(info: ReconnectInfo): void;
}

/** How many earlier traces a watcher keeps for diagnose(). */
const HISTORY = 20;

/**
 * Calls `watcher` for each close of `source`; returns the function that
 * stops it. Each trace's URL is redacted unless `redact` is false.
 * @throws TypeError naming `what` when `source` is not a socket of this SDK.
 */
export function watchTraces(what: string, source: TraceSource, watcher: TraceWatcher, redact = true): () => void {
  const history: CloseTrace[] = [];
  // Ids of closes whose browser close is still to come: their next trace is the late one.
  const pending = new Set<string>();
  const clean = (trace: CloseTrace): CloseTrace => (redact ? { ...trace, url: redactUrl(trace.url) } : trace);
  const onTrace = (raw: CloseTrace) => {
    const trace = clean(raw);
    const known = history.findIndex((t) => t.id === trace.id);
    // A trace seen before, again: the browser's late close, or a close corrected (Firefox's unload).
    if (pending.delete(trace.id) || known >= 0) {
      if (known >= 0) history[known] = trace;
      watcher.late?.(trace);
      return;
    }
    if (trace.nativeCloseAt === null) pending.add(trace.id);
    const diagnosis = diagnose(trace, history);
    history.push(trace);
    if (history.length > HISTORY) history.shift();
    watcher.close(trace, diagnosis);
  };
  const onReconnect = (info: ReconnectInfo) => watcher.reconnect?.(info);
  const s = source as unknown as Partial<Pick<ResilientSocket, 'on' | 'off'>> & Partial<Pick<TracedWebSocket, 'addEventListener' | 'removeEventListener' | 'trace'>>;
  if (typeof s.on === 'function' && typeof s.off === 'function') {
    const socket = source as ResilientSocket;
    socket.on('trace', onTrace);
    socket.on('reconnect', onReconnect);
    return () => {
      socket.off('trace', onTrace);
      socket.off('reconnect', onReconnect);
    };
  }
  if (typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function' && 'trace' in s) {
    const listener = (event: Event) => onTrace((event as Event & { trace: CloseTrace }).trace);
    s.addEventListener('trace', listener);
    // A TracedWebSocket closed before it was watched: its close is still reported.
    if (s.trace) onTrace(s.trace);
    return () => s.removeEventListener!('trace', listener);
  }
  throw new TypeError(`${what}: expected a ResilientSocket or a TracedWebSocket, got ${source === null ? 'null' : typeof source}`);
}

/** `host` and `port` of a socket URL (the port from the scheme when the URL has none). */
export function serverOf(url: string): { address: string; port: number } | null {
  try {
    const u = new URL(url);
    return { address: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'wss:' ? 443 : 80 };
  } catch {
    return null;
  }
}
