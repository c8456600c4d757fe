// @ts-check
/**
 * The page logic of cdn-csp.html, in its own same-origin file because the
 * CSP blocks inline scripts. It records every CSP violation with the phase
 * it happened in, drives one echo round-trip and a clean close through the
 * global `ResilientSocket`, then probes that the CSP is really enforced by
 * trying `new Function` once, on purpose. Results go into #result as JSON.
 */
(() => {
  /** @type {'load' | 'run' | 'probe'} */
  let phase = 'load';
  /** @type {Array<{ phase: string, directive: string, blocked: string, sample: string }>} */
  const violations = [];
  /** @type {(() => void) | null} */
  let probeSeen = null;
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ phase, directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
    if (phase === 'probe') probeSeen?.();
  });

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
    phase = 'run';
    const url = new URLSearchParams(location.search).get('url');
    if (!url) throw new Error('cdn-csp.html needs ?url=ws://…');
    const RS = /** @type {any} */ (window).ResilientSocket;
    const globals = Object.keys(window).filter((k) => /resilient|reconnecting|mitt/i.test(k));
    const socket = new RS(url, { closeTimeout: 1000 });
    /** @type {string[]} */
    const errors = [];
    socket.on('error', (/** @type {Error} */ e) => errors.push(`${e.name}: ${e.message}`));
    const open = await within((done) => socket.on('open', done), 'open');
    const echoed = within((done) => socket.on('message', (/** @type {MessageEvent} */ e) => done(e.data)), 'echo');
    socket.send('hello under CSP');
    const echo = await echoed;
    const close = await socket.close(1000, 'done');

    // The probe: one deliberate string-to-code call, which the CSP must refuse.
    phase = 'probe';
    const seen = within((done) => (probeSeen = () => done(undefined)), 'violation event for the probe', 2000);
    let probe;
    try {
      new Function('return 1');
      probe = 'allowed';
    } catch (error) {
      probe = /** @type {Error} */ (error).name;
    }
    await seen;
    return { globals, open, echo, close, state: socket.state, errors, probe, violations };
  }

  document.addEventListener('DOMContentLoaded', () => {
    run().then(
      (result) => report('done', result),
      (error) => report('failed', { error: String(error), violations }),
    );
  });
})();
