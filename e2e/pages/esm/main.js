// @ts-check
/**
 * A tiny app: imports the SDK by its package name, as an app installed from
 * npm does (Vite resolves it through package.json `exports`), makes one echo
 * round-trip, closes, and writes what happened into the page.
 */
import { ResilientSocket } from 'resilient-socket';

/** @param {string} status @param {unknown} result */
function report(status, result) {
  /** @type {HTMLElement} */ (document.getElementById('result')).textContent = JSON.stringify(result);
  /** @type {HTMLElement} */ (document.getElementById('status')).textContent = status;
}

/** @template T @param {(resolve: (value: T) => void) => void} start @param {string} what */
function within(start, what, ms = 5000) {
  return /** @type {Promise<T>} */ (
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      start((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    })
  );
}

async function run() {
  const url = new URLSearchParams(location.search).get('url');
  if (!url) throw new Error('this page needs ?url=ws://…');
  const socket = new ResilientSocket(url);
  /** @type {string[]} */
  const errors = [];
  socket.on('error', (e) => errors.push(`${e.name}: ${e.message}`));
  const open = await within((done) => socket.on('open', done), 'open');
  const echoed = within((done) => socket.on('message', (e) => done(e.data)), 'echo');
  socket.send('hello from an app bundle');
  const echo = await echoed;
  const close = await socket.close();
  return { open, echo, close, state: socket.state, errors, globals: Object.keys(window).filter((k) => /resilient|reconnecting|mitt/i.test(k)) };
}

run().then(
  (result) => report('done', result),
  (error) => report('failed', { error: String(error) }),
);
