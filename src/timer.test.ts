import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inFreshTask, startTimer } from './timer.js';

/** A MessageChannel whose messages the test delivers, as the browser's next tasks. */
let posted: Array<() => void> = [];
class TestChannel {
  port1 = { onmessage: null as null | (() => void), close: () => {} };
  port2 = { postMessage: () => posted.push(() => this.port1.onmessage?.()) };
}
/** Runs the message tasks posted so far. */
const macrotask = async () => {
  for (const task of posted.splice(0)) task();
};

beforeEach(() => {
  posted = [];
  vi.stubGlobal('MessageChannel', TestChannel);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('startTimer', () => {
  it('outside a document: a plain setTimeout, cancellable', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const fn = vi.fn();
    startTimer(100, fn);
    const cancel = startTimer(100, fn);
    expect(vi.getTimerCount()).toBe(2);
    cancel();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  // Chromium's intensive throttling runs timers set from a timer chain once a minute in hidden tabs:
  // in a document, the timer is set from a message task, where the nesting level is 0 again.
  it('in a document: the timer is set from a fresh message task, not in the caller’s task', async () => {
    vi.stubGlobal('document', {});
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const fn = vi.fn();
    startTimer(100, fn);
    expect(vi.getTimerCount()).toBe(0);
    await macrotask();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('in a document: the deadline counts from the call, not from the hop', async () => {
    vi.stubGlobal('document', {});
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const fn = vi.fn();
    startTimer(100, fn);
    vi.advanceTimersByTime(40); // time passes before the message task runs
    await macrotask();
    vi.advanceTimersByTime(59);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('in a document: cancelled before or after the hop, it never fires and leaves no timer', async () => {
    vi.stubGlobal('document', {});
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    const fn = vi.fn();
    const early = startTimer(10, fn);
    early();
    const late = startTimer(10, fn);
    await macrotask();
    expect(vi.getTimerCount()).toBe(1);
    late();
    late();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    await macrotask();
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('inFreshTask', () => {
  it('outside a document: runs at once', () => {
    const fn = vi.fn();
    inFreshTask(fn);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('in a document: runs in the next message task, unless cancelled', async () => {
    vi.stubGlobal('document', {});
    const fn = vi.fn();
    inFreshTask(fn);
    const cancel = inFreshTask(fn);
    cancel();
    expect(fn).not.toHaveBeenCalled();
    await macrotask();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

