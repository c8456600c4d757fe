/**
 * The outbound queue: messages sent while no connection is open, bounded by
 * count and by bytes, flushed in order on open. It never drops silently:
 * {@link OutboundQueue.push} returns `false` and the caller announces it.
 *
 * @module
 */
import type { SendData } from './options.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/** Bytes a message takes on the wire: UTF-8 for strings. */
export function byteLength(data: SendData): number {
  if (typeof data === 'string') return encoder.encode(data).byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return (data as ArrayBuffer | ArrayBufferView).byteLength;
}

/** A bounded FIFO of messages waiting for an open connection. */
export class OutboundQueue {
  private items: SendData[] = [];
  private sizes: number[] = [];
  private total = 0;

  constructor(
    private readonly maxMessages: number,
    private readonly maxBytes: number,
  ) {}

  /** Messages waiting. */
  get length(): number {
    return this.items.length;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.total;
  }

  /** Adds a message; `false` (and nothing added) when it would exceed a bound. */
  push(data: SendData): boolean {
    const size = byteLength(data);
    if (this.items.length + 1 > this.maxMessages || this.total + size > this.maxBytes) return false;
    this.items.push(data);
    this.sizes.push(size);
    this.total += size;
    return true;
  }

  /** Removes and returns the oldest message. */
  shift(): SendData | undefined {
    const data = this.items.shift();
    this.total -= this.sizes.shift() ?? 0;
    return data;
  }

  /** Puts a message back at the head, e.g. when sending it failed. */
  unshift(data: SendData): void {
    const size = byteLength(data);
    this.items.unshift(data);
    this.sizes.unshift(size);
    this.total += size;
  }

  /** Removes and returns every message, oldest first. */
  drain(): SendData[] {
    const all = this.items;
    this.items = [];
    this.sizes = [];
    this.total = 0;
    return all;
  }
}
