import { type Mock, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { now } from './clock.js';
import { Heartbeat, LATE_TICK_MS } from './heartbeat.js';
import { HEARTBEAT_DEFAULTS, type HeartbeatSettings, type SendData } from './options.js';
import { FAKE_TIMERS } from './test-helpers/fake-websocket.js';

const INTERVAL = 1000;
const TIMEOUT = 500;

let io: { send: Mock<(data: SendData) => void>; dead: Mock<(silentMs: number) => void>; failed: Mock<(error: unknown) => void> };
let hb: Heartbeat;
let t0: number;
const elapsed = () => now() - t0;

function make(over: Partial<HeartbeatSettings> = {}): Heartbeat {
  return new Heartbeat({ ...HEARTBEAT_DEFAULTS, interval: INTERVAL, timeout: TIMEOUT, ...over }, io);
}

/** Moves the clock without firing timers: the page was frozen, its timers did not run. */
let skew = 0;
function freeze(ms: number): void {
  skew += ms;
  if (vi.isMockFunction(performance.now)) return;
  const fakeNow = performance.now.bind(performance);
  vi.spyOn(performance, 'now').mockImplementation(() => fakeNow() + skew);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS.toFake] });
  skew = 0;
  io = { send: vi.fn<(data: SendData) => void>(), dead: vi.fn<(silentMs: number) => void>(), failed: vi.fn<(error: unknown) => void>() };
  hb = make();
  t0 = now();
});

afterEach(() => {
  hb.stop();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('Heartbeat', () => {
  it('the clock it reads is faked', () => {
    vi.advanceTimersByTime(1234);
    expect(elapsed()).toBe(1234);
  });

  it('sends a ping after `interval` of silence, not before', () => {
    hb.start();
    vi.advanceTimersByTime(INTERVAL - 1);
    expect(io.send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(io.send).toHaveBeenCalledTimes(1);
    expect(io.send).toHaveBeenCalledWith('ping');
  });

  it('calls a message function for each ping', () => {
    let n = 0;
    hb = make({ message: () => `ping-${++n}` });
    hb.start();
    vi.advanceTimersByTime(INTERVAL);
    hb.inbound();
    vi.advanceTimersByTime(INTERVAL);
    expect(io.send.mock.calls).toEqual([['ping-1'], ['ping-2']]);
  });

  it('reports a message function that throws, and still holds the ping deadline', () => {
    const boom = new Error('boom');
    hb = make({
      message: () => {
        throw boom;
      },
    });
    hb.start();
    vi.advanceTimersByTime(INTERVAL);
    expect(io.failed).toHaveBeenCalledWith(boom);
    expect(io.send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(TIMEOUT);
    expect(io.dead).toHaveBeenCalledTimes(1);
  });

  it('declares death at exactly interval + timeout of silence', () => {
    hb.start();
    vi.advanceTimersByTime(INTERVAL + TIMEOUT - 1);
    expect(io.dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(io.dead).toHaveBeenCalledTimes(1);
    expect(io.dead).toHaveBeenCalledWith(TIMEOUT);
    expect(elapsed()).toBe(INTERVAL + TIMEOUT);
    vi.advanceTimersByTime(60_000);
    expect(io.dead).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an inbound message before the deadline prevents death and restarts the interval', () => {
    hb.start();
    vi.advanceTimersByTime(1200);
    hb.inbound();
    vi.advanceTimersByTime(INTERVAL - 1); // 2199
    expect(io.dead).not.toHaveBeenCalled();
    expect(io.send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1); // 2200: silence for an interval again
    expect(io.send).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(TIMEOUT - 1);
    expect(io.dead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(io.dead).toHaveBeenCalledTimes(1);
    expect(elapsed()).toBe(2200 + TIMEOUT);
  });

  it('steady inbound traffic suppresses pings', () => {
    hb.start();
    for (let i = 0; i < 40; i++) {
      vi.advanceTimersByTime(INTERVAL / 2);
      hb.inbound();
    }
    expect(io.send).not.toHaveBeenCalled();
    expect(io.dead).not.toHaveBeenCalled();
  });

  it('after a late tick, an inbound message in the grace tick does not invent a death', () => {
    hb.start();
    vi.advanceTimersByTime(INTERVAL); // ping sent at 1000, deadline 1500
    expect(io.send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(TIMEOUT - 1);
    freeze(60_000); // hidden tab: the 1500 tick runs a minute late
    vi.advanceTimersToNextTimer();
    expect(io.dead).not.toHaveBeenCalled(); // grace: look once more
    hb.inbound(); // the pong that was queued behind the late tick
    vi.advanceTimersToNextTimer();
    expect(io.dead).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1); // watching again, from the pong
  });

  it('an inbound message earns a fresh grace for the next late tick', () => {
    hb.start();
    for (let round = 0; round < 2; round++) {
      vi.advanceTimersToNextTimer(); // ping
      expect(io.send).toHaveBeenCalledTimes(round + 1);
      freeze(60_000);
      vi.advanceTimersToNextTimer(); // the deadline tick, late: grace
      hb.inbound();
      vi.advanceTimersToNextTimer(); // the grace tick sees the pong
    }
    expect(io.dead).not.toHaveBeenCalled();
  });

  it('after a late tick with nothing inbound, death follows on the grace tick', () => {
    hb.start();
    vi.advanceTimersByTime(INTERVAL + TIMEOUT - 1);
    freeze(60_000);
    vi.advanceTimersToNextTimer();
    expect(io.dead).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer();
    expect(io.dead).toHaveBeenCalledTimes(1);
    expect(io.dead.mock.calls[0]![0]).toBeGreaterThan(60_000);
  });

  it('a tick late by no more than LATE_TICK_MS gets no grace', () => {
    hb.start();
    vi.advanceTimersByTime(INTERVAL + TIMEOUT - 1);
    freeze(LATE_TICK_MS);
    vi.advanceTimersToNextTimer();
    expect(io.dead).toHaveBeenCalledTimes(1);
  });

  it('recognises pongs with isPong', () => {
    expect(hb.isPong('pong')).toBe(true);
    expect(hb.isPong('hello')).toBe(false);
    const custom = make({ isPong: (d) => d === '{"t":"pong"}' });
    expect(custom.isPong('{"t":"pong"}')).toBe(true);
    expect(custom.isPong('pong')).toBe(false);
  });

  it('stop() leaves no timer and no later ping or death', () => {
    hb.start();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(INTERVAL); // a ping is outstanding
    hb.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(io.send).toHaveBeenCalledTimes(1);
    expect(io.dead).not.toHaveBeenCalled();
  });
});
