import { describe, expect, it } from 'vitest';
import type { CloseCause, CloseInfo, CloseKind } from './close-info.js';
import { RingBuffer, StatsCollector, percentile } from './traces.js';

describe('RingBuffer', () => {
  it('keeps the newest N, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });

  it('returns a copy', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.toArray().push(99);
    expect(ring.toArray()).toEqual([1]);
  });

  it('view(): a frozen array, the same until a push or a replace', () => {
    const ring = new RingBuffer<{ n: number }>(2);
    const empty = ring.view();
    expect(empty).toEqual([]);
    expect(ring.view()).toBe(empty);
    const a = { n: 1 };
    ring.push(a);
    const one = ring.view();
    expect(one).not.toBe(empty);
    expect(one).toEqual([a]);
    expect(Object.isFrozen(one)).toBe(true);
    expect(ring.view()).toBe(one);
    ring.replace(a, { n: 2 });
    expect(ring.view()).not.toBe(one);
    expect(one).toEqual([{ n: 1 }]);
  });

  it('replaces an item still held', () => {
    const ring = new RingBuffer<{ n: number }>(2);
    const a = { n: 1 };
    const b = { n: 2 };
    ring.push(a);
    ring.push(b);
    ring.replace(a, { n: 10 });
    expect(ring.toArray()).toEqual([{ n: 10 }, { n: 2 }]);
  });

  it('ignores the replacement of an evicted item', () => {
    const ring = new RingBuffer<{ n: number }>(1);
    const a = { n: 1 };
    ring.push(a);
    ring.push({ n: 2 });
    ring.replace(a, { n: 10 });
    expect(ring.toArray()).toEqual([{ n: 2 }]);
  });
});

describe('percentile (nearest rank)', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [50, 5],
    [90, 9],
    [95, 10],
    [100, 10],
    [10, 1],
    [0, 1],
  ])('p%i of 1..10 is %i', (p, expected) => {
    expect(percentile(ten, p)).toBe(expected);
  });

  it('is null for no samples and the sample for one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 95)).toBe(42);
  });

  it('p50 of two samples is the lower one', () => {
    expect(percentile([10, 20], 50)).toBe(10);
  });
});

const close = (kind: CloseKind, cause: CloseCause, latencyMs: number | null): CloseInfo => ({
  code: 1000,
  codeName: 'Normal Closure',
  reason: '',
  wasClean: kind === 'clean',
  kind,
  initiator: 'client',
  cause,
  latencyMs,
  willReconnect: false,
  nextDelayMs: null,
});

describe('StatsCollector', () => {
  it('starts empty', () => {
    expect(new StatsCollector().snapshot(0)).toEqual({
      connects: 0,
      reconnects: 0,
      attempts: 0,
      closesByKind: { clean: 0, abnormal: 0, timeout: 0 },
      closesByCause: {},
      closesByDiagnosis: {},
      p50CloseLatencyMs: null,
      p95CloseLatencyMs: null,
      maxCloseLatencyMs: null,
      abandonedSockets: 0,
    });
  });

  it('counts attempts, connects, reconnects and closes', () => {
    const stats = new StatsCollector();
    stats.attempt();
    stats.attempt();
    stats.attempt();
    stats.open();
    stats.open();
    stats.close(close('clean', 'user', 40));
    stats.close(close('abnormal', 'network', null));
    stats.close(close('abnormal', 'heartbeat', null));
    stats.close(close('timeout', 'user', 1000));
    const s = stats.snapshot(0);
    expect(s.attempts).toBe(3);
    expect(s.connects).toBe(2);
    expect(s.reconnects).toBe(1);
    expect(s.closesByKind).toEqual({ clean: 1, abnormal: 2, timeout: 1 });
    expect(s.closesByCause).toEqual({ user: 2, network: 1, heartbeat: 1 });
    stats.diagnosed('clean');
    stats.diagnosed('dead-peer');
    stats.diagnosed('dead-peer');
    const d = stats.snapshot(0);
    expect(d).not.toBe(s);
    expect(d.closesByDiagnosis).toEqual({ clean: 1, 'dead-peer': 2 });
    expect(Object.isFrozen(d.closesByDiagnosis)).toBe(true);
  });

  it('computes latency percentiles over requested closes only', () => {
    const stats = new StatsCollector();
    for (const ms of [50, 10, 40, 20, 30]) stats.close(close('clean', 'user', ms));
    stats.close(close('abnormal', 'network', null));
    const s = stats.snapshot(0);
    expect(s.p50CloseLatencyMs).toBe(30);
    expect(s.p95CloseLatencyMs).toBe(50);
    expect(s.maxCloseLatencyMs).toBe(50);
  });

  it('keeps the newest 1000 latencies', () => {
    const stats = new StatsCollector();
    stats.close(close('timeout', 'user', 999_999));
    for (let i = 0; i < 1000; i++) stats.close(close('clean', 'user', 5));
    expect(stats.snapshot(0).maxCloseLatencyMs).toBe(5);
    expect(stats.snapshot(0).closesByKind.timeout).toBe(1);
  });

  it('hands out frozen snapshots that do not alias its counters', () => {
    const stats = new StatsCollector();
    stats.close(close('clean', 'user', 1));
    const s = stats.snapshot(0);
    expect(() => ((s.closesByKind as Record<CloseKind, number>).clean = 100)).toThrow(TypeError);
    expect(() => ((s.closesByCause as Record<string, number>).user = 100)).toThrow(TypeError);
    stats.close(close('clean', 'user', 1));
    expect(s.closesByKind.clean).toBe(1);
    expect(stats.snapshot(0).closesByKind.clean).toBe(2);
  });

  it('hands out the same snapshot until a figure changes, the page-wide abandoned count included', () => {
    const stats = new StatsCollector();
    const first = stats.snapshot(0);
    expect(stats.snapshot(0)).toBe(first);
    stats.attempt();
    const second = stats.snapshot(0);
    expect(second).not.toBe(first);
    expect(stats.snapshot(0)).toBe(second);
    stats.open();
    const third = stats.snapshot(0);
    expect(third).not.toBe(second);
    stats.close(close('abnormal', 'network', null));
    const fourth = stats.snapshot(0);
    expect(fourth).not.toBe(third);
    expect(stats.snapshot(3)).not.toBe(fourth);
    expect(stats.snapshot(3).abandonedSockets).toBe(3);
    expect(stats.snapshot(3)).toBe(stats.snapshot(3));
  });
});
