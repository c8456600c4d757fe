import { type Mock, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StallWatch, samplePeriod } from './stall.js';
import { FAKE_TIMERS } from './test-helpers/fake-websocket.js';

const TIMEOUT = 1000; // sampled every 250 ms

let buffered: number;
let stalled: Mock<(stuckMs: number) => void>;
let watch: StallWatch;

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS.toFake] });
  buffered = 0;
  stalled = vi.fn<(stuckMs: number) => void>();
  watch = new StallWatch(TIMEOUT, { bufferedAmount: () => buffered, stalled });
});

afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

describe('samplePeriod', () => {
  it.each([
    [1000, 250],
    [40, 25],
    [1, 25],
    [4000, 1000],
    [600_000, 1000],
  ])('samples a %i ms timeout every %i ms', (timeout, period) => {
    expect(samplePeriod(timeout)).toBe(period);
  });
});

describe('StallWatch', () => {
  it('runs no timer while nothing is buffered', () => {
    watch.sent();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(stalled).not.toHaveBeenCalled();
  });

  it('declares a stall when the backlog stays for the whole timeout, not before', () => {
    buffered = 100;
    watch.sent();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(TIMEOUT - 1);
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stalled).toHaveBeenCalledTimes(1);
    expect(stalled).toHaveBeenCalledWith(TIMEOUT);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a growing backlog is still a stall', () => {
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(500);
    buffered = 5000;
    watch.sent(); // already sampling: no second timer
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    expect(stalled).toHaveBeenCalledTimes(1);
  });

  it('a falling backlog resets the clock', () => {
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(600);
    buffered = 60; // falls before the 750 sample
    vi.advanceTimersByTime(400); // 1000: would have stalled
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(TIMEOUT - 250 - 1); // 1749
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1); // 1750 = the 750 sample + timeout
    expect(stalled).toHaveBeenCalledWith(TIMEOUT);
  });

  it('rising back after a fall does not reset the clock', () => {
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(250);
    buffered = 50; // new low at 500
    vi.advanceTimersByTime(250);
    buffered = 80;
    vi.advanceTimersByTime(TIMEOUT - 1);
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stalled).toHaveBeenCalledTimes(1);
  });

  it('draining to 0 stops sampling', () => {
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(300);
    buffered = 0;
    vi.advanceTimersByTime(250);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(stalled).not.toHaveBeenCalled();
  });

  it('a new backlog after draining is timed from its own start', () => {
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(300);
    buffered = 0;
    vi.advanceTimersByTime(5000);
    buffered = 100;
    watch.sent();
    vi.advanceTimersByTime(TIMEOUT - 1);
    expect(stalled).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stalled).toHaveBeenCalledTimes(1);
  });

  it('stop() clears its timer', () => {
    buffered = 100;
    watch.sent();
    watch.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(stalled).not.toHaveBeenCalled();
  });
});
