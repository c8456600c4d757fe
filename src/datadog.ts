/**
 * `resilient-socket/datadog`: a Datadog RUM duration vital for each
 * connection, from the attempt to the close, carrying the close under the
 * names of Datadog's own WebSocket vitals (`close_code`, `close_reason`,
 * `was_clean`, `close_initiator`, the inbound and outbound counts) plus
 * what only this SDK knows: the kind (`timeout`), the cause and the
 * diagnosis. `datadogRum` is passed in: nothing of Datadog is imported here.
 *
 * Datadog's own WebSocket vitals watch the global `WebSocket`: for a socket
 * this SDK abandoned after `closeTimeout`, they report the browser's close
 * a minute later. This vital reports the close the app saw.
 *
 * @example
 * import { datadogRum } from '@datadog/browser-rum';
 * import { datadogVitals } from 'resilient-socket/datadog';
 *
 * const stop = datadogVitals(socket, datadogRum);
 *
 * @module
 */
import type { CloseDiagnosis } from './diagnose.js';
import type { CloseTrace } from './traces.js';
import { type ExportOptions, type TraceSource, watchTraces } from './watch.js';

export type { ExportOptions, TraceSource } from './watch.js';

/** The context of each vital: `{ websocket: … }`. Durations in ms, named `*_ms`. */
export interface WebSocketVitalContext {
  websocket: {
    id: string;
    url: string;
    connection: number;
    close_code: number;
    close_reason: string;
    was_clean: boolean;
    close_initiator: 'client' | 'server' | 'network';
    kind: 'clean' | 'abnormal' | 'timeout';
    cause: string;
    diagnosis: string;
    fix: string;
    close_latency_ms: number | null;
    native_close_latency_ms: number | null;
    opened: boolean;
    will_reconnect: boolean;
    inbound: { message_count: number; message_size_total: number; message_size_max: number; time_to_first_message_ms: number | null; longest_silence_ms: number | null };
    outbound: { message_count: number; message_size_total: number; message_size_max: number; buffered_amount_at_close: number | null };
  };
}

/** What this module needs of `datadogRum`: `addDurationVital` (RUM v6 and later), else `addAction`. */
export interface DatadogRumLike {
  addDurationVital?(name: string, options: { startTime: number; duration: number; context?: object; description?: string }): void;
  addAction?(name: string, context?: object): void;
}

/** Options of {@link datadogVitals}. */
export interface DatadogOptions extends ExportOptions {
  /**
   * The vital's (or, without `addDurationVital`, the action's) name.
   * @default 'websocket'
   */
  name?: string;
}

/**
 * Adds a Datadog RUM duration vital for each close of `socket` (an action,
 * with an RUM SDK that has no `addDurationVital`), from the connection
 * attempt to the close, with {@link WebSocketVitalContext} as its context.
 * The URL is redacted. Returns the function that stops it.
 * @throws TypeError when `socket` is not a ResilientSocket or TracedWebSocket, `datadogRum` has neither method, or `name` is not a non-empty string.
 */
export function datadogVitals(socket: TraceSource, datadogRum: DatadogRumLike, options: DatadogOptions = {}): () => void {
  if (typeof datadogRum?.addDurationVital !== 'function' && typeof datadogRum?.addAction !== 'function') {
    throw new TypeError('datadogVitals: the second argument must be datadogRum from @datadog/browser-rum (an object with addDurationVital or addAction)');
  }
  const { name = 'websocket' } = options;
  if (typeof name !== 'string' || name === '') throw new TypeError(`datadogVitals: \`name\` must be a non-empty string, got ${JSON.stringify(name)}`);
  return watchTraces(
    'datadogVitals',
    socket,
    {
      close(trace, diagnosis) {
        const context = contextOf(trace, diagnosis);
        if (typeof datadogRum.addDurationVital === 'function') {
          datadogRum.addDurationVital(name, { startTime: trace.connectAt, duration: trace.closeAt - trace.connectAt, context, description: diagnosis.summary });
        } else {
          datadogRum.addAction!(name, context);
        }
      },
    },
    options.redactUrl !== false,
  );
}

function contextOf(trace: CloseTrace, diagnosis: CloseDiagnosis): WebSocketVitalContext {
  return {
    websocket: {
      id: trace.id,
      url: trace.url,
      connection: trace.connection,
      close_code: trace.code,
      close_reason: trace.reason,
      was_clean: trace.wasClean,
      close_initiator: trace.initiator,
      kind: trace.kind,
      cause: trace.cause,
      diagnosis: diagnosis.cause,
      fix: diagnosis.fix,
      close_latency_ms: trace.latencyMs,
      native_close_latency_ms: trace.nativeLatencyMs,
      opened: trace.openAt !== null,
      will_reconnect: trace.willReconnect,
      inbound: {
        message_count: trace.messagesIn,
        message_size_total: trace.bytesIn,
        message_size_max: trace.largestIn,
        time_to_first_message_ms: trace.firstMessageMs,
        longest_silence_ms: trace.longestSilenceMs,
      },
      outbound: {
        message_count: trace.messagesOut,
        message_size_total: trace.bytesOut,
        message_size_max: trace.largestOut,
        buffered_amount_at_close: trace.bufferedAmountAtClose,
      },
    },
  };
}
