/**
 * The clock: milliseconds since the epoch, from the monotonic `performance`
 * clock where there is one, so that latencies never go negative when the
 * wall clock is adjusted.
 *
 * @module
 */
export function now(): number {
  const perf = (globalThis as { performance?: Performance }).performance;
  return perf ? perf.timeOrigin + perf.now() : Date.now();
}
