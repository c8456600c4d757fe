/**
 * Timers that keep their deadline in a hidden tab.
 *
 * Chromium's intensive wake-up throttling runs a timer whose nesting level
 * is above 5 (one set from inside a chain of timer callbacks) at most once a
 * minute once a page has been hidden for five minutes
 * (https://developer.chrome.com/blog/timer-throttling-in-chrome-88).
 * `close()` called from an app's timer chain would then settle after 60 s
 * instead of `closeTimeout`. The nesting level counts only timer tasks, so
 * in a document every timer is set from a fresh `MessageChannel` task,
 * where the level starts again from 0: it then gets only the 1 s alignment
 * that every hidden page gets. Deadlines are absolute, so the hop's own few
 * microseconds are not added.
 *
 * Outside a document (Node, workers) there is no such throttling, and the
 * timer is a plain `setTimeout`.
 *
 * @module
 */
import { now } from './clock.js';

/** Cancels a timer; safe to call more than once, and after it fired. */
export type CancelTimer = () => void;

/** Whether timers hop through a message task first: only in a document, where throttling applies. */
function hops(): boolean {
  return typeof document === 'object' && document !== null && typeof MessageChannel === 'function';
}

/**
 * Runs `fn` in a fresh task in a document (through a `MessageChannel`), so
 * that timers it sets start from nesting level 0; elsewhere, at once.
 * For code that sets timers of its own (reconnecting-websocket's
 * `setTimeout(…, 0)` before each attempt) when the caller may sit deep in
 * a timer chain. Returns the function that cancels it.
 */
export function inFreshTask(fn: () => void): CancelTimer {
  if (!hops()) {
    fn();
    return () => {};
  }
  let cancelled = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!cancelled) fn();
  };
  channel.port2.postMessage(null);
  return () => {
    cancelled = true;
    channel.port1.close();
  };
}

/**
 * Calls `fn` once, `ms` milliseconds from now, unless cancelled first.
 * Returns the function that cancels it.
 */
export function startTimer(ms: number, fn: () => void): CancelTimer {
  let handle: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  if (!hops()) {
    handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  }
  const due = now() + ms;
  const cancelHop = inFreshTask(() => {
    if (!cancelled) handle = setTimeout(fn, Math.max(0, due - now()));
  });
  return () => {
    cancelled = true;
    cancelHop();
    clearTimeout(handle);
  };
}
