import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BackoffSettings, backoffDelay } from './backoff.js';
import type { JitterMode } from './options.js';

const settings = (jitter: JitterMode, over: Partial<BackoffSettings> = {}): BackoffSettings => ({
  minReconnectDelay: 100,
  maxReconnectDelay: 10_000,
  reconnectDelayFactor: 2,
  jitter,
  ...over,
});
const fixed = (value: number) => () => value;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("jitter 'none'", () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [7, 6400],
    [8, 10_000],
    [50, 10_000],
  ])('attempt %i waits min(max, base·factor^(n−1)) = %i', (attempt, expected) => {
    expect(backoffDelay(attempt, settings('none'))).toBe(expected);
  });

  it('treats attempt 0 as the first', () => {
    expect(backoffDelay(0, settings('none'))).toBe(100);
  });

  it('never calls the random source', () => {
    const random = vi.fn(() => 0.5);
    backoffDelay(3, settings('none'), 0, random);
    expect(random).not.toHaveBeenCalled();
  });
});

describe("jitter 'full'", () => {
  it('draws 0 for random 0', () => {
    expect(backoffDelay(3, settings('full'), 0, fixed(0))).toBe(0);
  });

  it('draws just under the ceiling for random → 1', () => {
    expect(backoffDelay(1, settings('full'), 0, fixed(0.999999))).toBe(99);
    expect(backoffDelay(3, settings('full'), 0, fixed(0.999999))).toBe(399);
    expect(backoffDelay(3, settings('full'), 0, fixed(0.5))).toBe(200);
  });

  it.each([30, 1000, 5000])('stays a finite number within the cap at attempt %i', (attempt) => {
    const delay = backoffDelay(attempt, settings('full'), 0, fixed(0.999999));
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBe(9999);
  });

  it('calls the random source once per delay', () => {
    const random = vi.fn(() => 0.25);
    backoffDelay(2, settings('full'), 0, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('holds its bounds for 1000 draws of Math.random', () => {
    const s = settings('full');
    for (let i = 0; i < 1000; i++) {
      const attempt = 1 + (i % 12);
      const ceiling = Math.min(s.maxReconnectDelay, s.minReconnectDelay * 2 ** (attempt - 1));
      const delay = backoffDelay(attempt, s);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe("jitter 'decorrelated'", () => {
  it('draws from [base, 3·previous]', () => {
    expect(backoffDelay(5, settings('decorrelated'), 1000, fixed(0))).toBe(100);
    expect(backoffDelay(5, settings('decorrelated'), 1000, fixed(0.5))).toBe(1550);
    expect(backoffDelay(5, settings('decorrelated'), 1000, fixed(0.999999))).toBe(2999);
  });

  it('gives the base when there is no previous delay', () => {
    expect(backoffDelay(1, settings('decorrelated'), 0, fixed(0.9))).toBe(100);
  });

  it('is capped at maxReconnectDelay', () => {
    expect(backoffDelay(9, settings('decorrelated'), 9000, fixed(0.999999))).toBe(10_000);
  });

  it('holds its bounds over a chain of 1000 draws of Math.random', () => {
    const s = settings('decorrelated');
    let previous = 0;
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelay(i + 1, s, previous);
      expect(delay).toBeGreaterThanOrEqual(s.minReconnectDelay);
      expect(delay).toBeLessThanOrEqual(Math.min(s.maxReconnectDelay, Math.max(s.minReconnectDelay, 3 * previous)));
      previous = delay;
    }
  });
});

describe('fresh jitter per attempt and per client', () => {
  it('two clients draw different delays at each attempt', () => {
    // reconnecting-websocket 4.4.0 draws one minimum at import (L41): every client on the page then
    // follows the same min·1.3^(n−1) schedule, and clients dropped together return together.
    const draws = [0.11, 0.83, 0.42, 0.27, 0.95, 0.64];
    let i = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => draws[i++ % draws.length]!);
    const s = settings('full');
    const a = [1, 2, 3].map((n) => backoffDelay(n, s));
    const b = [1, 2, 3].map((n) => backoffDelay(n, s));
    expect(a).toEqual([11, 166, 168]);
    expect(b).toEqual([27, 190, 256]);
    a.forEach((delay, n) => expect(delay).not.toBe(b[n]));
  });
});

describe('edge cases', () => {
  // With minReconnectDelay 0 (allowed) the growth factor overflows to Infinity after enough
  // attempts (2^1024), and 0 · Infinity would be NaN.
  it('a zero base never yields NaN, however many attempts', () => {
    expect(backoffDelay(1100, settings('none', { minReconnectDelay: 0 }))).toBe(0);
  });

  it('a factor of 1 keeps the delay flat', () => {
    expect(backoffDelay(40, settings('none', { reconnectDelayFactor: 1 }))).toBe(100);
  });
});
