// @ts-check
/**
 * One small adapter per client, so that every measurement drives the four
 * the same way: makeClient(kind, url, options) returns
 * { kind, raw, on(type, fn), send(data), close(code) } with the events
 * open(), message(data) and close({ code, wasClean, at, detail }).
 * `at` is the page's wall clock (timeOrigin + now), as the server's.
 */
(() => {
  const w = /** @type {any} */ (window);
  const now = () => performance.timeOrigin + performance.now();

  /** @typedef {{ code: number | string, wasClean: boolean, at: number, detail: object | null }} Closed */
  /** @typedef {'open' | 'message' | 'close'} EventType */

  function emitter() {
    /** @type {Record<EventType, Array<(value?: any) => void>>} */
    const handlers = { open: [], message: [], close: [] };
    return {
      /** @param {EventType} type @param {any} [value] */
      fire: (type, value) => handlers[type].forEach((fn) => fn(value)),
      /** @param {EventType} type @param {(value?: any) => void} fn */
      on: (type, fn) => void handlers[type].push(fn),
    };
  }

  /** A native WebSocket or a peer: both dispatch open, message and close events. @param {string} kind @param {any} socket */
  function wrapNativeLike(kind, socket) {
    const { fire, on } = emitter();
    socket.addEventListener('open', () => fire('open'));
    socket.addEventListener('message', (/** @type {MessageEvent} */ e) => fire('message', e.data));
    socket.addEventListener('close', (/** @type {CloseEvent} */ e) => {
      const at = now();
      fire('close', /** @type {Closed} */ ({ code: e.code, wasClean: e.wasClean, at, detail: null }));
    });
    return { kind, raw: socket, on, send: (/** @type {any} */ data) => socket.send(data), close: (/** @type {number} */ code) => socket.close(code) };
  }

  /** @param {string} url @param {object | undefined} options */
  function makeSdk(url, options) {
    const socket = new w.ResilientSocket(url, options);
    const { fire, on } = emitter();
    socket.on('open', () => fire('open'));
    socket.on('message', (/** @type {MessageEvent} */ e) => fire('message', e.data));
    socket.on('close', (/** @type {any} */ info) => {
      const at = now();
      const detail = { kind: info.kind, cause: info.cause, initiator: info.initiator, latencyMs: info.latencyMs, willReconnect: info.willReconnect };
      fire('close', /** @type {Closed} */ ({ code: info.code, wasClean: info.wasClean, at, detail }));
    });
    return { kind: 'resilient-socket', raw: socket, on, send: (/** @type {any} */ data) => socket.send(data), close: (/** @type {number} */ code) => void socket.close(code) };
  }

  /**
   * @param {string} kind resilient-socket | native | reconnecting-websocket | partysocket
   * @param {string} url
   * @param {object} [options] the client's own options (none: its defaults)
   */
  w.makeClient = (kind, url, options) => {
    switch (kind) {
      case 'resilient-socket':
        return makeSdk(url, options);
      case 'native':
        return wrapNativeLike(kind, new WebSocket(url));
      case 'reconnecting-websocket':
        return wrapNativeLike(kind, new w.ReconnectingWebSocket(url, [], options));
      case 'partysocket':
        return wrapNativeLike(kind, new w.PartySocketWS(url, [], options));
      default:
        throw new Error(`unknown client ${kind}`);
    }
  };

  /**
   * Resolves at the client's next event of `type` (with its value, or true), or null after `ms`.
   * @param {{ on: (type: EventType, fn: (value?: any) => void) => void }} client @param {EventType} type @param {number} [ms]
   */
  w.nextEvent = (client, type, ms = 10000) =>
    new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        resolve(null);
      }, ms);
      client.on(type, (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value === undefined ? true : value);
      });
    });

  w.wallNow = now;
  w.benchReady = typeof w.ResilientSocket === 'function' && typeof w.ReconnectingWebSocket === 'function' && typeof w.PartySocketWS === 'function';
})();
