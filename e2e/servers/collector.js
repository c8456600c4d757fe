// @ts-check
/**
 * A telemetry collector on 127.0.0.1, port 0, for e2e/reporters.spec.ts:
 * records every POST (path, query, content type, body) and answers 200, or
 * 204 to a CORS preflight, so that beacons, Sentry's envelopes and
 * Datadog's intake (through its `proxy` option) land here and nowhere else.
 */
import { createServer } from 'node:http';

/**
 * @typedef {object} Received
 * @property {string} path
 * @property {URLSearchParams} query
 * @property {string} contentType
 * @property {string} body
 */

/** @returns {Promise<{ origin: string, received: Received[], stop: () => Promise<void> }>} */
export async function startCollector() {
  /** @type {Received[]} */
  const received = [];
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-allow-methods': 'POST',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method !== 'POST') return void res.writeHead(405, cors).end();
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      received.push({ path: url.pathname, query: url.searchParams, contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
