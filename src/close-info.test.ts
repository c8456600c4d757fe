import { describe, expect, it } from 'vitest';
import { classifyClose } from './close-info';

describe('classifyClose (smoke)', () => {
  it('reports a timed-out close as timeout whatever the code', () => {
    expect(classifyClose({ code: 1000, wasClean: true, requestedByClient: true, timedOut: true }).kind).toBe('timeout');
  });
});
