/**
 * `resilient-socket/sentry`: a Sentry breadcrumb for each close and each
 * reconnect, so that an error reported after a connection went wrong
 * carries how it went wrong. Sentry itself is passed in: nothing of it is
 * imported here.
 *
 * @example
 * import * as Sentry from '@sentry/browser';
 * import { sentryBreadcrumbs } from 'resilient-socket/sentry';
 *
 * const stop = sentryBreadcrumbs(socket, Sentry);
 *
 * @module
 */
import type { CloseKind } from './close-info.js';
import { type ExportOptions, type TraceSource, watchTraces } from './watch.js';

export type { ExportOptions, TraceSource } from './watch.js';

/** The breadcrumb this module adds: a subset of Sentry's `Breadcrumb`. */
export interface WebSocketBreadcrumb {
  type: 'default';
  /** Always `"websocket"`. */
  category: 'websocket';
  /** `info` for a clean close and a reconnect, `warning` for an abnormal close, `error` for a timed-out one. */
  level: 'info' | 'warning' | 'error';
  message: string;
  data: Record<string, string | number | boolean | null>;
  /** Seconds since the epoch: when the close (or the reconnect decision) happened. */
  timestamp: number;
}

/** What this module needs of Sentry: `addBreadcrumb`, as `@sentry/browser` (or any Sentry SDK) exports it. */
export interface SentryLike {
  addBreadcrumb(breadcrumb: WebSocketBreadcrumb): void;
}

const LEVEL: Record<CloseKind, WebSocketBreadcrumb['level']> = { clean: 'info', abnormal: 'warning', timeout: 'error' };

/**
 * Adds a breadcrumb (category `websocket`) to Sentry for each close of
 * `socket`, at the level of its kind (`clean` info, `abnormal` warning,
 * `timeout` error), with the trace's fields and its diagnosis as data, and
 * one for each reconnect it schedules. The URL is redacted.
 * Returns the function that stops it.
 * @throws TypeError when `socket` is not a ResilientSocket or TracedWebSocket, or `sentry` has no `addBreadcrumb`.
 */
export function sentryBreadcrumbs(socket: TraceSource, sentry: SentryLike, options: ExportOptions = {}): () => void {
  if (typeof sentry?.addBreadcrumb !== 'function') throw new TypeError('sentryBreadcrumbs: the second argument must be Sentry (an object with addBreadcrumb), e.g. `import * as Sentry from \'@sentry/browser\'`');
  let url = '';
  return watchTraces(
    'sentryBreadcrumbs',
    socket,
    {
      close(trace, diagnosis) {
        url = trace.url;
        const latency = trace.latencyMs === null ? '' : ` after ${Math.round(trace.latencyMs)} ms`;
        sentry.addBreadcrumb({
          type: 'default',
          category: 'websocket',
          level: LEVEL[trace.kind],
          message: `WebSocket closed: ${trace.kind}, ${trace.code} ${trace.codeName}, by ${trace.initiator} (${trace.cause})${latency}: ${diagnosis.cause}`,
          data: {
            url: trace.url,
            id: trace.id,
            connection: trace.connection,
            code: trace.code,
            reason: trace.reason,
            was_clean: trace.wasClean,
            kind: trace.kind,
            initiator: trace.initiator,
            cause: trace.cause,
            latency_ms: trace.latencyMs,
            opened: trace.openAt !== null,
            lifetime_ms: trace.openAt === null ? null : Math.round(trace.closeAt - trace.openAt),
            messages_in: trace.messagesIn,
            messages_out: trace.messagesOut,
            bytes_in: trace.bytesIn,
            bytes_out: trace.bytesOut,
            longest_silence_ms: trace.longestSilenceMs,
            will_reconnect: trace.willReconnect,
            diagnosis: diagnosis.cause,
            fix: diagnosis.fix,
          },
          timestamp: trace.closeAt / 1000,
        });
      },
      reconnect({ attempt, delayMs }) {
        sentry.addBreadcrumb({
          type: 'default',
          category: 'websocket',
          level: 'info',
          message: `WebSocket reconnect: attempt ${attempt} in ${delayMs} ms`,
          data: { url, attempt, delay_ms: delayMs },
          timestamp: Date.now() / 1000,
        });
      },
    },
    options.redactUrl !== false,
  );
}
