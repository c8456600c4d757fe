// @ts-check
/**
 * Soak instrumentation, added as an init script before any bundle runs:
 * counts timers not yet fired or cleared, and event listeners added and
 * not removed, per live EventTarget. window.__soakStats() reads them.
 *
 * Listeners are tracked per target in a WeakMap, and targets with at
 * least one listener through a WeakRef, so that the counting itself keeps
 * nothing alive: after a GC, only targets still reachable are counted.
 * (`{ once: true }` listeners removed by the browser itself are not seen;
 * no client here uses them.)
 */
(() => {
  const w = /** @type {any} */ (window);

  // ── timers ──
  /** @type {Set<unknown>} */
  const pendingTimers = new Set();
  const st = w.setTimeout;
  const ct = w.clearTimeout;
  const si = w.setInterval;
  const ci = w.clearInterval;
  w.setTimeout = function (/** @type {any} */ fn, /** @type {number} */ ms, /** @type {any[]} */ ...args) {
    /** @type {unknown} */
    let id = 0;
    const run =
      typeof fn === 'function'
        ? /** @this {any} */ function (/** @type {any[]} */ ...a) {
            pendingTimers.delete(id);
            return fn.apply(this, a);
          }
        : fn;
    id = st.call(window, run, ms, ...args);
    pendingTimers.add(id);
    return id;
  };
  w.setInterval = function (/** @type {any[]} */ ...args) {
    const id = si.apply(window, args);
    pendingTimers.add(id);
    return id;
  };
  w.clearTimeout = function (/** @type {unknown} */ id) {
    pendingTimers.delete(id);
    return ct.call(window, id);
  };
  w.clearInterval = function (/** @type {unknown} */ id) {
    pendingTimers.delete(id);
    return ci.call(window, id);
  };

  // ── listeners ──
  const proto = EventTarget.prototype;
  const add = proto.addEventListener;
  const remove = proto.removeEventListener;
  /** @typedef {{ byKey: Map<string, Set<any>>, count: number, ref: WeakRef<EventTarget> | null }} Entry */
  /** @type {WeakMap<EventTarget, Entry>} */
  const registry = new WeakMap();
  /** @type {Set<WeakRef<EventTarget>>} */
  const refs = new Set();
  let adds = 0;
  let removes = 0;
  let sinceSweep = 0;
  const keyOf = (/** @type {string} */ type, /** @type {any} */ options) =>
    `${type}|${typeof options === 'boolean' ? options : Boolean(options && options.capture)}`;

  proto.addEventListener = function (type, listener, options) {
    if (listener) {
      let entry = registry.get(this);
      if (!entry) registry.set(this, (entry = { byKey: new Map(), count: 0, ref: null }));
      const key = keyOf(type, options);
      let set = entry.byKey.get(key);
      if (!set) entry.byKey.set(key, (set = new Set()));
      if (!set.has(listener)) {
        set.add(listener);
        entry.count++;
        adds++;
        if (!entry.ref) refs.add((entry.ref = new WeakRef(this)));
      }
      if (++sinceSweep >= 1000) sweep();
    }
    return add.call(this, type, listener, options);
  };

  proto.removeEventListener = function (type, listener, options) {
    const entry = registry.get(this);
    const set = entry?.byKey.get(keyOf(type, options));
    if (entry && set?.delete(listener)) {
      entry.count--;
      removes++;
      if (entry.count === 0 && entry.ref) {
        refs.delete(entry.ref);
        entry.ref = null;
      }
    }
    return remove.call(this, type, listener, options);
  };

  function sweep() {
    sinceSweep = 0;
    for (const ref of refs) if (!ref.deref()) refs.delete(ref);
  }

  w.__soakStats = () => {
    sweep();
    let listeners = 0;
    /** @type {Record<string, number>} */
    const byTarget = {};
    for (const ref of refs) {
      const target = ref.deref();
      if (!target) continue;
      const entry = registry.get(target);
      if (!entry) continue;
      listeners += entry.count;
      const name = target === window ? 'window' : target.constructor?.name ?? 'EventTarget';
      byTarget[name] = (byTarget[name] ?? 0) + entry.count;
    }
    return { pendingTimers: pendingTimers.size, liveListeners: listeners, listenersByTarget: byTarget, listenerAdds: adds, listenerRemoves: removes };
  };
})();
