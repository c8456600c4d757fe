/**
 * The published types as an app sees them: imported by the package name, so
 * through package.json `exports` to dist/types (run `npm run build` first).
 * e2e/package.spec.ts compiles this file with each module resolution an app
 * may use; `npm run test:types` does not include it, as it needs the build.
 */
import { type CloseInfo, type CloseKind, ResilientSocket } from 'resilient-socket';
import { traceBeacon } from 'resilient-socket/beacon';
import { datadogVitals } from 'resilient-socket/datadog';
import { openTelemetrySpans } from 'resilient-socket/opentelemetry';
import { sentryBreadcrumbs } from 'resilient-socket/sentry';

const socket = new ResilientSocket('wss://example.com/live', { closeTimeout: 500 });
socket.on('close', (info) => {
  const kind: CloseKind = info.kind;
  // @ts-expect-error a CloseKind is not a number; unused if the types degrade to `any`
  const wrong: number = info.kind;
  return [kind, wrong];
});
// @ts-expect-error an unknown option
new ResilientSocket('wss://example.com/live', { closeTimout: 500 });
export const settled: Promise<CloseInfo> = socket.close();

// The reporting entries, by their subpaths.
export const reporters = [
  traceBeacon('/telemetry/websocket').watch(socket),
  sentryBreadcrumbs(socket, { addBreadcrumb: (crumb) => void crumb.level }),
  openTelemetrySpans(socket, { startSpan: () => ({ setAttributes: () => {}, addEvent: () => {}, setStatus: () => {}, end: () => {} }) }),
  datadogVitals(socket, { addAction: () => {} }),
];
