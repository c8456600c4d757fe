import { describe, expect, it, vi } from 'vitest';
import type { SocketState } from './events.js';
import { FakeWebSocket, useFakeWorld } from './test-helpers/fake-websocket.js';
import { create, settle } from './test-helpers/resilient.js';
import { TRANSITIONS, canMove } from './transitions.js';

useFakeWorld();

/** A small seeded PRNG (mulberry32), so that a failing run can be replayed by its seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the state machine', () => {
  it('lists every state, and closed leads only to a new attempt', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual(['closed', 'closing', 'connecting', 'idle', 'offline', 'open', 'reconnecting']);
    // Nothing returns to idle: it is only where a socket made with startClosed begins.
    expect(Object.values(TRANSITIONS).some((to) => to.includes('idle'))).toBe(false);
    expect(canMove('closed', 'open')).toBe(false);
    expect(canMove('reconnecting', 'open')).toBe(false);
    expect(canMove('closing', 'open')).toBe(false);
    expect(canMove('open', 'closing')).toBe(true);
  });

  // Random calls, server behaviour and network events, in random order: every `state` event must be a
  // move the table allows, follow the previous one, and the SDK must report no forbidden move.
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('holds under random events (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const win = new EventTarget();
    const nav = { onLine: true };
    vi.stubGlobal('window', win);
    vi.stubGlobal('navigator', nav);
    // Every other seed starts closed (idle), and open() is one of the random calls.
    const startClosed = seed % 2 === 0;
    const { socket, log } = create({ startClosed, handleOffline: true, handlePageLifecycle: true, closeTimeout: 300, connectTimeout: 500, minReconnectDelay: 50, maxReconnectDelay: 400 });
    const native = () => FakeWebSocket.instances.at(-1);
    const actions: Array<[string, () => void | Promise<unknown>]> = [
      ['send', () => void socket.send('x')],
      ['open', () => socket.open()],
      ['close', () => void socket.close()],
      ['reconnect', () => socket.reconnect()],
      ['read state', () => void socket.state],
      ['server opens', () => native()?.readyState === 0 && native()!.serverOpen()],
      ['server closes', () => native() && native()!.readyState < 3 && native()!.serverClose(pick([1000, 1001, 1012, 1013, 4001]), '', true)],
      ['connection drops', () => native() && native()!.readyState < 3 && native()!.fail()],
      ['server Close frame', () => native()?.readyState === 1 && native()!.serverCloseFrame()],
      ['offline', () => ((nav.onLine = false), win.dispatchEvent(new Event('offline')))],
      ['online', () => ((nav.onLine = true), win.dispatchEvent(new Event('online')))],
      ['pagehide', () => win.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }))],
      ['pageshow', () => win.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }))],
      ['time passes', () => settle(Math.floor(next() * 1000))],
    ];
    const done: string[] = [];
    for (let step = 0; step < 60; step++) {
      const [name, act] = pick(actions);
      done.push(name);
      await act();
      await settle();
    }
    let previous: SocketState = log.state[0]?.previous ?? (startClosed ? 'idle' : 'connecting');
    expect(log.state[0]?.previous ?? previous).toBe(startClosed ? 'idle' : 'connecting');
    for (const { state, previous: from } of log.state) {
      expect({ from, state, after: previous, seed }).toEqual({ from: previous, state, after: previous, seed });
      expect(canMove(from, state), `${from} → ${state} after: ${done.join(', ')}`).toBe(true);
      previous = state;
    }
    expect(reported).not.toHaveBeenCalled();
    // However it got there, close() ends it: closed, and nothing left running.
    void socket.close();
    await settle(1000);
    expect(socket.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
