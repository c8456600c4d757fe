import { describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, FakeWebSocketCtor, useFakeWorld } from './test-helpers/fake-websocket.js';
import { TracedWebSocket } from './traced-websocket.js';
import { Traffic, byteSize, connectionId } from './traffic.js';

useFakeWorld();

describe('byteSize', () => {
  it('counts text by its length, which is its UTF-8 size when ASCII, and binary data by its size', () => {
    for (const text of ['', 'abc', '{"a":[1,2]}']) expect(byteSize(text), text).toBe(new TextEncoder().encode(text).byteLength);
    // Not scanned: a unit each, not the 2 to 4 UTF-8 bytes.
    expect(byteSize('é€😀')).toBe(4);
    expect(byteSize(new ArrayBuffer(7))).toBe(7);
    expect(byteSize(new Uint16Array(4))).toBe(8);
    expect(byteSize(new Blob(['abcd']))).toBe(4);
    expect(byteSize(null)).toBe(0);
  });
});

describe('Traffic', () => {
  it('counts each way, the largest, the longest silence (tail included) and the first message', () => {
    const t = new Traffic();
    expect(t.fields()).toMatchObject({ messagesIn: 0, longestSilenceMs: null, firstMessageMs: null });
    t.opened();
    vi.advanceTimersByTime(10);
    t.received('ab');
    vi.advanceTimersByTime(490);
    t.received('abcdef');
    t.sent('x');
    t.sent(new ArrayBuffer(9));
    vi.advanceTimersByTime(100);
    expect(t.fields()).toEqual({ messagesIn: 2, messagesOut: 2, bytesIn: 8, bytesOut: 10, largestIn: 6, largestOut: 9, longestSilenceMs: 490, firstMessageMs: 10 });
    // The silence before the close counts too.
    vi.advanceTimersByTime(1400);
    expect(t.fields().longestSilenceMs).toBe(1500);
  });
});

describe('connection id', () => {
  it('is a UUID, different each time, with or without crypto.randomUUID (insecure contexts lack it)', () => {
    const a = connectionId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(connectionId()).not.toBe(a);
    vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b.fill(0xab) });
    expect(connectionId()).toBe('abababab-abab-4bab-abab-abababababab');
  });
});

describe('TracedWebSocket trace: traffic', () => {
  it('carries the id, the counts, the silence and bufferedAmount at the close request', async () => {
    const socket = new TracedWebSocket('ws://example.test/live', undefined, { WebSocket: FakeWebSocketCtor, closeTimeout: 100 });
    const native = FakeWebSocket.last();
    native.serverOpen();
    await vi.advanceTimersByTimeAsync(20);
    native.serverMessage('hello');
    socket.send('hé');
    await vi.advanceTimersByTimeAsync(300);
    (native as unknown as { bufferedAmount: number }).bufferedAmount = 42;
    socket.close();
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.trace).toMatchObject({ messagesIn: 1, messagesOut: 1, bytesIn: 5, bytesOut: 2, largestIn: 5, largestOut: 2, firstMessageMs: 20, bufferedAmountAtClose: 42 });
    // From the last message to the close request and its 100 ms timeout.
    expect(socket.trace!.longestSilenceMs).toBe(400);
    expect(socket.trace!.id).toMatch(/^[0-9a-f-]{36}$/);
    const other = new TracedWebSocket('ws://example.test/live', undefined, { WebSocket: FakeWebSocketCtor });
    other.terminate();
    expect(other.trace!.id).not.toBe(socket.trace!.id);
    expect(other.trace).toMatchObject({ messagesIn: 0, longestSilenceMs: null, firstMessageMs: null, bufferedAmountAtClose: 0 });
  });
});
