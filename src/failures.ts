/**
 * Failed connections per host, page-wide. Some browsers hold a new
 * connection to a host back after one to it failed (Firefox waits 200–400 ms
 * after the first failure, then longer, for up to a minute), without any
 * sign to the page. An attempt that times out soon after such a failure may
 * never have reached the server: its trace says how soon it began
 * (`afterFailureMs`), which is all a page can observe.
 *
 * @module
 */

/** How long after a failed connection a new attempt to the same host is counted as following it (ms). */
export const FAILURE_WINDOW_MS = 60_000;

const lastFailure = new Map<string, number>();

/** The host and port of a WebSocket URL, the key browsers throttle by; `''` for none. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Records that a connection to `host` failed at `at`, and forgets failures out of the window. */
export function noteFailure(host: string, at: number): void {
  if (host === '') return;
  for (const [key, when] of lastFailure) if (at - when > FAILURE_WINDOW_MS) lastFailure.delete(key);
  lastFailure.set(host, at);
}

/** Ms from the last failed connection to `host` to `at`, or `null` when none failed within {@link FAILURE_WINDOW_MS}. */
export function sinceFailure(host: string, at: number): number | null {
  const when = lastFailure.get(host);
  return when === undefined || at - when > FAILURE_WINDOW_MS || at < when ? null : at - when;
}

/** Forgets every failure (tests). @internal */
export function forgetFailures(): void {
  lastFailure.clear();
}
