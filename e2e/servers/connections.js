// @ts-check
/**
 * Connection bookkeeping for the test servers, by path: the TCP sockets
 * live now, how many were accepted, and what a peer read. Shared by the
 * scenario router and the protocol-library router.
 */

/** @typedef {import('node:stream').Duplex} Duplex */

/**
 * @template {string} K the path names
 */
export function connectionBook() {
  /** @type {Map<K, Set<Duplex>>} */
  const sockets = new Map();
  /** @type {Map<K, number>} */
  const counts = new Map();
  /** @type {Map<K, string[]>} */
  const received = new Map();
  /** @param {K} [key] */
  const select = (key) => (key ? [sockets.get(key) ?? new Set()] : [...sockets.values()]);

  return {
    /**
     * Counts a new connection on `key` and follows it until it closes; returns its number on `key`, from 1.
     * @param {K} key @param {Duplex} socket
     */
    track(key, socket) {
      let set = sockets.get(key);
      if (!set) sockets.set(key, (set = new Set()));
      set.add(socket);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      socket.once('close', () => set.delete(socket));
      socket.on('error', () => socket.destroy());
      return n;
    },
    /** @param {K} key @param {string} what */
    record(key, what) {
      let list = received.get(key);
      if (!list) received.set(key, (list = []));
      list.push(what);
    },
    /** Connections live now, on `key` or on all. @param {K} [key] */
    live: (key) => select(key).reduce((n, set) => n + set.size, 0),
    /** Connections accepted so far, on `key` or on all. @param {K} [key] */
    accepted: (key) => (key ? counts.get(key) ?? 0 : [...counts.values()].reduce((a, b) => a + b, 0)),
    /** What was recorded on `key`, in order. @param {K} key */
    received: (key) => [...(received.get(key) ?? [])],
    /** Drops the live connections (of `key`) without a Close frame; returns how many. @param {K} [key] */
    kill(key) {
      let n = 0;
      for (const set of select(key)) for (const s of set) (s.destroy(), n++);
      return n;
    },
  };
}
