import { describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, useFakeWorld } from './test-helpers/fake-websocket.js';
import { create, settle } from './test-helpers/resilient.js';

useFakeWorld();

describe('startClosed and open()', () => {
  it('constructs idle: no socket, no timer, no listener, until open()', async () => {
    const win = new EventTarget();
    const added: string[] = [];
    const add = win.addEventListener.bind(win);
    win.addEventListener = (type: string, ...rest: [EventListenerOrEventListenerObject | null, (boolean | AddEventListenerOptions)?]) => {
      added.push(type);
      add(type, ...rest);
    };
    vi.stubGlobal('window', win);
    const { socket, log, order } = create({ startClosed: true, handleOffline: true, handlePageLifecycle: true });
    await settle(5000);
    expect(socket.state).toBe('idle');
    expect(socket.readyState).toBe(0);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(added).toEqual([]);
    // Sent while idle: queued, and out first on open.
    expect(socket.send('early')).toBe(true);
    socket.open();
    expect(added.sort()).toEqual(['offline', 'online', 'pagehide', 'pageshow']);
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(FakeWebSocket.last().sent).toEqual(['early']);
    expect(order.slice(0, 2)).toEqual(['state:connecting', 'state:open']);
    expect(log.state[0]).toEqual({ state: 'connecting', previous: 'idle' });
    // Once started, open() does nothing.
    socket.open();
    expect(FakeWebSocket.instances).toHaveLength(1);
    void socket.close();
    await settle(2000);
  });

  it('reconnect() starts an idle socket; close() ends it without a connection', async () => {
    const started = create({ startClosed: true });
    started.socket.reconnect();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(started.log.state[0]).toEqual({ state: 'connecting', previous: 'idle' });
    started.socket.close();
    await settle(2000);

    const ended = create({ startClosed: true });
    const info = await ended.socket.close();
    expect(info).toMatchObject({ code: 1006, cause: 'user', willReconnect: false });
    expect(ended.socket.state).toBe('closed');
    ended.socket.open();
    expect(ended.socket.state).toBe('closed');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('opened while the browser is offline, it waits for online', async () => {
    const win = new EventTarget();
    const nav = { onLine: false };
    vi.stubGlobal('window', win);
    vi.stubGlobal('navigator', nav);
    const { socket } = create({ startClosed: true, handleOffline: true });
    socket.open();
    expect(socket.state).toBe('offline');
    await settle(1000);
    expect(FakeWebSocket.instances).toHaveLength(0);
    nav.onLine = true;
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.close();
    await settle(2000);
  });

  it('refuses a startClosed that is not a boolean, naming it', () => {
    expect(() => create({ startClosed: 'yes' as unknown as boolean })).toThrow(/startClosed/);
  });
});

describe('nativeSocket and extensions', () => {
  it('give the live connection’s browser socket, and null between connections', async () => {
    const { socket } = create({ startClosed: true });
    expect(socket.nativeSocket).toBeNull();
    expect(socket.extensions).toBe('');
    socket.open();
    await settle();
    const native = FakeWebSocket.last();
    native.extensions = 'permessage-deflate';
    native.serverOpen();
    expect(socket.nativeSocket).toBe(native);
    expect(socket.extensions).toBe('permessage-deflate');
    native.serverClose(1012, '', true);
    expect(socket.nativeSocket).toBeNull();
    void socket.close();
    await settle(2000);
  });
});
