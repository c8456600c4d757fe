// @ts-check
/**
 * An echo server that goes down and comes back on the same port, as a
 * deployment restart does. While down, connections are refused.
 */
import { createServer } from 'node:http';
import { createScenarioRouter } from './scenarios.js';

/**
 * @typedef {object} RestartableServer
 * @property {number} port
 * @property {string} url the echo endpoint
 * @property {import('./scenarios.js').ScenarioRouter} router
 * @property {() => Promise<void>} down Drops every connection (no Close frame) and closes the port.
 * @property {() => Promise<void>} up Listens again on the same port.
 * @property {() => boolean} isUp
 * @property {() => Promise<void>} stop Shuts down for good.
 */

/** @returns {Promise<RestartableServer>} */
export async function startRestartableServer() {
  const router = createScenarioRouter();
  /** @type {import('node:http').Server | null} */
  let server = null;
  let port = 0;

  async function up() {
    if (server) return;
    const s = createServer((_req, res) => res.writeHead(426).end());
    s.on('upgrade', (req, socket, head) => {
      if (!router.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(undefined));
    });
    const address = s.address();
    port = typeof address === 'object' && address ? address.port : port;
    server = s;
  }

  async function down() {
    const s = server;
    if (!s) return;
    server = null;
    router.kill();
    s.closeAllConnections();
    await new Promise((resolve) => s.close(() => resolve(undefined)));
  }

  await up();
  return {
    port,
    get url() {
      return `ws://127.0.0.1:${port}/echo`;
    },
    router,
    down,
    up,
    isUp: () => server !== null,
    async stop() {
      await down();
      router.closeAll();
    },
  };
}
