import { describe, expect, it } from 'vitest';
import { acquire, release, shareKey } from './shared.js';
import { FakeWebSocket, FakeWebSocketCtor, useFakeWorld } from './test-helpers/fake-websocket.js';
import { settle } from './test-helpers/resilient.js';

useFakeWorld();

const OPTIONS = { WebSocket: FakeWebSocketCtor, handleOffline: false, handlePageLifecycle: false };

describe('shared sockets', () => {
  it('one idle socket per key, counted by reference, closed by the last release', async () => {
    const key = shareKey('ws://example.test/a', OPTIONS);
    const a = acquire(key, 'ws://example.test/a', OPTIONS);
    const b = acquire(key, 'ws://example.test/a', OPTIONS);
    expect(b).toBe(a);
    expect(a.state).toBe('idle');
    a.open();
    await settle();
    FakeWebSocket.last().serverOpen();
    release(key, a);
    expect(a.state).toBe('open');
    release(key, b);
    await settle(2000);
    expect(a.state).toBe('closed');
    // A released key makes a new socket.
    const c = acquire(key, 'ws://example.test/a', OPTIONS);
    expect(c).not.toBe(a);
    release(key, c);
    // A release for a socket that is not the key's changes nothing.
    const d = acquire(key, 'ws://example.test/a', OPTIONS);
    release(key, c);
    expect(d.state).toBe('idle');
    release(key, d);
    await settle(2000);
  });

  it('keys by URL and option values, not by functions', () => {
    expect(shareKey('ws://h/a', { closeTimeout: 5, shouldReconnect: () => true })).toBe(shareKey('ws://h/a', { closeTimeout: 5 }));
    expect(shareKey('ws://h/a', { closeTimeout: 5 })).not.toBe(shareKey('ws://h/a', { closeTimeout: 6 }));
    expect(shareKey('ws://h/a', {})).not.toBe(shareKey('ws://h/b', {}));
  });
});
