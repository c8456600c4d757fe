/**
 * The outbound queue: messages sent while no connection is open, bounded by
 * count and by bytes, flushed in order on open. It never drops silently:
 * {@link OutboundQueue.push} returns `false` and the caller announces it.
 *
 * What it holds is what `send()` was given at the time: binary data is
 * copied when queued, because the native `send()` copies at once and an app
 * may reuse or transfer its buffer afterwards.
 *
 * @module
 */
import type { SendData } from './options.js';
import { toDomString, utf8Length } from './webidl.js';

function isBlob(data: unknown): data is Blob {
  return typeof Blob !== 'undefined' && data instanceof Blob;
}

function isArrayBuffer(data: unknown): data is ArrayBuffer {
  return data instanceof ArrayBuffer || Object.prototype.toString.call(data) === '[object ArrayBuffer]';
}

/**
 * Converts what the app passed to `send()` as WebIDL converts the argument
 * of `WebSocket.send()`: a Blob, an ArrayBuffer or a view stays as it is;
 * anything else becomes a string (`{}` → "[object Object]", `null` → "null").
 * @throws TypeError where the browser throws it: a Symbol, or a `toString` that throws.
 */
export function toSendData(data: unknown): SendData {
  if (typeof data === 'string' || isBlob(data) || isArrayBuffer(data) || ArrayBuffer.isView(data)) return data as SendData;
  return toDomString(data);
}

/**
 * The message as it is now, for sending later: binary data copied, strings
 * and Blobs (immutable) as they are.
 * @throws TypeError for a view on a SharedArrayBuffer, which the native `send()` refuses too.
 */
export function snapshot(data: SendData): SendData {
  if (typeof data === 'string' || isBlob(data)) return data;
  if (ArrayBuffer.isView(data)) {
    if (typeof SharedArrayBuffer === 'function' && data.buffer instanceof SharedArrayBuffer) {
      throw new TypeError('The ArrayBufferView passed to send() is backed by a SharedArrayBuffer, which a WebSocket cannot send');
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  return (data as ArrayBuffer).slice(0);
}

/** Bytes a message takes on the wire: UTF-8 for strings. */
export function byteLength(data: SendData): number {
  if (typeof data === 'string') return utf8Length(data);
  if (isBlob(data)) return data.size;
  return (data as ArrayBuffer | ArrayBufferView).byteLength;
}

/** A bounded FIFO of messages waiting for an open connection. */
export class OutboundQueue {
  #items: SendData[] = [];
  #sizes: number[] = [];
  #total = 0;

  readonly #maxMessages: number;
  readonly #maxBytes: number;

  constructor(maxMessages: number, maxBytes: number) {
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
  }

  /** Messages waiting. */
  get length(): number {
    return this.#items.length;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.#total;
  }

  /** Adds a message; `false` (and nothing added) when it would exceed a bound. */
  push(data: SendData): boolean {
    const size = byteLength(data);
    if (this.#items.length + 1 > this.#maxMessages || this.#total + size > this.#maxBytes) return false;
    this.#items.push(data);
    this.#sizes.push(size);
    this.#total += size;
    return true;
  }

  /** Removes and returns the oldest message. */
  shift(): SendData | undefined {
    const data = this.#items.shift();
    this.#total -= this.#sizes.shift() ?? 0;
    return data;
  }

  /** Removes and returns every message, oldest first. */
  drain(): SendData[] {
    const all = this.#items;
    this.#items = [];
    this.#sizes = [];
    this.#total = 0;
    return all;
  }
}
