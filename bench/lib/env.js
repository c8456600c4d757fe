// @ts-check
/**
 * Shared helpers of the bench: paths, the Chromium to launch (from
 * e2e/browser.js), the clock, and small statistics.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const TMP = join(BENCH, '.tmp');
export const RESULTS = join(BENCH, 'results');

/** The four clients, in the order every table lists them. */
export const CLIENTS = /** @type {const} */ (['resilient-socket', 'native', 'reconnecting-websocket', 'partysocket']);
/** @typedef {typeof CLIENTS[number]} Client */

// The Chromium to launch and its flags are the e2e tests' own.
export { CHROMIUM_ARGS, chromiumPath, launchOptions } from '../../e2e/browser.js';

/** Wall-clock ms from the monotonic clock, as the SDK's clock and the bench page compute it. */
export function now() {
  return performance.timeOrigin + performance.now();
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rejects after `ms` with a message naming what timed out.
 * @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}

/**
 * @typedef {object} Summary
 * @property {number} n
 * @property {number | null} median
 * @property {number | null} p95 nearest rank; with few trials it is the largest
 * @property {number | null} min
 * @property {number | null} max
 */

/**
 * Median, p95 (nearest rank), min and max of the finite values.
 * @param {Array<number | null | undefined>} values
 * @param {number} [digits] decimals kept
 * @returns {Summary}
 */
export function summarize(values, digits = 2) {
  const v = /** @type {number[]} */ (values.filter((x) => typeof x === 'number' && Number.isFinite(x))).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: null, p95: null, min: null, max: null };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const p95 = v[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
  return { n: v.length, median: round(median, digits), p95: round(p95, digits), min: round(v[0], digits), max: round(v[v.length - 1], digits) };
}

/** @param {number} x @param {number} [digits] */
export function round(x, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** a / b rounded, or null when either is missing. @param {number | null | undefined} a @param {number | null | undefined} b */
export function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? round(a / b, 3) : null;
}
