import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose.js';
import type { CloseTrace } from './traces.js';

const T0 = 1_000_000;

/** A trace of an open connection that lived `livedMs`, with `over` fields changed. */
function trace(over: Partial<CloseTrace> = {}, livedMs = 10_000): CloseTrace {
  return {
    code: 1006,
    codeName: 'Abnormal Closure',
    reason: '',
    wasClean: false,
    kind: 'abnormal',
    initiator: 'network',
    cause: 'network',
    latencyMs: null,
    willReconnect: true,
    nextDelayMs: 1000,
    connection: 1,
    url: 'wss://example.test/live',
    connectAt: T0 - 50,
    openAt: T0,
    closeRequestedAt: null,
    closeAt: T0 + livedMs,
    nativeCloseAt: T0 + livedMs,
    nativeLatencyMs: null,
    nativeCode: 1006,
    nativeWasClean: false,
    nativeErrorAt: null,
    afterFailureMs: null,
    abandonedSockets: 0,
    id: '00000000-0000-4000-8000-000000000000',
    messagesIn: 3,
    messagesOut: 3,
    bytesIn: 30,
    bytesOut: 30,
    largestIn: 10,
    largestOut: 10,
    longestSilenceMs: livedMs / 2,
    firstMessageMs: 5,
    bufferedAmountAtClose: null,
    ...over,
  };
}

describe('diagnose', () => {
  it('a timed-out close: the server is not reading, with the browser’s own late close as evidence', () => {
    const d = diagnose(trace({ kind: 'timeout', initiator: 'client', cause: 'user', latencyMs: 1000, closeRequestedAt: T0 + 9000, nativeLatencyMs: 60_004, nativeCode: 1006 }));
    expect(d.cause).toBe('server-not-reading');
    expect(d.fix).toMatch(/read loop/);
    expect(d.evidence.join(' ')).toMatch(/60\.0 s/);
    expect(diagnose(trace({ kind: 'timeout', initiator: 'client', cause: 'user', latencyMs: 1000, nativeLatencyMs: null, nativeCode: null })).evidence.join(' ')).toMatch(/had not closed/);
  });

  it('heartbeat and stall: a dead peer', () => {
    expect(diagnose(trace({ initiator: 'client', cause: 'heartbeat' })).cause).toBe('dead-peer');
    expect(diagnose(trace({ initiator: 'client', cause: 'stall' })).summary).toMatch(/stopped draining/);
  });

  it('server codes: restart, overload, refused', () => {
    expect(diagnose(trace({ code: 1012, wasClean: true, kind: 'clean', initiator: 'server', cause: 'server' })).cause).toBe('server-restart');
    expect(diagnose(trace({ code: 1001, wasClean: true, kind: 'clean', initiator: 'server', cause: 'server' })).cause).toBe('server-restart');
    expect(diagnose(trace({ code: 1013, wasClean: true, kind: 'clean', initiator: 'server', cause: 'server' })).cause).toBe('server-overload');
    const refused = diagnose(trace({ code: 4001, reason: 'bad token', wasClean: true, kind: 'clean', initiator: 'server', cause: 'server' }));
    expect(refused.cause).toBe('refused');
    expect(refused.fix).toMatch(/no retry will help/);
    expect(refused.evidence[0]).toContain('"bad token"');
    expect(diagnose(trace({ code: 1008, wasClean: true, kind: 'clean', initiator: 'server', cause: 'server' })).cause).toBe('refused');
  });

  it('offline and the back/forward cache', () => {
    expect(diagnose(trace({ initiator: 'client', cause: 'offline' })).cause).toBe('offline');
    expect(diagnose(trace({ initiator: 'client', cause: 'pagehide' })).cause).toBe('page-hidden');
    expect(diagnose(trace({ initiator: 'client', cause: 'unload' })).cause).toBe('unload');
  });

  it('never opened: connect-failed, with what the page observed', () => {
    const d = diagnose(trace({ openAt: null, cause: 'connect-timeout', initiator: 'client', afterFailureMs: 230, abandonedSockets: 40 }));
    expect(d.cause).toBe('connect-failed');
    expect(d.evidence.join(' ')).toMatch(/230 ms after a failed connection/);
    expect(d.evidence.join(' ')).toMatch(/40 abandoned sockets/);
  });

  it('an idle timeout needs two connections ending on the same idle limit', () => {
    // Busy at first, then silent until the proxy dropped it: the longest silence, not the lifetime, is on the limit.
    const first = trace({ connection: 1, longestSilenceMs: 60_800 }, 95_000);
    const second = trace({ connection: 2, longestSilenceMs: 59_100 }, 61_000);
    expect(diagnose(first, [first]).cause).toBe('network');
    const d = diagnose(second, [first, second]);
    expect(d.cause).toBe('idle-timeout');
    expect(d.summary).toMatch(/60 s/);
    expect(d.fix).toMatch(/heartbeat/);
    expect(d.evidence.join(' ')).toMatch(/59\.1 s without an inbound message.*1 earlier connection/);
    // A different limit, a silence far from any, or a close this page asked for, is no pattern.
    expect(diagnose(trace({ connection: 3, longestSilenceMs: 100_500 }), [first]).cause).toBe('network');
    expect(diagnose(trace({ connection: 3, longestSilenceMs: 75_000 }, 80_000), [first, second]).cause).toBe('network');
    expect(diagnose(trace({ connection: 3, longestSilenceMs: 60_000, initiator: 'client', cause: 'heartbeat' }), [first, second]).cause).toBe('dead-peer');
    // AWS NLB's 350 s.
    const nlb = [trace({ connection: 1, longestSilenceMs: 350_200 }, 400_000), trace({ connection: 2, longestSilenceMs: 349_000 }, 350_000)];
    expect(diagnose(nlb[1]!, nlb).summary).toMatch(/350 s/);
  });

  it('a clean close asked for by this page is clean; anything else abnormal is the network', () => {
    expect(diagnose(trace({ code: 1000, wasClean: true, kind: 'clean', initiator: 'client', cause: 'user', latencyMs: 3 })).cause).toBe('clean');
    const d = diagnose(trace());
    expect(d.cause).toBe('network');
    expect(Object.isFrozen(d) && Object.isFrozen(d.evidence)).toBe(true);
  });
});
