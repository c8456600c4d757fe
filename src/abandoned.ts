/**
 * Abandoned native sockets: those the SDK stopped waiting for (close
 * timeout, heartbeat, reconnect(), offline, …) whose browser `close` event
 * has not fired yet. Against a server that never reads, Chromium keeps each
 * one CLOSING for up to 60 s, and past about 255 of them it refuses every
 * new WebSocket ("Insufficient resources"). The count is page-wide, because
 * the browser's pool is: every SDK instance in the page adds to it.
 *
 * @module
 */

/** From this many abandoned sockets still closing, attempts slow down. */
export const ABANDONED_SOFT_LIMIT = 32;
/** Added to the least delay before an attempt per abandoned socket above the soft limit, in ms. */
export const ABANDONED_STEP_MS = 250;
/** The longest wait the abandoned count alone imposes, in ms. */
export const ABANDONED_MAX_DELAY_MS = 30_000;

let closing = 0;

/** Native sockets abandoned by the SDK in this page whose browser close has not fired yet. */
export function abandonedSockets(): number {
  return closing;
}

/** Counts a native socket the SDK stopped waiting for. Returns the function that uncounts it, once. */
export function abandon(): () => void {
  closing++;
  let counted = true;
  return () => {
    if (counted) closing--;
    counted = false;
  };
}

/**
 * The least delay before the next attempt while `count` abandoned sockets
 * are still closing: 0 below {@link ABANDONED_SOFT_LIMIT}, then
 * {@link ABANDONED_STEP_MS} more per socket, up to {@link ABANDONED_MAX_DELAY_MS}.
 * Against a server that never reads (60 s per abandoned socket in Chromium)
 * the count then settles near 40, far from the browser's limit. Pure.
 */
export function abandonedDelay(count: number): number {
  if (count < ABANDONED_SOFT_LIMIT) return 0;
  return Math.min(ABANDONED_MAX_DELAY_MS, (count - ABANDONED_SOFT_LIMIT + 1) * ABANDONED_STEP_MS);
}
