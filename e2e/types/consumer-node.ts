/**
 * The published types in a Node TypeScript project without the DOM lib
 * (`lib: es2022`, `@types/node`), as a Node app that passes `ws` sees them.
 * e2e/package.spec.ts compiles it against dist/types (run `npm run build` first).
 */
import { type CloseTrace, ResilientSocket, TracedWebSocket } from 'resilient-socket';
import { traceBeacon } from 'resilient-socket/beacon';
import { openTelemetrySpans } from 'resilient-socket/opentelemetry';

const traced = new TracedWebSocket('ws://127.0.0.1:1/live', 'chat', { closeTimeout: 500 });
traced.binaryType = 'arraybuffer';
traced.onclose = (event) => [event.code, event.wasClean, event.reason];
export const trace: CloseTrace | null = traced.trace;
// @ts-expect-error not a binary type a WebSocket accepts
traced.binaryType = 'text';

const socket = new ResilientSocket('ws://127.0.0.1:1/live', { binaryType: 'arraybuffer', heartbeat: true });
socket.on('message', (event) => event.data);
export const closed = socket.close();

// The reporting entries need no DOM types either.
export const beacon = traceBeacon('http://127.0.0.1:1/collect', { send: (_url, body) => body.length > 0 });
beacon.watch(traced);
export const stop = openTelemetrySpans(socket, { startSpan: () => ({ setAttributes: () => {}, addEvent: () => {}, setStatus: () => {}, end: () => {} }) });
