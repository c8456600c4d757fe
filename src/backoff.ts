/**
 * Backoff: the delay before each reconnect attempt. Exponential and capped,
 * with fresh jitter on every attempt, so that clients dropped together do
 * not come back together (AWS Architecture Blog, "Exponential Backoff and
 * Jitter", 2015). Pure: the random source is a parameter.
 *
 * @module
 */
import type { JitterMode } from './options.js';

/** The settings {@link backoffDelay} reads. */
export interface BackoffSettings {
  minReconnectDelay: number;
  maxReconnectDelay: number;
  reconnectDelayFactor: number;
  jitter: JitterMode;
}

/**
 * The delay in ms before retry number `attempt` (1 for the first retry).
 *
 * - `none`: `min(max, base · factor^(attempt−1))`.
 * - `full`: a uniform draw from [0, that ceiling].
 * - `decorrelated`: a uniform draw from [base, 3 · previous delay], capped at max.
 *
 * @param previous the delay drawn for the attempt before (decorrelated jitter only).
 * @param random a source of numbers in [0, 1), `Math.random` by default.
 */
export function backoffDelay(attempt: number, s: BackoffSettings, previous = 0, random: () => number = Math.random): number {
  const base = s.minReconnectDelay;
  const cap = s.maxReconnectDelay;
  // factor^n overflows to Infinity after enough attempts, and 0 × Infinity is NaN.
  const ceiling = base === 0 ? 0 : Math.min(cap, base * s.reconnectDelayFactor ** Math.max(0, attempt - 1));
  switch (s.jitter) {
    case 'none':
      return ceiling;
    case 'full':
      return Math.floor(random() * ceiling);
    case 'decorrelated': {
      const upper = Math.max(base, previous * 3);
      return Math.min(cap, Math.floor(base + random() * (upper - base)));
    }
  }
}
