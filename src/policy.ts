/**
 * The default reconnect policy: it reads the close code. Pure.
 *
 * | close                                   | reconnects? |
 * |-----------------------------------------|-------------|
 * | the app called `close()`                | never (the policy is not asked) |
 * | 1000 Normal Closure from the server     | no          |
 * | 1008 Policy Violation from the server   | no          |
 * | 4000–4999 (application) from the server | no          |
 * | 1013 Try Again Later                    | yes, after 5 s + 3 × the backoff delay |
 * | anything else: 1001, 1006, 1011, 1012, 1014, heartbeat, stall, connect timeout, … | yes, after the backoff delay (after 1001 in a page, at least 1 s: it may be the browser's own close for an unload) |
 *
 * @module
 */
import type { CloseInfo } from './close-info.js';

/** The least wait after 1013 Try Again Later, in ms. */
export const TRY_AGAIN_LATER_MIN_MS = 5_000;
/** How many times the (jittered) backoff delay is added after 1013. */
export const TRY_AGAIN_LATER_FACTOR = 3;

/**
 * The policy used when the `shouldReconnect` option is not given.
 *
 * It is called with the close as it would be reported if the socket
 * reconnected: `willReconnect: true` and `nextDelayMs` set to the delay the
 * backoff drew. It returns `false` to stop, `true` to keep that delay, or a
 * number of ms to wait instead.
 */
export function defaultReconnectPolicy(info: CloseInfo): boolean | number {
  if (info.cause === 'user') return false;
  if (info.code === 1013) {
    // The server is overloaded: wait longer, and keep the jitter so clients spread out.
    return TRY_AGAIN_LATER_MIN_MS + TRY_AGAIN_LATER_FACTOR * (info.nextDelayMs ?? 0);
  }
  if (info.initiator === 'server') {
    if (info.code === 1000 || info.code === 1008) return false;
    if (info.code >= 4000 && info.code <= 4999) return false;
  }
  return true;
}
