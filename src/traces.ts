/**
 * Close traces: the record of each connection, kept in a bounded ring
 * buffer, and the running statistics derived from them.
 *
 * @module
 */
import type { CloseCause, CloseInfo, CloseKind } from './close-info.js';
import type { DiagnosisCause } from './diagnose.js';

/** The full record of one connection. Everything in {@link CloseInfo}, plus timestamps. */
export interface CloseTrace extends CloseInfo {
  /** The connection's number on this socket, from 1. */
  readonly connection: number;
  /** The URL, redacted per the `redactUrl` option (no query or credentials by default). */
  readonly url: string;
  /** When the connection attempt started (ms since the epoch). */
  readonly connectAt: number;
  /** When it opened, or `null` if it never did. */
  readonly openAt: number | null;
  /** When the close was requested, or `null` if nobody asked (server or network). */
  readonly closeRequestedAt: number | null;
  /** When the SDK reported the close. */
  readonly closeAt: number;
  /** When the browser's own `close` event fired, or `null` while it has not (yet). */
  readonly nativeCloseAt: number | null;
  /** Ms from the close request to the browser's own `close` event; `null` until it fires or when no close was requested. */
  readonly nativeLatencyMs: number | null;
  /** The code of the browser's own `close` event, or `null` while it has not fired. */
  readonly nativeCode: number | null;
  /** `wasClean` of the browser's own `close` event, or `null` while it has not fired. */
  readonly nativeWasClean: boolean | null;
  /**
   * When the native socket fired `error`, or `null` if it did not (before
   * the close was reported). Chromium and Firefox fire `error` before the
   * close of a connection that fails to open, and none when an open
   * connection drops. WebKitGTK turns a server's 1012, 1013 and 1014 into
   * an `error` and a 1006, so a 1006 whose `nativeErrorAt` is within a few
   * ms of `closeAt`, on an open connection nobody asked to close, may be a
   * server's close whose code the engine hid.
   */
  readonly nativeErrorAt: number | null;
  /**
   * For an attempt that never opened: ms from the last failed connection to
   * the same host and port in this page (any socket) to the start of this
   * attempt, when that was within a minute; else `null`. Browsers may hold
   * such an attempt back before sending anything (Firefox: 200–400 ms after
   * the first failure, longer after more), so a `connect-timeout` with a
   * value here may never have reached the server.
   */
  readonly afterFailureMs: number | null;
  /**
   * Native sockets the SDK had abandoned in this page (any instance) whose
   * browser close had not fired yet, when this connection ended. High
   * counts (from 32) slow attempts down; near 255 Chromium refuses new sockets.
   */
  readonly abandonedSockets: number;
  /** The connection's id: a random UUID, unique across pages and sessions, for matching server logs. */
  readonly id: string;
  /** Messages received while open (heartbeat pongs included). */
  readonly messagesIn: number;
  /** Messages handed to the browser while open (heartbeat pings included). */
  readonly messagesOut: number;
  /**
   * Bytes received, without framing: `byteLength` of binary messages, and
   * the `length` of text, which is its UTF-8 size when it is ASCII (as JSON
   * mostly is) and less otherwise (text is not scanned: that would cost
   * about 2 ns per character on every message).
   */
  readonly bytesIn: number;
  /** Bytes sent, counted as `bytesIn`. */
  readonly bytesOut: number;
  /** The largest message received, in bytes. */
  readonly largestIn: number;
  /** The largest message sent, in bytes. */
  readonly largestOut: number;
  /** The longest time without an inbound message while open (from open, between messages, to the close), in ms; `null` if it never opened. */
  readonly longestSilenceMs: number | null;
  /** Ms from open to the first inbound message; `null` when none came. */
  readonly firstMessageMs: number | null;
  /** `bufferedAmount` of the native socket when this page asked to close; `null` when it did not. */
  readonly bufferedAmountAtClose: number | null;
}

/** How long before an unload a 1001 close counts as the browser's own close for it. */
export const UNLOAD_CLOSE_MS = 1000;

/** Whether a close may be the browser's own for an unload: 1001 with no close asked for by this page. */
export function mayBeUnload(close: Pick<CloseTrace, 'code' | 'initiator'>): boolean {
  return close.code === 1001 && close.initiator === 'server';
}

/**
 * Firefox closes a page's sockets itself, 1001 (Going Away), just before
 * `pagehide` on an unload. Given the last trace and the time of the unload,
 * returns that trace relabelled as the unload it was (`cause: 'unload'`,
 * `initiator: 'client'`, no reconnect), or `null` when it is not such a
 * close.
 */
export function unloadClose(trace: CloseTrace | undefined, at: number): CloseTrace | null {
  if (!trace || !mayBeUnload(trace) || at - trace.closeAt >= UNLOAD_CLOSE_MS) return null;
  return { ...trace, initiator: 'client', cause: 'unload', willReconnect: false, nextDelayMs: null };
}

/** A fixed-size buffer that keeps the newest `limit` items. */
export class RingBuffer<T> {
  #items: T[] = [];
  /** The frozen copy handed out by {@link view}, until the next change. */
  #frozen: readonly T[] | null = null;

  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Adds an item, evicting the oldest beyond the limit. */
  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.#limit) this.#items.shift();
    this.#frozen = null;
  }

  /** Replaces `old` by `next` if it is still held. */
  replace(old: T, next: T): void {
    const i = this.#items.lastIndexOf(old);
    if (i >= 0) this.#items[i] = next;
    this.#frozen = null;
  }

  /** A copy of the items, oldest first. */
  toArray(): T[] {
    return this.#items.slice();
  }

  /** The items, oldest first, frozen: the same array until the buffer changes. */
  view(): readonly T[] {
    return (this.#frozen ??= Object.freeze(this.#items.slice()));
  }
}

/** Counts and close-latency percentiles; the `stats` property. */
export interface SocketStats {
  /** Connections that opened. */
  readonly connects: number;
  /** Connections that opened after the first. */
  readonly reconnects: number;
  /** Connection attempts started. */
  readonly attempts: number;
  /** Closes by kind. */
  readonly closesByKind: Readonly<Record<CloseKind, number>>;
  /** Closes by cause. */
  readonly closesByCause: Readonly<Partial<Record<CloseCause, number>>>;
  /**
   * Closes by the cause `diagnose()` names, counted as each trace is
   * recorded (with the traces before it, so an idle timeout counts from its
   * second occurrence). A close with no connection behind it (`close()`
   * while waiting to reconnect) has no trace and is not counted here.
   */
  readonly closesByDiagnosis: Readonly<Partial<Record<DiagnosisCause, number>>>;
  /** Median close latency (ms) of closes that were requested, of connections that existed (not URL failures), or `null` before any. */
  readonly p50CloseLatencyMs: number | null;
  /** 95th percentile close latency (ms), or `null` before any. */
  readonly p95CloseLatencyMs: number | null;
  /** Longest close latency (ms), or `null` before any. */
  readonly maxCloseLatencyMs: number | null;
  /**
   * Native sockets the SDK abandoned in this page (any instance: the
   * browser's pool is shared) whose browser close has not fired yet. See
   * {@link CloseTrace.abandonedSockets}.
   */
  readonly abandonedSockets: number;
}

/** Nearest-rank percentile of an ascending list; `null` when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** How many latencies the statistics keep for percentiles (the newest). */
const LATENCY_SAMPLES = 1_000;

/** Accumulates {@link SocketStats}. */
export class StatsCollector {
  #connects = 0;
  #attempts = 0;
  #byKind: Record<CloseKind, number> = { clean: 0, abnormal: 0, timeout: 0 };
  #byCause: Partial<Record<CloseCause, number>> = {};
  #byDiagnosis: Partial<Record<DiagnosisCause, number>> = {};
  #latencies = new RingBuffer<number>(LATENCY_SAMPLES);
  /** The last snapshot: handed out again until a count changes. */
  #last: SocketStats | null = null;

  /** Counts a connection attempt. */
  attempt(): void {
    this.#attempts++;
    this.#last = null;
  }

  /** Counts an open. */
  open(): void {
    this.#connects++;
    this.#last = null;
  }

  /** Counts a close. */
  close(info: CloseInfo): void {
    this.#last = null;
    this.#byKind[info.kind]++;
    this.#byCause[info.cause] = (this.#byCause[info.cause] ?? 0) + 1;
    if (info.latencyMs !== null) this.#latencies.push(info.latencyMs);
  }

  /** A close counted under one cause and diagnosis turned out to be another (Firefox's own close on an unload). */
  recount(cause: CloseCause, diagnosis: DiagnosisCause, nowCause: CloseCause, nowDiagnosis: DiagnosisCause): void {
    this.#last = null;
    const move = <K extends string>(counts: Partial<Record<K, number>>, from: K, to: K) => {
      const left = (counts[from] ?? 0) - 1;
      if (left > 0) counts[from] = left;
      else delete counts[from];
      counts[to] = (counts[to] ?? 0) + 1;
    };
    move(this.#byCause, cause, nowCause);
    move(this.#byDiagnosis, diagnosis, nowDiagnosis);
  }

  /** Counts the diagnosis of a recorded trace. */
  diagnosed(cause: DiagnosisCause): void {
    this.#last = null;
    this.#byDiagnosis[cause] = (this.#byDiagnosis[cause] ?? 0) + 1;
  }

  /**
   * A snapshot of the figures, with the page's count of abandoned sockets
   * still closing: frozen, and the same object until a figure changes, so
   * that a UI store can compare snapshots by identity.
   */
  snapshot(abandonedSockets: number): SocketStats {
    if (this.#last && this.#last.abandonedSockets === abandonedSockets) return this.#last;
    const sorted = this.#latencies.toArray().sort((a, b) => a - b);
    return (this.#last = deepFreeze({
      connects: this.#connects,
      reconnects: Math.max(0, this.#connects - 1),
      attempts: this.#attempts,
      closesByKind: { ...this.#byKind },
      closesByCause: { ...this.#byCause },
      closesByDiagnosis: { ...this.#byDiagnosis },
      p50CloseLatencyMs: percentile(sorted, 50),
      p95CloseLatencyMs: percentile(sorted, 95),
      maxCloseLatencyMs: sorted.length ? sorted[sorted.length - 1]! : null,
      abandonedSockets,
    }));
  }
}

/** Freezes an object and the objects it holds (one level: the stats' maps). */
function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner !== null && typeof inner === 'object') Object.freeze(inner);
  return Object.freeze(value);
}
