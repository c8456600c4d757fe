/**
 * What a connection carried, for its trace: message counts and byte totals
 * each way, the largest message each way, the longest inbound silence while
 * open, and the time from open to the first message. Counted as messages
 * pass, without copying or scanning them, timed by `Date.now()` (a
 * builtin, cheaper than `performance.now()` or an event's `timeStamp`, both
 * of which cross into the browser; ms resolution is all a silence needs).
 *
 * @module
 */

/**
 * A message's size for the counters: `length` for text (UTF-16 code units,
 * which is its UTF-8 size on the wire when the text is ASCII, as JSON mostly
 * is; other text takes up to 3 bytes per unit), `byteLength` for binary
 * data, `size` for a Blob.
 *
 * Text is not measured in UTF-8: that takes a scan of every message, about
 * 2 ns per character in Chromium 156 (30 µs for 16 KiB), a tenth of the
 * time the browser takes to deliver it.
 */
export function byteSize(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  const size = (data as { size?: unknown } | null)?.size;
  return typeof size === 'number' ? size : 0;
}

/** The trace fields of a connection's traffic. */
export interface TrafficFields {
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly largestIn: number;
  readonly largestOut: number;
  readonly longestSilenceMs: number | null;
  readonly firstMessageMs: number | null;
}

/** Counts one connection's traffic. */
export class Traffic {
  #messagesIn = 0;
  #messagesOut = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #largestIn = 0;
  #largestOut = 0;
  #openAt: number | null = null;
  #lastInAt: number | null = null;
  #firstAt: number | null = null;
  #silence = 0;

  /** The connection opened: silence counts from here. */
  opened(): void {
    this.#openAt = this.#lastInAt = Date.now();
  }

  /** A message arrived. */
  received(data: unknown): void {
    const at = Date.now();
    const size = byteSize(data);
    this.#messagesIn++;
    this.#bytesIn += size;
    if (size > this.#largestIn) this.#largestIn = size;
    if (this.#lastInAt !== null && at - this.#lastInAt > this.#silence) this.#silence = at - this.#lastInAt;
    this.#lastInAt = at;
    this.#firstAt ??= at;
  }

  /** A message was handed to the native socket. */
  sent(data: unknown): void {
    const size = byteSize(data);
    this.#messagesOut++;
    this.#bytesOut += size;
    if (size > this.#largestOut) this.#largestOut = size;
  }

  /** The fields for a connection that ended now. */
  fields(): TrafficFields {
    const at = Date.now();
    const open = this.#openAt;
    const tail = this.#lastInAt === null ? 0 : at - this.#lastInAt;
    return {
      messagesIn: this.#messagesIn,
      messagesOut: this.#messagesOut,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      largestIn: this.#largestIn,
      largestOut: this.#largestOut,
      longestSilenceMs: open === null ? null : Math.max(this.#silence, tail),
      firstMessageMs: open === null || this.#firstAt === null ? null : this.#firstAt - open,
    };
  }
}

/**
 * A random id, unique across pages and sessions: a version 4 UUID, from
 * `crypto.randomUUID` where the page has it (secure contexts), else from
 * `crypto.getRandomValues`.
 */
export function connectionId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0'))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
