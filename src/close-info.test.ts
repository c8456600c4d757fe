import { describe, expect, it } from 'vitest';
import { classifyClose, closeCodeName, isLocalCode } from './close-info.js';

describe('closeCodeName', () => {
  it.each([
    [1000, 'Normal Closure'],
    [1001, 'Going Away'],
    [1002, 'Protocol Error'],
    [1003, 'Unsupported Data'],
    [1004, 'Reserved'],
    [1005, 'No Status Received'],
    [1006, 'Abnormal Closure'],
    [1007, 'Invalid Frame Payload Data'],
    [1008, 'Policy Violation'],
    [1009, 'Message Too Big'],
    [1010, 'Mandatory Extension'],
    [1011, 'Internal Error'],
    [1012, 'Service Restart'],
    [1013, 'Try Again Later'],
    [1014, 'Bad Gateway'],
    [1015, 'TLS Handshake'],
  ])('names RFC 6455 / IANA code %i "%s"', (code, name) => {
    expect(closeCodeName(code)).toBe(name);
  });

  it.each([
    [3000, 'Registered'],
    [3999, 'Registered'],
    [4000, 'Application'],
    [4001, 'Application'],
    [4999, 'Application'],
    [1016, 'Unassigned'],
    [2000, 'Unassigned'],
    [2999, 'Unassigned'],
  ])('names the range of %i as %s', (code, name) => {
    expect(closeCodeName(code)).toBe(name);
  });

  it.each([999, 0, -1, 5000, 65535, 1000.5, 3000.1, Number.NaN, Infinity, -Infinity])('calls %s Invalid', (code) => {
    expect(closeCodeName(code)).toBe('Invalid');
  });
});

describe('isLocalCode', () => {
  it.each([1005, 1006, 1015])('%i is invented by the browser', (code) => {
    expect(isLocalCode(code)).toBe(true);
  });

  it.each([1000, 1001, 1011, 1012, 1014, 3000, 4000])('%i travels on the wire', (code) => {
    expect(isLocalCode(code)).toBe(false);
  });
});

describe('classifyClose', () => {
  const facts = (code: number, wasClean: boolean, requestedByClient: boolean, timedOut: boolean) => ({
    code,
    wasClean,
    requestedByClient,
    timedOut,
  });

  describe('kind', () => {
    it.each([
      // code, wasClean, requestedByClient, timedOut, kind
      [1000, true, true, true, 'timeout'],
      [1000, false, true, true, 'timeout'],
      [1006, false, true, true, 'timeout'],
      [1000, true, false, false, 'clean'],
      [1000, true, true, false, 'clean'],
      [1012, true, false, false, 'clean'],
      [4001, true, false, false, 'clean'],
      [1000, false, false, false, 'abnormal'],
      [1006, false, false, false, 'abnormal'],
      [1006, false, true, false, 'abnormal'],
      [1015, false, false, false, 'abnormal'],
    ] as const)('code %i wasClean=%s requested=%s timedOut=%s → %s', (code, wasClean, requested, timedOut, kind) => {
      expect(classifyClose(facts(code, wasClean, requested, timedOut)).kind).toBe(kind);
    });
  });

  describe('initiator', () => {
    it.each([
      // code, wasClean, requestedByClient, initiator
      [1000, true, true, 'client'],
      [1006, false, true, 'client'],
      [1015, false, true, 'client'],
      [4001, true, true, 'client'],
      [1006, false, false, 'network'],
      [1015, false, false, 'network'],
      [1005, true, false, 'server'],
      [1000, true, false, 'server'],
      [1001, true, false, 'server'],
      [1012, true, false, 'server'],
      [1013, true, false, 'server'],
      [4001, true, false, 'server'],
      [3000, false, false, 'server'],
    ] as const)('code %i wasClean=%s requested=%s → %s', (code, wasClean, requested, initiator) => {
      expect(classifyClose(facts(code, wasClean, requested, false)).initiator).toBe(initiator);
    });
  });

  it('carries the code name', () => {
    expect(classifyClose(facts(1012, true, false, false))).toEqual({
      kind: 'clean',
      initiator: 'server',
      codeName: 'Service Restart',
    });
    expect(classifyClose(facts(4321, true, false, false)).codeName).toBe('Application');
  });
});
