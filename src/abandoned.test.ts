import { describe, expect, it } from 'vitest';
import { ABANDONED_MAX_DELAY_MS, ABANDONED_SOFT_LIMIT, ABANDONED_STEP_MS, abandon, abandonedDelay, abandonedSockets } from './abandoned.js';

describe('abandoned sockets', () => {
  it('counts each abandoned socket until it is released, once', () => {
    const start = abandonedSockets();
    const a = abandon();
    const b = abandon();
    expect(abandonedSockets()).toBe(start + 2);
    a();
    a();
    expect(abandonedSockets()).toBe(start + 1);
    b();
    expect(abandonedSockets()).toBe(start);
  });

  it('imposes no delay below the soft limit, then a growing one, capped', () => {
    expect(abandonedDelay(0)).toBe(0);
    expect(abandonedDelay(ABANDONED_SOFT_LIMIT - 1)).toBe(0);
    expect(abandonedDelay(ABANDONED_SOFT_LIMIT)).toBe(ABANDONED_STEP_MS);
    expect(abandonedDelay(ABANDONED_SOFT_LIMIT + 9)).toBe(10 * ABANDONED_STEP_MS);
    expect(abandonedDelay(250)).toBe(ABANDONED_MAX_DELAY_MS);
  });

  // Steady state against a server that never reads: each abandoned socket stays ~60 s in Chromium,
  // so n sockets closing at a delay d per attempt settle where n ≈ 60 000 / d. It must stay far below 255.
  it('keeps the steady-state count against a never-reading server far below the browser limit', () => {
    let n = ABANDONED_SOFT_LIMIT;
    while (abandonedDelay(n) > 0 && 60_000 / abandonedDelay(n) > n) n++;
    expect(n).toBeLessThan(64);
  });
});
