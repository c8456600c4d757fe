import { describe, expect, it } from 'vitest';
import { type CloseCause, type CloseInfo, type CloseInitiator, classifyClose } from './close-info.js';
import { TRY_AGAIN_LATER_FACTOR, TRY_AGAIN_LATER_MIN_MS, defaultReconnectPolicy } from './policy.js';

/** A close as the facade hands it to the policy: willReconnect true, the drawn delay in nextDelayMs. */
function close(code: number, cause: CloseCause, initiator: CloseInitiator, nextDelayMs = 700): CloseInfo {
  const wasClean = code !== 1006 && code !== 1015;
  const { codeName, kind } = classifyClose({ code, wasClean, requestedByClient: initiator === 'client', timedOut: false });
  return { code, codeName, reason: '', wasClean, kind, initiator, cause, latencyMs: null, willReconnect: true, nextDelayMs };
}

describe('defaultReconnectPolicy', () => {
  it.each([
    ['the app closed (1000)', close(1000, 'user', 'client')],
    ['the app closed (4000)', close(4000, 'user', 'client')],
    ['the app closed, even with 1013', close(1013, 'user', 'client')],
    ['server 1000 Normal Closure', close(1000, 'server', 'server')],
    ['server 1008 Policy Violation', close(1008, 'server', 'server')],
    ['server 4000', close(4000, 'server', 'server')],
    ['server 4001', close(4001, 'server', 'server')],
    ['server 4999', close(4999, 'server', 'server')],
  ])('does not reconnect after %s', (_, info) => {
    expect(defaultReconnectPolicy(info)).toBe(false);
  });

  it.each([
    ['server 3000', close(3000, 'server', 'server')],
    ['server 3999', close(3999, 'server', 'server')],
    ['network 1006', close(1006, 'network', 'network')],
    ['network 1015', close(1015, 'network', 'network')],
    ['server 1001 Going Away', close(1001, 'server', 'server')],
    ['server 1005 No Status', close(1005, 'server', 'server')],
    ['server 1011 Internal Error', close(1011, 'server', 'server')],
    ['server 1012 Service Restart', close(1012, 'server', 'server')],
    ['server 1014 Bad Gateway', close(1014, 'server', 'server')],
    ['heartbeat timeout', close(1006, 'heartbeat', 'client')],
    ['send stall', close(1006, 'stall', 'client')],
    ['connect timeout', close(1006, 'connect-timeout', 'client')],
    ['URL provider failure', close(1006, 'url', 'client')],
    ['app reconnect()', close(1006, 'reconnect', 'client')],
    // Only the server's own 1000/4xxx stop it: the SDK abandoning a socket with 1000 does not.
    ['SDK-initiated 1000', close(1000, 'heartbeat', 'client')],
  ])('reconnects after the backoff delay after %s', (_, info) => {
    expect(defaultReconnectPolicy(info)).toBe(true);
  });

  it.each([0, 1, 700, 30_000])('waits 5 s + 3 × the drawn delay (%i ms) after 1013 Try Again Later', (delay) => {
    const verdict = defaultReconnectPolicy(close(1013, 'server', 'server', delay));
    expect(verdict).toBe(TRY_AGAIN_LATER_MIN_MS + TRY_AGAIN_LATER_FACTOR * delay);
    expect(verdict).toBeGreaterThanOrEqual(5_000);
  });

  it('pins the 1013 constants', () => {
    expect(TRY_AGAIN_LATER_MIN_MS).toBe(5_000);
    expect(TRY_AGAIN_LATER_FACTOR).toBe(3);
  });

  it('treats a missing nextDelayMs after 1013 as 0', () => {
    expect(defaultReconnectPolicy({ ...close(1013, 'server', 'server'), nextDelayMs: null })).toBe(TRY_AGAIN_LATER_MIN_MS);
  });
});
