/**
 * `resilient-socket/opentelemetry`: one span per connection, from the
 * attempt to the close, with events for the open, the close request and
 * the browser's late close. The tracer is passed in: nothing of
 * OpenTelemetry is imported here.
 *
 * OpenTelemetry has no semantic conventions for WebSocket yet. The span
 * uses the stable attributes that apply (`url.full`, `server.address`,
 * `server.port`, `network.protocol.name`, `error.type`) and names the rest
 * `websocket.*`; those names are this SDK's, not a standard.
 *
 * @example
 * import { trace } from '@opentelemetry/api';
 * import { openTelemetrySpans } from 'resilient-socket/opentelemetry';
 *
 * const stop = openTelemetrySpans(socket, trace.getTracer('app'));
 *
 * @module
 */
import { pageWindow } from './lifecycle.js';
import type { CloseTrace } from './traces.js';
import { type ExportOptions, type TraceSource, serverOf, watchTraces } from './watch.js';

export type { ExportOptions, TraceSource } from './watch.js';

/** An attribute value, as OpenTelemetry takes one. */
export type SpanAttributeValue = string | number | boolean;

/** What this module needs of an OpenTelemetry `Span`. */
export interface SpanLike {
  setAttributes(attributes: Record<string, SpanAttributeValue>): unknown;
  addEvent(name: string, attributes?: Record<string, SpanAttributeValue>, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(endTime?: number): void;
}

/** What this module needs of an OpenTelemetry `Tracer` (`trace.getTracer(name)`). */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; startTime?: number; attributes?: Record<string, SpanAttributeValue> }): SpanLike;
}

/** Options of {@link openTelemetrySpans}. */
export interface OpenTelemetryOptions extends ExportOptions {
  /**
   * The span's name.
   * @default 'websocket'
   */
  spanName?: string;
  /**
   * After a close the SDK stopped waiting for (a timeout, an abandoned
   * socket), how long to keep the span open for the browser's own late
   * close, in ms, so that it becomes the span's `websocket.native_close`
   * event. Chromium gives up after 60 s, Firefox after 20 s. The span ends
   * at the SDK's close either way; until then it is not exported. `pagehide`
   * and the returned stop function end such spans at once.
   * @default 65000
   */
  lateCloseWaitMs?: number;
}

/** SpanKind.CLIENT and SpanStatusCode.ERROR, as numbers: the enums live in @opentelemetry/api. */
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/**
 * Records one span per connection of `socket` with `tracer`: started at
 * the connection attempt, ended at the close, of kind CLIENT, with status
 * ERROR when the close was not clean. Events: `websocket.open`,
 * `websocket.closing` (the close request) and `websocket.native_close`
 * (the browser's own close event, when it came after the SDK's). The URL
 * is redacted. Returns the function that stops it (ending spans still
 * waiting for a late close).
 * @throws TypeError when `socket` is not a ResilientSocket or TracedWebSocket, `tracer` has no `startSpan`, or an option is invalid.
 */
export function openTelemetrySpans(socket: TraceSource, tracer: TracerLike, options: OpenTelemetryOptions = {}): () => void {
  if (typeof tracer?.startSpan !== 'function') throw new TypeError('openTelemetrySpans: the second argument must be a Tracer, e.g. `trace.getTracer(\'app\')` from @opentelemetry/api');
  const { spanName = 'websocket', lateCloseWaitMs = 65_000 } = options;
  if (typeof spanName !== 'string' || spanName === '') throw new TypeError(`openTelemetrySpans: \`spanName\` must be a non-empty string, got ${JSON.stringify(spanName)}`);
  if (typeof lateCloseWaitMs !== 'number' || !(lateCloseWaitMs >= 0) || lateCloseWaitMs > 2_147_483_647) {
    throw new RangeError(`openTelemetrySpans: \`lateCloseWaitMs\` must be a number of ms from 0 to 2147483647, got ${String(lateCloseWaitMs)}`);
  }
  /** Spans waiting for their late close, by connection id. */
  const waiting = new Map<string, { trace: CloseTrace; diagnosis: string; timer: ReturnType<typeof setTimeout> }>();

  const record = (trace: CloseTrace, diagnosis: string, late: CloseTrace | null) => {
    const span = tracer.startSpan(spanName, { kind: SPAN_KIND_CLIENT, startTime: trace.connectAt, attributes: attributesOf(trace, diagnosis) });
    if (trace.openAt !== null) span.addEvent('websocket.open', {}, trace.openAt);
    if (trace.closeRequestedAt !== null) span.addEvent('websocket.closing', {}, trace.closeRequestedAt);
    const native = late ?? trace;
    if (native.nativeCloseAt !== null && native.nativeCloseAt > trace.closeAt) {
      span.addEvent(
        'websocket.native_close',
        { 'websocket.close.code': native.nativeCode ?? 0, 'websocket.close.was_clean': native.nativeWasClean === true, 'websocket.native_close.latency_ms': native.nativeLatencyMs ?? 0 },
        native.nativeCloseAt,
      );
    } else if (native.nativeCloseAt === null) {
      span.setAttributes({ 'websocket.native_close.pending': true });
    }
    if (!trace.wasClean) span.setStatus({ code: STATUS_ERROR, message: `${trace.kind}: ${trace.code} ${trace.codeName}` });
    span.end(trace.closeAt);
  };
  const finish = (id: string, late: CloseTrace | null) => {
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    record(entry.trace, entry.diagnosis, late);
  };
  const flush = () => {
    for (const id of [...waiting.keys()]) finish(id, null);
  };

  const stopWatching = watchTraces(
    'openTelemetrySpans',
    socket,
    {
      close(trace, diagnosis) {
        if (trace.nativeCloseAt !== null || lateCloseWaitMs === 0) return record(trace, diagnosis.cause, null);
        waiting.set(trace.id, { trace, diagnosis: diagnosis.cause, timer: setTimeout(() => finish(trace.id, null), lateCloseWaitMs) });
      },
      late(trace) {
        finish(trace.id, trace);
      },
    },
    options.redactUrl !== false,
  );
  const page = pageWindow();
  page?.addEventListener('pagehide', flush);
  return () => {
    stopWatching();
    page?.removeEventListener('pagehide', flush);
    flush();
  };
}

/** The span's attributes for a trace. */
function attributesOf(trace: CloseTrace, diagnosis: string): Record<string, SpanAttributeValue> {
  const attributes: Record<string, SpanAttributeValue> = {
    'url.full': trace.url,
    'network.protocol.name': 'websocket',
    'websocket.connection.id': trace.id,
    'websocket.connection.number': trace.connection,
    'websocket.close.code': trace.code,
    'websocket.close.reason': trace.reason,
    'websocket.close.was_clean': trace.wasClean,
    'websocket.close.kind': trace.kind,
    'websocket.close.initiator': trace.initiator,
    'websocket.close.cause': trace.cause,
    'websocket.close.diagnosis': diagnosis,
    'websocket.messages.in': trace.messagesIn,
    'websocket.messages.out': trace.messagesOut,
    'websocket.bytes.in': trace.bytesIn,
    'websocket.bytes.out': trace.bytesOut,
    'websocket.reconnect.scheduled': trace.willReconnect,
  };
  const server = serverOf(trace.url);
  if (server) {
    attributes['server.address'] = server.address;
    attributes['server.port'] = server.port;
  }
  if (!trace.wasClean) attributes['error.type'] = trace.kind === 'timeout' ? 'close_timeout' : String(trace.code);
  if (trace.latencyMs !== null) attributes['websocket.close.latency_ms'] = trace.latencyMs;
  if (trace.longestSilenceMs !== null) attributes['websocket.longest_silence_ms'] = trace.longestSilenceMs;
  if (trace.bufferedAmountAtClose !== null) attributes['websocket.buffered_amount_at_close'] = trace.bufferedAmountAtClose;
  return attributes;
}
