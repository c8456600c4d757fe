// @ts-check
/**
 * Child process of the storm (storm.js): N clients of one kind in Node,
 * with `ws` as their WebSocket and every other option at its default.
 *
 *   node bench/lib/storm-clients.js <resilient-socket|reconnecting-websocket> <count> <ws-url>
 *
 * Talks to its parent over IPC: sends {type:'connected'} once every client
 * has opened; on {type:'close'} closes them all, sends {type:'closed', attempts} (the time of every
 * connection attempt) and exits. It exits by itself if the parent goes away.
 */
import WebSocket from 'ws';

const [kind, countText, url] = process.argv.slice(2);
const count = Number(countText);
if (!process.send) throw new Error('storm-clients.js runs as a child process with IPC');

/** Every connection attempt (constructor call), on the same clock as the server's stamps. */
/** @type {number[]} */
const attempts = [];
class CountingWebSocket extends WebSocket {
  /** @param {string} address @param {string | string[]} [protocols] */
  constructor(address, protocols) {
    attempts.push(performance.timeOrigin + performance.now());
    super(address, protocols);
  }
}

/** @type {{ close(): void }[]} */
const clients = [];
let opened = 0;
const onFirstOpen = () => {
  if (++opened === count) process.send?.({ type: 'connected' });
};

if (kind === 'resilient-socket') {
  // The copy of the ESM build (dist/resilient-socket.js and dist/lib/) that bundles.js made at the start of the run.
  const sdkModule = '../.tmp/sdk-esm/resilient-socket.js';
  const { ResilientSocket } = /** @type {any} */ (await import(sdkModule));
  for (let i = 0; i < count; i++) {
    const socket = new ResilientSocket(`${url}?c=${i}`, { WebSocket: /** @type {any} */ (CountingWebSocket) });
    let first = true;
    socket.on('open', () => first && ((first = false), onFirstOpen()));
    socket.on('error', () => {});
    clients.push({ close: () => void socket.close() });
  }
} else if (kind === 'reconnecting-websocket') {
  // Its CJS build exports the class as module.exports, which Node hands over as the default export.
  const { default: ReconnectingWebSocket } = /** @type {any} */ (await import('reconnecting-websocket'));
  for (let i = 0; i < count; i++) {
    const socket = new ReconnectingWebSocket(`${url}?c=${i}`, [], { WebSocket: CountingWebSocket });
    let first = true;
    socket.addEventListener('open', () => first && ((first = false), onFirstOpen()));
    socket.addEventListener('error', () => {});
    clients.push({ close: () => socket.close() });
  }
} else {
  throw new Error(`storm-clients.js: unknown kind ${kind}`);
}

process.on('message', (/** @type {any} */ msg) => {
  if (msg?.type !== 'close') return;
  for (const c of clients) c.close();
  process.send?.({ type: 'closed', attempts }, () => setTimeout(() => process.exit(0), 200));
});
process.on('disconnect', () => process.exit(0));
