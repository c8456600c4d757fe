import { describe, expect, it } from 'vitest';
import { OutboundQueue, snapshot, toSendData, byteLength } from './queue.js';

describe('byteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['aé😀', 7],
  ])('counts %j as %i UTF-8 bytes', (text, bytes) => {
    expect(byteLength(text)).toBe(bytes);
  });

  it('counts binary data by bytes', () => {
    expect(byteLength(new ArrayBuffer(10))).toBe(10);
    expect(byteLength(new Uint8Array(7))).toBe(7);
    expect(byteLength(new Uint8Array(new ArrayBuffer(10), 2, 5))).toBe(5);
    expect(byteLength(new Float64Array(3))).toBe(24);
    expect(byteLength(new DataView(new ArrayBuffer(6)))).toBe(6);
    expect(byteLength(new Blob(['ab', 'é']))).toBe(4);
  });
});

describe('OutboundQueue', () => {
  it('keeps FIFO order and its totals', () => {
    const q = new OutboundQueue(10, 100);
    expect(q.push('a')).toBe(true);
    expect(q.push('bb')).toBe(true);
    expect(q.push(new Uint8Array(3))).toBe(true);
    expect(q.length).toBe(3);
    expect(q.bytes).toBe(6);
    expect(q.shift()).toBe('a');
    expect(q.shift()).toBe('bb');
    expect(q.bytes).toBe(3);
    expect(q.length).toBe(1);
  });

  it('bounds the count: push returns false and adds nothing', () => {
    const q = new OutboundQueue(2, 1000);
    expect(q.push('a')).toBe(true);
    expect(q.push('b')).toBe(true);
    expect(q.push('c')).toBe(false);
    expect(q.length).toBe(2);
    expect(q.bytes).toBe(2);
    expect(q.drain()).toEqual(['a', 'b']);
  });

  it('a count of 0 holds nothing', () => {
    const q = new OutboundQueue(0, 1000);
    expect(q.push('a')).toBe(false);
    expect(q.length).toBe(0);
  });

  it('bounds the bytes in UTF-8', () => {
    const q = new OutboundQueue(100, 5);
    expect(q.push('é')).toBe(true); // 2
    expect(q.push('😀')).toBe(false); // 2 + 4 > 5
    expect(q.bytes).toBe(2);
    expect(q.push('ab')).toBe(true); // 4
    expect(q.push('é')).toBe(false); // 6 > 5
    expect(q.push('c')).toBe(true); // exactly 5
    expect(q.bytes).toBe(5);
    expect(q.drain()).toEqual(['é', 'ab', 'c']);
  });

  it('a message larger than the byte bound is refused even when empty', () => {
    const q = new OutboundQueue(100, 3);
    expect(q.push('😀')).toBe(false);
    expect(q.push(new Blob(['abcd']))).toBe(false);
    expect(q.length).toBe(0);
  });

  it('frees bytes on shift so that new pushes fit', () => {
    const q = new OutboundQueue(100, 4);
    q.push('😀');
    expect(q.push('a')).toBe(false);
    q.shift();
    expect(q.bytes).toBe(0);
    expect(q.push('a')).toBe(true);
  });

  it('drain empties the queue, oldest first', () => {
    const q = new OutboundQueue(10, 100);
    const buffer = new ArrayBuffer(4);
    q.push('x');
    q.push(buffer);
    expect(q.drain()).toEqual(['x', buffer]);
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.drain()).toEqual([]);
  });

  it('shift on an empty queue returns undefined and keeps 0 bytes', () => {
    const q = new OutboundQueue(1, 1);
    expect(q.shift()).toBeUndefined();
    expect(q.bytes).toBe(0);
  });
});

describe('toSendData and snapshot', () => {
  it('converts what WebSocket.send() converts, and keeps binary data and Blobs as they are', () => {
    expect(toSendData(undefined)).toBe('undefined');
    expect(toSendData(null)).toBe('null');
    expect(toSendData({})).toBe('[object Object]');
    expect(toSendData(42)).toBe('42');
    const buffer = new ArrayBuffer(2);
    const view = new DataView(buffer);
    const blob = new Blob(['x']);
    expect(toSendData(buffer)).toBe(buffer);
    expect(toSendData(view)).toBe(view);
    expect(toSendData(blob)).toBe(blob);
    // WebIDL's BufferSource excludes a SharedArrayBuffer itself: the browser sends its string form.
    expect(toSendData(new SharedArrayBuffer(2))).toBe('[object SharedArrayBuffer]');
    expect(() => toSendData(Symbol('x'))).toThrow(TypeError);
  });

  it('copies binary data, bytes of a view only', () => {
    const bytes = new Uint8Array([0, 1, 2, 3]);
    const copy = snapshot(bytes.subarray(1, 3)) as Uint8Array;
    bytes.fill(9);
    expect([...copy]).toEqual([1, 2]);
    const buffer = new Uint8Array([7]).buffer;
    const bufferCopy = snapshot(buffer) as ArrayBuffer;
    expect(bufferCopy).not.toBe(buffer);
    expect([...new Uint8Array(bufferCopy)]).toEqual([7]);
    expect(snapshot('s')).toBe('s');
    expect(() => snapshot(new Uint8Array(new SharedArrayBuffer(1)) as unknown as Uint8Array<ArrayBuffer>)).toThrow(TypeError);
  });
});

