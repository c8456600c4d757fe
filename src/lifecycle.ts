/**
 * Page and network lifecycle: `offline`/`online`, `pagehide`/`pageshow`
 * with `persisted` (the back/forward cache), and `pagehide` without it (an
 * unload). Listeners are added only where a `window` exists, and removed by
 * the function returned.
 *
 * @module
 */

/** What to do on each lifecycle event. */
export interface LifecycleHandlers {
  offline(): void;
  online(): void;
  /** The page is entering the back/forward cache. */
  pagehide(): void;
  /** The page came back from the back/forward cache. */
  pageshow(): void;
  /** The page is being unloaded (`pagehide` not persisted). */
  unload(): void;
}

/**
 * The page's `window`, or `null` where there is none to listen on (Node, a
 * worker): the one place that decides whether the code runs in a page.
 */
export function pageWindow(): Window | null {
  return typeof window !== 'undefined' && typeof window.addEventListener === 'function' ? window : null;
}

/**
 * Listens for the lifecycle events that are switched on. Returns a function
 * that removes every listener added.
 */
export function watchLifecycle(handlers: LifecycleHandlers, network: boolean, page: boolean): () => void {
  const target = pageWindow();
  if (!target || (!network && !page)) return () => {};
  const listeners: Array<[string, (event: Event) => void]> = [];
  // pagehide in the capture phase: Firefox runs a window's capturing listeners before the others,
  // so the unload trace is there for the app's own pagehide handlers. (Chromium runs them in the
  // order they were added; the beacon ends the sockets it watches itself.)
  const capture = (type: string) => type === 'pagehide';
  if (network) {
    listeners.push(['offline', () => handlers.offline()], ['online', () => handlers.online()]);
  }
  if (page) {
    listeners.push(
      ['pagehide', (e) => ((e as PageTransitionEvent).persisted ? handlers.pagehide() : handlers.unload())],
      ['pageshow', (e) => (e as PageTransitionEvent).persisted && handlers.pageshow()],
    );
  }
  for (const [type, fn] of listeners) target.addEventListener(type, fn, capture(type));
  return () => {
    for (const [type, fn] of listeners) target.removeEventListener(type, fn, capture(type));
  };
}

/**
 * Whether the browser says it is offline (`navigator.onLine` false). Only in
 * a window: elsewhere `onLine` is absent or meaningless, and this is `false`.
 */
export function browserOffline(): boolean {
  if (typeof window === 'undefined') return false;
  return (globalThis as { navigator?: { onLine?: unknown } }).navigator?.onLine === false;
}
