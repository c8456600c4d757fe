/**
 * The README's reporting snippets, type-checked against the vendors' own
 * types: Sentry's namespace, an OpenTelemetry Tracer and datadogRum each
 * pass where the reporters take them, with no cast.
 */
import { datadogRum } from '@datadog/browser-rum';
import { trace } from '@opentelemetry/api';
import * as Sentry from '@sentry/browser';
import { traceBeacon } from '../../src/beacon';
import { datadogVitals } from '../../src/datadog';
import { ResilientSocket, TracedWebSocket } from '../../src/index';
import { openTelemetrySpans } from '../../src/opentelemetry';
import { sentryBreadcrumbs } from '../../src/sentry';

const socket = new ResilientSocket('wss://example.com/live');
const traced = new TracedWebSocket('wss://example.com/graphql', 'graphql-transport-ws');

export const stops: Array<() => void> = [
  sentryBreadcrumbs(socket, Sentry),
  openTelemetrySpans(socket, trace.getTracer('app'), { lateCloseWaitMs: 30_000 }),
  openTelemetrySpans(traced, trace.getTracer('app')),
  datadogVitals(socket, datadogRum),
];
const beacon = traceBeacon('/telemetry/websocket', { maxBatch: 10 });
stops.push(beacon.watch(socket), beacon.watch(traced));
// @ts-expect-error not a socket of this SDK
sentryBreadcrumbs(new WebSocket('wss://example.com/live'), Sentry);
