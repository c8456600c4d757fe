/**
 * `resilient-socket/beacon`: close traces to your own collector with
 * `navigator.sendBeacon`, batched, and sent when the page is hidden or
 * unloaded, as the Beacon spec advises (`visibilitychange` to hidden and
 * `pagehide`; never `unload`, which mobile browsers often skip). A
 * connection still open when the page unloads is ended first, with its
 * final trace (`cause: 'unload'`), so it goes too.
 *
 * @example
 * import { traceBeacon } from 'resilient-socket/beacon';
 *
 * const beacon = traceBeacon('/telemetry/websocket');
 * beacon.watch(socket);
 *
 * @module
 */
import { type CloseDiagnosis, diagnose } from './diagnose.js';
import { pageWindow } from './lifecycle.js';
import { redactUrl } from './redact.js';
import type { CloseTrace } from './traces.js';
import { type ExportOptions, type TraceSource, watchTraces } from './watch.js';

export type { ExportOptions, TraceSource } from './watch.js';

/** One trace as sent: the trace, with `diagnose()`'s verdict unless `diagnosis` is off. */
export type BeaconRecord = CloseTrace & { readonly diagnosis?: CloseDiagnosis };

/** The body of each beacon: JSON, sent as `text/plain` (a CORS-safelisted type, so no preflight). */
export interface BeaconBody {
  /** When the beacon was sent (ms since the epoch). */
  sentAt: number;
  /** Oldest first. A trace whose browser close came after it was sent is sent again with the same `id`: keep the last. */
  traces: BeaconRecord[];
}

/** Options of {@link traceBeacon}. */
export interface BeaconOptions extends ExportOptions {
  /**
   * Traces per beacon. When this many are waiting they are sent at once,
   * without waiting for the page to be hidden.
   * @default 20
   */
  maxBatch?: number;
  /**
   * Most traces held while waiting (when the browser refuses beacons). Past
   * it the oldest are dropped, and counted in `dropped`.
   * @default 100
   */
  maxQueued?: number;
  /**
   * Send `diagnose()`'s verdict with each trace, as `diagnosis`.
   * @default true
   */
  diagnosis?: boolean;
  /**
   * Sends one beacon; returns whether the browser accepted it. For tests, or
   * a page without `navigator.sendBeacon`.
   * @default navigator.sendBeacon
   */
  send?: (url: string, body: string) => boolean;
}

/** What {@link traceBeacon} returns. */
export interface TraceBeacon {
  /**
   * Reports the closes of `socket` (also one already closed, for a
   * TracedWebSocket); returns the function that stops it. A socket still
   * live when the page unloads is ended then, with a final trace (`cause:
   * 'unload'`), before the beacon is sent, whatever order the page's
   * `pagehide` listeners run in.
   */
  watch(socket: TraceSource): () => void;
  /**
   * Sends what is waiting now, in beacons of at most `maxBatch` traces and
   * about 60 KB (the browser allows 64 KiB of beacons in flight). Returns
   * `false` if the browser refused one: those traces wait for the next flush.
   */
  flush(): boolean;
  /** Traces waiting to be sent. */
  readonly pending: number;
  /** Traces dropped: because `maxQueued` were already waiting, or one alone too large for a beacon was refused. */
  readonly dropped: number;
  /** Stops watching every socket, removes the page listeners, and sends what is waiting. */
  stop(): void;
}

/** Under the 64 KiB the browser allows for beacons in flight, with room for the envelope. */
const MAX_BODY = 60_000;

/**
 * Sends the close traces of the sockets it watches to `endpoint` with
 * `navigator.sendBeacon`: batched, on `visibilitychange` to hidden, on
 * `pagehide`, and as soon as `maxBatch` are waiting. URLs in the traces are
 * redacted (no credentials, query or fragment).
 * @param endpoint your collector; relative URLs resolve against the page.
 * @throws TypeError for an endpoint that is not an http(s) URL, an invalid option, or no `navigator.sendBeacon` and no `send`.
 */
export function traceBeacon(endpoint: string | URL, options: BeaconOptions = {}): TraceBeacon {
  const url = parseEndpoint(endpoint);
  const { maxBatch = 20, maxQueued = 100, diagnosis = true } = options;
  positiveInteger('maxBatch', maxBatch);
  positiveInteger('maxQueued', maxQueued);
  const nav = (globalThis as { navigator?: { sendBeacon?: (url: string, data: string) => boolean } }).navigator;
  const send = options.send ?? (typeof nav?.sendBeacon === 'function' ? (u: string, body: string) => nav.sendBeacon!(u, body) : null);
  if (typeof send !== 'function') throw new TypeError('traceBeacon: this runtime has no navigator.sendBeacon; pass the `send` option');
  const redact = options.redactUrl !== false;

  let queue: BeaconRecord[] = [];
  let dropped = 0;
  const stops = new Set<() => void>();
  /** The sockets watched, to end those still live when the page unloads, before sending. */
  const watched = new Set<TraceSource>();

  const enqueue = (item: BeaconRecord) => {
    // The late close of a trace still waiting replaces it; one already sent goes again.
    const i = queue.findIndex((r) => r.id === item.id);
    if (i >= 0) queue[i] = item;
    else queue.push(item);
    if (queue.length > maxQueued) dropped += queue.splice(0, queue.length - maxQueued).length;
    if (queue.length >= maxBatch) flush();
  };

  const flush = (): boolean => {
    while (queue.length > 0) {
      let count = Math.min(maxBatch, queue.length);
      let body = encode(queue.slice(0, count));
      // Halve a batch that is too large; a single trace too large is tried anyway.
      while (body.length > MAX_BODY && count > 1) body = encode(queue.slice(0, (count = Math.ceil(count / 2))));
      let accepted = false;
      try {
        accepted = send(url, body) !== false;
      } catch {
        accepted = false;
      }
      if (!accepted) {
        if (count > 1 || body.length <= MAX_BODY) return false;
        // One trace too large for any beacon: dropped, so that it does not hold back the others.
        dropped++;
      }
      queue = queue.slice(count);
    }
    return true;
  };

  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  const onPagehide = (event: Event) => {
    // Each watched socket still live ends now (or has its trace corrected), whatever order the
    // page's pagehide listeners run in, so that its final trace is in this batch.
    if (!(event as PageTransitionEvent).persisted) for (const socket of watched) (socket as unknown as { endForUnload(): void }).endForUnload();
    flush();
  };
  const hasDocument = typeof document !== 'undefined' && typeof document.addEventListener === 'function';
  const page = pageWindow();
  if (hasDocument) document.addEventListener('visibilitychange', onHidden);
  page?.addEventListener('pagehide', onPagehide);

  return {
    watch(socket) {
      const stop = watchTraces(
        'traceBeacon.watch',
        socket,
        {
          close: (trace, verdict) => enqueue(diagnosis ? { ...trace, diagnosis: verdict } : trace),
          late: (trace) => enqueue(diagnosis ? { ...trace, diagnosis: diagnose(trace) } : trace),
        },
        redact,
      );
      watched.add(socket);
      stops.add(stop);
      return () => {
        stops.delete(stop);
        watched.delete(socket);
        stop();
      };
    },
    flush,
    get pending() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    stop() {
      for (const stop of stops) stop();
      stops.clear();
      watched.clear();
      if (hasDocument) document.removeEventListener('visibilitychange', onHidden);
      page?.removeEventListener('pagehide', onPagehide);
      flush();
    },
  };
}

function encode(traces: BeaconRecord[]): string {
  const body: BeaconBody = { sentAt: Date.now(), traces };
  return JSON.stringify(body);
}

function parseEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) {
    throw new TypeError(`traceBeacon: the endpoint must be a string or a URL, got ${endpoint === null ? 'null' : typeof endpoint}`);
  }
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let parsed: URL;
  try {
    parsed = new URL(String(endpoint), base);
  } catch {
    throw new TypeError('traceBeacon: the endpoint is not a valid URL (the value is not shown, as it may hold a secret)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`traceBeacon: beacons are only supported over HTTP(S); the endpoint ${JSON.stringify(redactUrl(parsed.href))} (redacted) has the scheme "${parsed.protocol}"`);
  }
  return parsed.href;
}

function positiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`traceBeacon: \`${name}\` must be a whole number of at least 1, got ${typeof value === 'number' ? String(value) : JSON.stringify(value) ?? typeof value}`);
  }
}
