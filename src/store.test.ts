import { describe, expect, it } from 'vitest';
import type { ResilientSocket } from './resilient-socket.js';
import { toStore } from './store.js';
import { FakeWebSocket, useFakeWorld } from './test-helpers/fake-websocket.js';
import { connected, create, settle } from './test-helpers/resilient.js';

useFakeWorld();

/** Counts the handlers added through the socket's on() and not yet removed through its off(), by type, from now on. */
function countHandlers(socket: ResilientSocket): (type: string) => number {
  const live = new Map<string, unknown[]>();
  const on = socket.on.bind(socket);
  const off = socket.off.bind(socket);
  socket.on = (type, handler) => {
    live.set(type, [...(live.get(type) ?? []), handler]);
    on(type, handler);
  };
  socket.off = (type, handler) => {
    const list = live.get(type) ?? [];
    if (list.includes(handler)) list.splice(list.indexOf(handler), 1);
    off(type, handler);
  };
  return (type) => live.get(type)?.length ?? 0;
}

describe('ResilientSocket snapshots', () => {
  it('stats and traces are the same objects on consecutive reads, and new ones after a change', async () => {
    const { socket, native } = await connected();
    const stats = socket.stats;
    const traces = socket.traces;
    expect(socket.stats).toBe(stats);
    expect(socket.traces).toBe(traces);
    expect(Object.isFrozen(stats) && Object.isFrozen(traces)).toBe(true);
    native.serverClose(1012, 'restart', true);
    expect(socket.stats).not.toBe(stats);
    expect(socket.traces).not.toBe(traces);
    expect(socket.traces).toHaveLength(1);
    expect(socket.traces).toBe(socket.traces);
    socket.close();
    await settle(2000);
  });
});

describe('toStore', () => {
  it('gives the same snapshot while nothing changes, and a new one after each event', async () => {
    const { socket, native } = await connected();
    const store = toStore(socket);
    const calls: number[] = [];
    const unsubscribe = store.subscribe(() => calls.push(calls.length));
    const first = store.getSnapshot();
    expect(first).toMatchObject({ state: 'open', readyState: 1, lastClose: null, lastMessage: null });
    expect(store.getSnapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);

    native.serverMessage('hello');
    expect(calls).toHaveLength(1);
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.lastMessage?.data).toBe('hello');
    expect(store.getSnapshot()).toBe(second);

    native.serverClose(1012, 'restart', true);
    const third = store.getSnapshot();
    expect(third).not.toBe(second);
    expect(third.lastClose).toMatchObject({ code: 1012, willReconnect: true });
    expect(third.traces).toHaveLength(1);
    expect(third.state).toBe('reconnecting');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    unsubscribe();
    socket.close();
    await settle(2000);
  });

  it('listens to the socket only while subscribed, and not at all after the last unsubscribe', async () => {
    const { socket, native } = await connected();
    const count = countHandlers(socket);
    const before = count('message');
    const store = toStore(socket);
    expect(count('message')).toBe(before);
    const a: string[] = [];
    const stopA = store.subscribe(() => a.push('a'));
    const stopB = store.subscribe(() => a.push('b'));
    expect(count('message')).toBe(before + 1);
    stopA();
    stopA();
    expect(count('message')).toBe(before + 1);
    native.serverMessage('x');
    expect(a).toEqual(['b']);
    stopB();
    expect(count('message')).toBe(before);
    native.serverMessage('y');
    expect(a).toEqual(['b']);
    // Unsubscribed, it still reads the socket's own state.
    expect(store.getSnapshot().state).toBe('open');
    socket.close();
    await settle(2000);
  });

  it('calls a function subscribed twice twice, and refuses a non-function', async () => {
    const { socket } = create();
    const store = toStore(socket);
    let n = 0;
    const listener = () => n++;
    store.subscribe(listener);
    const second = store.subscribe(listener);
    await settle();
    FakeWebSocket.last().serverOpen();
    expect(n).toBe(2);
    second();
    expect(() => store.subscribe(null as unknown as () => void)).toThrow(TypeError);
    socket.close();
    await settle(2000);
  });
});
