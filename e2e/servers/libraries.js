// @ts-check
/**
 * Servers for e2e/libraries.spec.ts: the protocol libraries' own servers
 * where they exist, minimal peers where they do not, and for each library a
 * peer that answers the library's handshake and then stops reading its TCP
 * socket (like the `never-reads` scenario), so the browser's closing
 * handshake never completes. All on one HTTP server on 127.0.0.1, port 0,
 * which also serves the test page and the libraries' browser bundle.
 *
 * | path                              | peer |
 * |-----------------------------------|------|
 * | `/graphql`                        | graphql-ws's server (`graphql-ws/use/ws`) on a `ws` server; query `hello`, subscription `ticks(every)` |
 * | `/graphql-never-reads`            | answers `connection_init` with `connection_ack`, then stops reading |
 * | `/mqtt`                           | the aedes broker over a `ws` server |
 * | `/mqtt-never-reads`               | answers CONNECT with CONNACK, then stops reading |
 * | `/phoenix/websocket`              | minimal Phoenix channels peer, JSON serializer v2: `phx_join`, `heartbeat`, `ping` replied `ok` |
 * | `/phoenix-never-reads/websocket`  | replies `ok` to the first `phx_join`, then stops reading |
 * | `/stomp`                          | minimal STOMP 1.2 peer: CONNECT→CONNECTED, SUBSCRIBE, SEND→MESSAGE, DISCONNECT→RECEIPT |
 * | `/stomp-never-reads`              | answers CONNECT with CONNECTED, then stops reading; with `?until=disconnect` it also answers SUBSCRIBE/SEND and the DISCONNECT's RECEIPT, then stops reading |
 * | `/yjs/<room>`                     | @y/websocket-server's `setupWSConnection` |
 * | `/yjs-never-reads/<room>`         | answers the first sync step 1 with an empty sync step 2, then stops reading |
 *
 * Every upgrade's TCP socket is tracked by route (the first path segment),
 * so a test can count live server-side connections and drop them.
 */
import { createServer } from 'node:http';
import { Aedes } from 'aedes';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { docs as yDocs, setupWSConnection } from '@y/websocket-server/utils';
import { browserBundle } from './bundle.js';
import { connectionBook } from './connections.js';
import { acceptUpgrade, frame, frameReader, textFrame } from './frames.js';
import { staticFiles } from './scenarios.js';

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:stream').Duplex} Duplex */

export const ROUTES = /** @type {const} */ ([
  'graphql',
  'graphql-never-reads',
  'mqtt',
  'mqtt-never-reads',
  'phoenix',
  'phoenix-never-reads',
  'stomp',
  'stomp-never-reads',
  'yjs',
  'yjs-never-reads',
]);
/** @typedef {typeof ROUTES[number]} Route */

// ---------------------------------------------------------------------------
// The browser bundle of the libraries, built once per Playwright worker.

/**
 * The libraries as an app imports them. The test page (e2e/pages/libraries.html)
 * uses them from the IIFE's global, `Libs`.
 */
const LIBS_ENTRY = `
export { createClient } from 'graphql-ws';
export { default as mqtt } from 'mqtt';
export { Socket as PhoenixSocket } from 'phoenix';
export { Client as StompClient } from '@stomp/stompjs';
export { WebsocketProvider } from 'y-websocket';
export * as Y from 'yjs';
`;
const ENTRY_ID = 'resilient-socket-e2e-libs-entry';

/** @type {Promise<string> | null} */
let bundling = null;

/**
 * Bundles graphql-ws, mqtt, phoenix, @stomp/stompjs, y-websocket and yjs for
 * the browser with Vite's programmatic build(), in memory, as one IIFE that
 * defines `window.Libs`. Cached per process.
 * @param {string} root the repository root (its node_modules are used)
 * @returns {Promise<string>}
 */
export function librariesBundle(root) {
  bundling ??= browserBundle({ root, entry: LIBS_ENTRY, name: 'Libs', id: ENTRY_ID });
  bundling.catch(() => (bundling = null));
  return bundling;
}

// ---------------------------------------------------------------------------
// Small codecs for the minimal peers.

/**
 * Answers the opening handshake by hand and hands each client frame to
 * `onFrame` until it returns `'stop'`: from then on the TCP socket is never
 * read again (like a gorilla handler with no read loop), so the client's
 * Close frame is never read and never echoed.
 * @param {Req} req @param {Duplex} socket @param {Buffer} head
 * @param {(opcode: number, payload: Buffer) => 'stop' | void} onFrame
 */
function readUntilStop(req, socket, head, onFrame) {
  acceptUpgrade(req, socket);
  let stopped = false;
  const read = frameReader((opcode, payload) => {
    if (stopped) return;
    if (onFrame(opcode, payload) === 'stop') {
      stopped = true;
      socket.off('data', read);
      socket.pause();
    }
  });
  socket.on('data', read);
  if (head.length) read(head);
}

/**
 * Parses STOMP frames (`COMMAND\nheader:value\n\nbody\0`) as text arrives;
 * heart-beat EOLs between frames are skipped.
 * @param {(f: { command: string, headers: Record<string, string>, body: string }) => void} onFrame
 */
function stompReader(onFrame) {
  let buf = '';
  return (/** @type {string} */ text) => {
    buf += text;
    for (let end = buf.indexOf('\0'); end !== -1; end = buf.indexOf('\0')) {
      const raw = buf.slice(0, end).replace(/^(\r?\n)+/, '');
      buf = buf.slice(end + 1);
      const split = raw.indexOf('\n\n') === -1 ? raw.length : raw.indexOf('\n\n');
      const [command = '', ...lines] = raw.slice(0, split).split(/\r?\n/);
      /** @type {Record<string, string>} */
      const headers = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0 && !(line.slice(0, colon) in headers)) headers[line.slice(0, colon)] = line.slice(colon + 1);
      }
      onFrame({ command, headers, body: raw.slice(split + 2) });
    }
  };
}

/**
 * @param {string} command @param {Record<string, string | number>} headers @param {string} [body]
 */
function stompFrame(command, headers, body = '') {
  const lines = Object.entries(headers).map(([k, v]) => `${k}:${v}`);
  if (body) lines.push(`content-length:${Buffer.byteLength(body)}`);
  return `${command}\n${lines.join('\n')}\n\n${body}\0`;
}

/** CONNECTED for a STOMP CONNECT: version 1.2, no heart-beats. */
const STOMP_CONNECTED = stompFrame('CONNECTED', { version: '1.2', 'heart-beat': '0,0', server: 'e2e-stomp/1' });

/** MQTT 3.1.1 CONNACK, session not present, accepted. */
const MQTT_CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);

/**
 * Whether `buf` starts with a complete MQTT packet of type `type` (upper nibble).
 * @param {Buffer} buf @param {number} type
 */
function completeMqttPacket(buf, type) {
  if (buf.length < 2 || buf[0] >> 4 !== type) return false;
  let length = 0;
  let multiplier = 1;
  let i = 1;
  for (; i < buf.length && i <= 4; i++) {
    const byte = /** @type {number} */ (buf[i]);
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if (!(byte & 0x80)) break;
  }
  return buf.length >= i + 1 + length;
}

/** y-protocols sync step 2 of an empty document: messageSync, step 2, update [0, 0]. */
const Y_SYNC_STEP2_EMPTY = Buffer.from([0x00, 0x01, 0x02, 0x00, 0x00]);

// ---------------------------------------------------------------------------
// The routes.

/**
 * @typedef {object} LibraryRouter
 * @property {(req: Req, socket: Duplex, head: Buffer) => boolean} handleUpgrade
 * @property {(route?: Route) => number} live Server-side TCP connections of a route open now.
 * @property {(route?: Route) => number} accepted Upgrades accepted so far.
 * @property {(route?: Route) => number} kill Destroys every live TCP connection (of a route): no Close frame. Returns how many.
 * @property {(route: Route) => string[]} received What a peer has read, in order (STOMP commands, Phoenix events, graphql-ws message types).
 * @property {() => number} mqttClients Clients the aedes broker has connected now.
 * @property {(room: string) => import('@y/websocket-server/utils').WSSharedDoc | undefined} yDoc The server's copy of a Yjs room.
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<LibraryRouter>} */
export async function createLibraryRouter() {
  /** @type {ReturnType<typeof connectionBook<Route>>} */
  const book = connectionBook();
  const { track, record } = book;

  const wssOptions = { noServer: true, clientTracking: true, perMessageDeflate: false };

  // graphql-ws's own server.
  const schema = buildSchema(`
    type Query { hello: String }
    type Subscription { ticks(every: Int): Int }
  `);
  const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const roots = {
    query: { hello: () => 'world' },
    subscription: {
      ticks: async function* ticks(/** @type {{ every?: number }} */ { every = 200 }) {
        for (let n = 1; ; n++) {
          await sleep(every);
          yield { ticks: n };
        }
      },
    },
  };
  const graphqlWss = new WebSocketServer(wssOptions);
  const graphqlServer = useServer(
    {
      schema,
      roots,
      onSubscribe: (_ctx, _id, payload) => void record('graphql', `subscribe:${payload.query.replace(/\s+/g, ' ').trim()}`),
    },
    graphqlWss,
  );

  // The aedes broker.
  const broker = await Aedes.createBroker();
  const mqttWss = new WebSocketServer(wssOptions);
  mqttWss.on('connection', (ws) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => stream.destroy());
    broker.handle(/** @type {any} */ (stream));
  });

  // y-websocket's server.
  const yjsWss = new WebSocketServer(wssOptions);
  yjsWss.on('connection', (ws, req) => {
    const room = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.split('/')[2] ?? '');
    setupWSConnection(ws, req, { docName: room });
  });

  // The minimal peers run on a plain ws server.
  const peerWss = new WebSocketServer(wssOptions);

  /** @param {import('ws').WebSocket} ws */
  function phoenixPeer(ws) {
    ws.on('message', (data) => {
      const [joinRef, ref, topic, event, payload] = JSON.parse(data.toString());
      record('phoenix', event);
      const reply = (/** @type {object} */ response) => ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]));
      if (event === 'phx_join') reply({ joined: topic });
      else if (event === 'heartbeat' && topic === 'phoenix') reply({});
      else if (event === 'ping') reply({ pong: payload });
      else if (event === 'phx_leave') reply({});
    });
  }

  /** @param {import('ws').WebSocket} ws */
  function stompPeer(ws) {
    /** @type {Map<string, string>} subscription id → destination */
    const subscriptions = new Map();
    let messageId = 0;
    ws.on(
      'message',
      ((read) => (/** @type {import('ws').RawData} */ data) => read(data.toString()))(
        stompReader(({ command, headers, body }) => {
          record('stomp', command);
          if (command === 'CONNECT' || command === 'STOMP') ws.send(STOMP_CONNECTED);
          else if (command === 'SUBSCRIBE' && headers.id && headers.destination) subscriptions.set(headers.id, headers.destination);
          else if (command === 'UNSUBSCRIBE' && headers.id) subscriptions.delete(headers.id);
          else if (command === 'SEND') {
            for (const [id, destination] of subscriptions) {
              if (destination !== headers.destination) continue;
              ws.send(stompFrame('MESSAGE', { subscription: id, 'message-id': ++messageId, destination, 'content-type': 'text/plain' }, body));
            }
          }
          if (headers.receipt) ws.send(stompFrame('RECEIPT', { 'receipt-id': headers.receipt }));
          if (command === 'DISCONNECT') ws.close(1000);
        }),
      ),
    );
  }

  /** @param {Req} req @param {Duplex} socket @param {Buffer} head */
  function handleUpgrade(req, socket, head) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = /** @type {Route} */ (url.pathname.split('/')[1] ?? '');
    if (!ROUTES.includes(route)) return false;
    track(route, socket);
    /** @param {WebSocketServer} wss @param {(ws: import('ws').WebSocket) => void} [then] */
    const upgrade = (wss, then) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {});
        then?.(ws);
        wss.emit('connection', ws, req);
      });
    switch (route) {
      case 'graphql':
        upgrade(graphqlWss);
        return true;
      case 'mqtt':
        upgrade(mqttWss);
        return true;
      case 'yjs':
        upgrade(yjsWss);
        return true;
      case 'phoenix':
        upgrade(peerWss, phoenixPeer);
        return true;
      case 'stomp':
        upgrade(peerWss, stompPeer);
        return true;
      case 'graphql-never-reads':
        readUntilStop(req, socket, head, (opcode, payload) => {
          if (opcode !== 0x1) return;
          const message = JSON.parse(payload.toString('utf8'));
          record(route, message.type);
          if (message.type !== 'connection_init') return;
          socket.write(textFrame(JSON.stringify({ type: 'connection_ack' })));
          return 'stop';
        });
        return true;
      case 'mqtt-never-reads': {
        let buf = Buffer.alloc(0);
        readUntilStop(req, socket, head, (opcode, payload) => {
          if (opcode !== 0x2 && opcode !== 0x0) return;
          buf = Buffer.concat([buf, payload]);
          if (!completeMqttPacket(buf, 1)) return;
          record(route, 'CONNECT');
          socket.write(frame(0x2, MQTT_CONNACK));
          return 'stop';
        });
        return true;
      }
      case 'phoenix-never-reads':
        readUntilStop(req, socket, head, (opcode, payload) => {
          if (opcode !== 0x1) return;
          const [joinRef, ref, topic, event] = JSON.parse(payload.toString('utf8'));
          record(route, event);
          if (event !== 'phx_join') return;
          socket.write(textFrame(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }])));
          return 'stop';
        });
        return true;
      case 'stomp-never-reads': {
        const untilDisconnect = url.searchParams.get('until') === 'disconnect';
        let stop = false;
        const read = stompReader(({ command, headers }) => {
          record(route, command);
          if (command === 'CONNECT' || command === 'STOMP') {
            socket.write(textFrame(STOMP_CONNECTED));
            stop ||= !untilDisconnect;
          } else if (headers.receipt) socket.write(textFrame(stompFrame('RECEIPT', { 'receipt-id': headers.receipt })));
          if (command === 'DISCONNECT') stop = true;
        });
        readUntilStop(req, socket, head, (opcode, payload) => {
          if (opcode !== 0x1) return;
          read(payload.toString('utf8'));
          return stop ? 'stop' : undefined;
        });
        return true;
      }
      case 'yjs-never-reads':
        readUntilStop(req, socket, head, (opcode, payload) => {
          if (opcode !== 0x2) return;
          // [messageSync = 0, syncStep1 = 0, state vector]
          record(route, payload[0] === 0 && payload[1] === 0 ? 'sync-step-1' : `message-${payload[0]}`);
          if (payload[0] !== 0 || payload[1] !== 0) return;
          socket.write(frame(0x2, Y_SYNC_STEP2_EMPTY));
          return 'stop';
        });
        return true;
      default:
        return false;
    }
  }

  return {
    handleUpgrade,
    live: book.live,
    accepted: book.accepted,
    kill: book.kill,
    received: book.received,
    mqttClients: () => broker.connectedClients,
    yDoc: (room) => yDocs.get(room),
    async close() {
      book.kill();
      await graphqlServer.dispose();
      for (const wss of [graphqlWss, mqttWss, yjsWss, peerWss]) wss.close();
      await new Promise((resolve) => broker.close(() => resolve(undefined)));
    },
  };
}

// ---------------------------------------------------------------------------
// The HTTP server.

/**
 * @typedef {object} LibraryServer
 * @property {number} port
 * @property {string} origin `http://127.0.0.1:port`
 * @property {LibraryRouter} router
 * @property {(path: string, params?: Record<string, string | number>) => string} url a ws:// URL on this server
 * @property {() => Promise<void>} stop Drops every connection and closes the port.
 */

/**
 * Starts every route on one HTTP server on 127.0.0.1 and a free port. GET
 * serves `/libs.iife.js` (the libraries' bundle) and the files below `root`.
 * @param {{ root: string, bundle: string }} options
 * @returns {Promise<LibraryServer>}
 */
export async function startLibraryServer({ root, bundle }) {
  const router = await createLibraryRouter();
  const files = staticFiles(root, {});
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && pathname === '/libs.iife.js') {
      return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(bundle);
    }
    files(req, res);
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
    url(path, params = {}) {
      const u = new URL(`ws://127.0.0.1:${port}${path.startsWith('/') ? '' : '/'}${path}`);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
      return u.href;
    },
    async stop() {
      await router.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
