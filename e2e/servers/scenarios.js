// @ts-check
/**
 * Scenario servers that misbehave on purpose, behind one upgrade router.
 * The e2e tests start them on 127.0.0.1, port 0; the demo's Vite plugin
 * mounts the same router on its dev server. Each scenario is a path:
 *
 * | path               | behaviour | query parameters |
 * |--------------------|-----------|------------------|
 * | `/never-reads`     | upgrades by hand, may send one message, never reads again (gorilla handler without a read loop) | `hello` text to send first (default `hello`, empty for none) |
 * | `/silent`          | upgrades by hand, then neither reads nor writes (a half-open peer) | |
 * | `/echo`            | `ws` server, echoes every message, answers the close handshake | |
 * | `/heartbeat`       | like echo, and answers `ping` with `pong` | `ping`, `pong` texts |
 * | `/burst`           | like echo, and answers `burst:N` with N messages `0` … `N-1`, written in one go | |
 * | `/reset`           | echo, then drops the TCP connection with no Close frame | `after` ms (100), `times` connections affected (1) |
 * | `/close-with-code` | echo, then closes with a code and reason | `code` (1012), `reason`, `after` ms (50), `times` (1) |
 * | `/slow-close`      | echoes the client's Close frame after a delay | `delay` ms (500) |
 * | `/close-and-hold`  | upgrades by hand, sends a Close frame, then keeps the TCP connection open and records what arrives; later connections echo | `code` (1012), `after` ms (50), `times` (1) |
 * | `/reject`          | answers the upgrade with an HTTP error | `status` (503) |
 * | `/idle-drop`       | echo, and drops the TCP connection with no Close frame after `after` ms without a message either way (a proxy's idle timeout) | `after` ms (1000) |
 *
 * `times` counts connections per router and path, so a test that reconnects
 * sees the fault once and then a working server.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { connectionBook } from './connections.js';
import { acceptUpgrade, closeFrame, frameReader, textFrame } from './frames.js';

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:stream').Duplex} Duplex */

export const SCENARIOS = /** @type {const} */ (['never-reads', 'silent', 'echo', 'heartbeat', 'burst', 'reset', 'close-with-code', 'slow-close', 'close-and-hold', 'reject', 'idle-drop']);

/**
 * @typedef {object} ScenarioRouter
 * @property {(req: Req, socket: Duplex, head: Buffer) => boolean} handleUpgrade
 *   Serves the upgrade if its path (after `prefix`) names a scenario; `false` otherwise.
 * @property {(scenario?: string) => number} live Server-side connections open now.
 * @property {(scenario?: string) => number} accepted Connections accepted so far.
 * @property {(scenario: string) => string[]} received Text messages received, in order.
 * @property {(scenario?: string) => number} kill Drops every live connection (of a scenario) without a Close frame; returns how many.
 * @property {() => void} closeAll Drops every connection; used on shutdown.
 */

/**
 * @param {{ prefix?: string }} [options] a path prefix to strip, e.g. `/ws` for the demo.
 * @returns {ScenarioRouter}
 */
export function createScenarioRouter({ prefix = '' } = {}) {
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
  /** @type {ReturnType<typeof connectionBook<string>>} */
  const book = connectionBook();
  const { track, record } = book;

  /**
   * Upgrades with `ws` and echoes; returns the connection's number for its path.
   * @param {string} name @param {Req} req @param {Duplex} socket @param {Buffer} head
   * @param {(ws: import('ws').WebSocket, n: number) => void} [then]
   */
  function echo(name, req, socket, head, then) {
    const n = track(name, socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => {
        if (!isBinary) record(name, data.toString());
        if (ws.readyState === ws.OPEN) ws.send(data, { binary: isBinary });
      });
      ws.on('error', () => {});
      then?.(ws, n);
    });
  }

  /** @param {Req} req @param {Duplex} socket @param {Buffer} head */
  function handleUpgrade(req, socket, head) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (prefix && !url.pathname.startsWith(prefix + '/')) return false;
    const name = url.pathname.slice(prefix.length + 1);
    const q = url.searchParams;
    const num = (/** @type {string} */ key, /** @type {number} */ fallback) => {
      const v = q.get(key);
      return v === null || v === '' ? fallback : Number(v);
    };
    switch (name) {
      case 'never-reads': {
        track(name, socket);
        acceptUpgrade(req, socket);
        const hello = q.get('hello') ?? 'hello';
        if (hello) socket.write(textFrame(hello));
        // Like a gorilla handler with no read loop: the client's Close frame is never read.
        socket.pause();
        return true;
      }
      case 'silent':
        track(name, socket);
        acceptUpgrade(req, socket);
        socket.pause();
        return true;
      case 'echo':
        echo(name, req, socket, head);
        return true;
      case 'heartbeat': {
        const ping = q.get('ping') ?? 'ping';
        const pong = q.get('pong') ?? 'pong';
        track(name, socket);
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('message', (data, isBinary) => {
            const text = isBinary ? null : data.toString();
            if (text === ping) return ws.send(pong);
            if (text !== null) record(name, text);
            ws.send(data, { binary: isBinary });
          });
          ws.on('error', () => {});
        });
        return true;
      }
      case 'burst': {
        track(name, socket);
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('message', (data, isBinary) => {
            const text = isBinary ? null : data.toString();
            const count = text?.startsWith('burst:') ? Number(text.slice(6)) : NaN;
            if (text !== null) record(name, text);
            if (!Number.isInteger(count)) return ws.send(data, { binary: isBinary });
            for (let i = 0; i < count; i++) ws.send(String(i));
          });
          ws.on('error', () => {});
        });
        return true;
      }
      case 'reset': {
        const after = num('after', 100);
        const times = num('times', 1);
        echo(name, req, socket, head, (_ws, n) => {
          if (n <= times) setTimeout(() => socket.destroy(), after).unref();
        });
        return true;
      }
      case 'close-with-code': {
        const code = num('code', 1012);
        const reason = q.get('reason') ?? '';
        const after = num('after', 50);
        const times = num('times', 1);
        echo(name, req, socket, head, (ws, n) => {
          if (n <= times) setTimeout(() => ws.readyState === ws.OPEN && ws.close(code, reason), after).unref();
        });
        return true;
      }
      case 'slow-close': {
        const delay = num('delay', 500);
        track(name, socket);
        acceptUpgrade(req, socket);
        socket.on(
          'data',
          frameReader((opcode, payload) => {
            if (opcode === 0x1) {
              record(name, payload.toString('utf8'));
              socket.write(textFrame(payload.toString('utf8')));
            } else if (opcode === 0x8) {
              const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
              const reason = payload.subarray(2).toString('utf8');
              setTimeout(() => {
                if (socket.destroyed) return;
                socket.end(closeFrame(code, reason));
              }, delay).unref();
            }
          }),
        );
        return true;
      }
      case 'close-and-hold': {
        // The browser answers a server's Close frame and then waits for the server to end TCP
        // (Chromium gives up after about 2 s); meanwhile its socket is CLOSING and fires nothing.
        const code = num('code', 1012);
        const after = num('after', 50);
        const times = num('times', 1);
        if (book.accepted(name) >= times) {
          echo(name, req, socket, head);
          return true;
        }
        track(name, socket);
        acceptUpgrade(req, socket);
        setTimeout(() => socket.destroyed || socket.write(closeFrame(code)), after).unref();
        socket.on(
          'data',
          frameReader((opcode, payload) => {
            if (opcode === 0x1) record(name, payload.toString('utf8'));
          }),
        );
        return true;
      }
      case 'idle-drop': {
        // As a proxy with an idle timeout: any message, either way, restarts the clock.
        const after = num('after', 1000);
        // Each message in is echoed, so a message either way restarts it here.
        echo(name, req, socket, head, (ws) => {
          let timer = setTimeout(() => socket.destroy(), after).unref();
          ws.on('message', () => {
            clearTimeout(timer);
            timer = setTimeout(() => socket.destroy(), after).unref();
          });
          socket.once('close', () => clearTimeout(timer));
        });
        return true;
      }
      case 'reject': {
        const status = num('status', 503);
        track(name, socket);
        socket.end(`HTTP/1.1 ${status} Rejected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return true;
      }
      default:
        return false;
    }
  }

  return {
    handleUpgrade,
    live: book.live,
    accepted: book.accepted,
    received: book.received,
    kill: book.kill,
    closeAll() {
      book.kill();
      wss.close();
    },
  };
}

/**
 * @typedef {object} ScenarioServer
 * @property {number} port
 * @property {string} origin `http://127.0.0.1:port`
 * @property {ScenarioRouter} router
 * @property {(scenario: string, params?: Record<string, string | number>) => string} url
 * @property {() => Promise<void>} stop Drops every connection and closes the port.
 */

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css',
});

/**
 * Serves files below `root` for GET requests (the e2e pages and the built bundle).
 * @param {string} root
 * @param {Record<string, string>} headers extra response headers for HTML pages
 * @returns {import('node:http').RequestListener}
 */
export function staticFiles(root, headers) {
  return (req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(normalize(root + sep)) || req.method !== 'GET') return void res.writeHead(404).end();
    try {
      if (!statSync(path).isFile()) return void res.writeHead(404).end();
    } catch {
      return void res.writeHead(404).end();
    }
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...(type.startsWith('text/html') ? headers : {}) });
    createReadStream(path).pipe(res);
  };
}

/**
 * Starts every scenario on one HTTP server on 127.0.0.1 and a free port.
 * With `root`, it also serves the files below it over HTTP (with `headers` on HTML pages),
 * and with `files`, scripts made on request (a bundle built in memory), by path.
 * @param {{ root?: string, headers?: Record<string, string>, files?: Record<string, () => string | Promise<string>> }} [options]
 * @returns {Promise<ScenarioServer>}
 */
export async function startScenarioServer({ root, headers = {}, files = {} } = {}) {
  const router = createScenarioRouter();
  const fromDisk = root ? staticFiles(root, headers) : null;
  const server = createServer(async (req, res) => {
    const made = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (made && req.method === 'GET') {
      try {
        return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(await made());
      } catch (error) {
        return void res.writeHead(500).end(String(error));
      }
    }
    if (fromDisk) return fromDisk(req, res);
    res.writeHead(426).end('WebSocket only');
  });
  server.on('upgrade', (req, socket, head) => {
    if (!router.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    router,
    url(scenario, params = {}) {
      const u = new URL(`ws://127.0.0.1:${port}/${scenario}`);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
      return u.href;
    },
    async stop() {
      router.closeAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
