// @ts-check
/**
 * Soak instrumentation, added as an init script before any bundle runs:
 * counts timers not yet fired or cleared, and event listeners added and
 * not removed, per live EventTarget. window.__soakStats() reads them.
 *
 * It also counts native WebSockets whose close() was called and whose
 * `close` event has not fired yet: the sockets the page abandoned that the
 * browser is still closing (against a server that never reads, Chromium
 * keeps each one CLOSING for ~60 s, and fails every new connection once
 * about 254 are). window.__soakSockets() reads the count and its peak,
 * independently of anything the SDK counts itself.
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

  // ── native WebSockets closing ──
  // window.WebSocket becomes a Proxy of the native constructor: `new` still returns a
  // native socket, and `prototype`, the static constants, `name` and `length` are read
  // through to the native constructor, so `instanceof` and `WebSocket.OPEN` work as
  // before (the prototype's `constructor` points at the Proxy, so that
  // `ws.constructor === WebSocket` still holds). close() is wrapped on the prototype:
  // it calls the native close() with the same arguments and returns or throws what it
  // does. The listener it adds goes through the native addEventListener, so the
  // listener counts above do not see it.
  const NativeWebSocket = w.WebSocket;
  const wsProto = NativeWebSocket.prototype;
  const nativeClose = wsProto.close;
  // A WeakSet and a count, so that the counting keeps no socket alive (the browser keeps a
  // socket alive itself until its close event has fired).
  /** Sockets whose close() was called and whose close event has not fired. @type {WeakSet<object>} */
  const closingSet = new WeakSet();
  let closing = 0;
  let created = 0;
  let closeCalls = 0;
  let closeEvents = 0;
  let peakClosing = 0;
  const onClose = /** @this {WebSocket} */ function () {
    if (closingSet.delete(this)) {
      closing--;
      closeEvents++;
    }
  };
  /** @type {typeof WebSocket} */
  const Instrumented = new Proxy(NativeWebSocket, {
    /** @returns {object} */
    construct(target, args, newTarget) {
      /** @type {object} */
      const socket = Reflect.construct(target, args, newTarget === Instrumented ? target : newTarget);
      created++;
      return socket;
    },
  });
  const closeWrapper = {
    /** @this {WebSocket} @param {any[]} args */
    close(...args) {
      let counts = false;
      try {
        // CLOSED means the close event has fired (it fires as readyState turns CLOSED).
        counts = this instanceof NativeWebSocket && this.readyState !== 3 && !closingSet.has(this);
      } catch {
        // Not a socket: the native close() below throws what it throws.
      }
      const result = nativeClose.apply(this, /** @type {any} */ (args));
      if (counts) {
        closeCalls++;
        closingSet.add(this);
        if (++closing > peakClosing) peakClosing = closing;
        add.call(this, 'close', onClose);
      }
      return result;
    },
  }.close;
  Object.defineProperty(wsProto, 'close', { ...Object.getOwnPropertyDescriptor(wsProto, 'close'), value: closeWrapper });
  Object.defineProperty(wsProto, 'constructor', { ...Object.getOwnPropertyDescriptor(wsProto, 'constructor'), value: Instrumented });
  Object.defineProperty(w, 'WebSocket', { ...Object.getOwnPropertyDescriptor(w, 'WebSocket'), value: Instrumented });

  w.__soakSockets = () => ({ closing, peakClosing, created, closeCalls, closeEvents });
})();
