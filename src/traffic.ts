/**
 * What a connection carried, for its trace: message counts and byte totals
 * each way, the largest message each way, the longest inbound silence while
 * open, and the time from open to the first message. Counted as messages
 * pass, without copying them.
 *
 * @module
 */

// Any character outside ASCII: one native scan tells whether a string's UTF-8 length is its length.
const NON_ASCII = /[^\0-\x7f]/;

/**
 * Bytes a message takes on the wire: UTF-8 for a string (counted, not
 * encoded: its length when ASCII, found by one native scan), `byteLength`
 * for binary data, `size` for a Blob.
 */
export function byteSize(data: unknown): number {
  if (typeof data === 'string') {
    if (!NON_ASCII.test(data)) return data.length;
    let bytes = data.length;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c < 0x80) continue;
      if (c < 0x800) bytes += 1;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < data.length && (data.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        // A surrogate pair: 4 bytes for 2 code units.
        bytes += 2;
        i++;
      } else bytes += 2;
    }
    return bytes;
  }
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
  private messagesIn = 0;
  private messagesOut = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private largestIn = 0;
  private largestOut = 0;
  private openAt: number | null = null;
  private lastInAt: number | null = null;
  private firstAt: number | null = null;
  private silence = 0;

  /** The connection opened at `at`: silence counts from here. */
  opened(at: number): void {
    this.openAt = this.lastInAt = at;
  }

  /** A message arrived at `at`. */
  received(data: unknown, at: number): void {
    const size = byteSize(data);
    this.messagesIn++;
    this.bytesIn += size;
    if (size > this.largestIn) this.largestIn = size;
    if (this.lastInAt !== null && at - this.lastInAt > this.silence) this.silence = at - this.lastInAt;
    this.lastInAt = at;
    this.firstAt ??= at;
  }

  /** A message was handed to the native socket. */
  sent(data: unknown): void {
    const size = byteSize(data);
    this.messagesOut++;
    this.bytesOut += size;
    if (size > this.largestOut) this.largestOut = size;
  }

  /** The fields for a connection that ended at `at`. */
  fields(at: number): TrafficFields {
    const open = this.openAt;
    const tail = this.lastInAt === null ? 0 : at - this.lastInAt;
    return {
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      largestIn: this.largestIn,
      largestOut: this.largestOut,
      longestSilenceMs: open === null ? null : Math.max(this.silence, tail),
      firstMessageMs: open === null || this.firstAt === null ? null : this.firstAt - open,
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
