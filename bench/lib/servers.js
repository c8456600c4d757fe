// @ts-check
/**
 * The bench's servers: the e2e scenario server and restartable server,
 * reused as they are, with two additions made from outside:
 *
 * - Every upgrade passes through a wrapper around `router.handleUpgrade`
 *   (both servers look the method up on each upgrade). A connection whose
 *   URL carries `id=…` has its raw socket watched: the first Close frame the
 *   server writes (first byte 0x88) or the first `destroy()` is stamped as
 *   the server's action, on the same clock as the page's.
 * - `/push` (bench only: no scenario pushes in bulk) answers the text
 *   `push <count> <bytes>` with that many text messages as fast as `ws` can
 *   write them, for the one-way throughput figure.
 *
 * Everything listens on 127.0.0.1, port 0.
 */
import { WebSocketServer } from 'ws';
import { startRestartableServer } from '../../e2e/servers/restartable.js';
import { startScenarioServer } from '../../e2e/servers/scenarios.js';
import { now } from './env.js';

/** @typedef {import('node:stream').Duplex} Duplex */
/** @typedef {{ at: number, what: 'close-frame' | 'destroy' }} ServerAction */
/** @typedef {{ at: number, path: string, client: string | null }} Arrival */

/**
 * Wraps `router.handleUpgrade`: stamps arrivals, watches sockets with an id,
 * and serves `/push`.
 * @param {import('../../e2e/servers/scenarios.js').ScenarioRouter} router
 */
function instrument(router) {
  const inner = router.handleUpgrade;
  /** @type {Map<string, ServerAction>} */
  const actions = new Map();
  /** @type {Arrival[]} */
  const arrivals = [];
  let recordArrivals = false;
  const pushServer = new WebSocketServer({ noServer: true, clientTracking: true, perMessageDeflate: false });
  pushServer.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const [verb, count, bytes] = data.toString().split(' ');
      if (verb !== 'push') return;
      const payload = 'x'.repeat(Number(bytes));
      for (let i = 0; i < Number(count) && ws.readyState === ws.OPEN; i++) ws.send(payload);
    });
  });

  /** @param {Duplex} socket @param {string} id */
  function watch(socket, id) {
    const stamp = (/** @type {ServerAction['what']} */ what) => {
      if (!actions.has(id)) actions.set(id, { at: now(), what });
    };
    const s = /** @type {any} */ (socket);
    const write = s.write;
    s.write = /** @this {any} */ function (/** @type {any[]} */ ...args) {
      if (Buffer.isBuffer(args[0]) && args[0][0] === 0x88) stamp('close-frame');
      return write.apply(this, args);
    };
    const destroy = s.destroy;
    s.destroy = /** @this {any} */ function (/** @type {any[]} */ ...args) {
      stamp('destroy');
      return destroy.apply(this, args);
    };
  }

  router.handleUpgrade = (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (recordArrivals) arrivals.push({ at: now(), path: url.pathname, client: url.searchParams.get('c') });
    if (url.pathname === '/push') {
      socket.on('error', () => socket.destroy());
      pushServer.handleUpgrade(req, socket, head, (ws) => pushServer.emit('connection', ws, req));
      return true;
    }
    const id = url.searchParams.get('id');
    if (id) watch(socket, id);
    return inner(req, socket, head);
  };

  return {
    /** The server's action on the connection with this id, if any yet. @param {string} id */
    actionOf: (id) => actions.get(id) ?? null,
    /** Upgrades seen since {@link startArrivals}. */
    arrivals,
    /** Starts recording arrivals (from empty). */
    startArrivals() {
      arrivals.length = 0;
      recordArrivals = true;
    },
    stopArrivals() {
      recordArrivals = false;
    },
    /** Live `/push` connections. */
    pushLive: () => pushServer.clients.size,
    closePush() {
      for (const ws of pushServer.clients) ws.terminate();
      pushServer.close();
    },
  };
}

/**
 * The scenario server, serving the repository's files (pages, bundles) too.
 * @param {string} root
 */
export async function startBenchServer(root) {
  const server = await startScenarioServer({ root });
  const extra = instrument(server.router);
  return {
    ...server,
    ...extra,
    /** @param {string} path @param {Record<string, string | number>} [params] */
    wsUrl: (path, params = {}) => server.url(path, params),
    async stop() {
      extra.closePush();
      await server.stop();
    },
  };
}

/** The restartable echo server with arrivals stamped. */
export async function startBenchRestartable() {
  const server = await startRestartableServer();
  const extra = instrument(server.router);
  return Object.assign(server, extra);
}
