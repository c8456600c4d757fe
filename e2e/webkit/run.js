// @ts-check
/**
 * The WebKit run: the close, reconnect, heartbeat, offline-event and
 * bad-input specs, and WebKitGTK's own close behaviour, in MiniBrowser
 * against the built IIFE (the harness page loads dist/resilient-socket.iife.js).
 *
 * `npm run test:webkit` (after `npm run build`). One browser for the run,
 * a fresh page and a fresh scenario server on 127.0.0.1 per test. Prints one
 * line per test and writes test-results/webkit.json; exits 1 on a failure.
 * `WEBKIT_GREP=text` runs the tests whose title contains it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startScenarioServer } from '../servers/scenarios.js';
import { WebKitBrowser } from './webdriver.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../test-results/webkit.json', import.meta.url));
const TEST_TIMEOUT_MS = 60_000;

/**
 * @typedef {Awaited<ReturnType<typeof startScenarioServer>>} ScenarioServer
 * @typedef {{ browser: WebKitBrowser, server: ScenarioServer, note: (name: string, value: unknown) => void }} Context
 * @typedef {{ title: string, run: (context: Context) => Promise<void>, headers?: Record<string, string> }} Spec
 */

/** @type {Spec[]} */
const specs = [];
/** @param {string} title @param {Spec['run']} run @param {Record<string, string>} [headers] the scenario server's extra response headers */
const test = (title, run, headers) => specs.push({ title, run, headers });

/**
 * Waits in the page until `count` harness events of `type` have been recorded for socket 0, and returns them.
 * @param {WebKitBrowser} browser @param {string} type @param {number} [count] @param {number} [timeout]
 */
function waitForEvents(browser, type, count = 1, timeout = 10_000) {
  return browser.evaluate(
    async ([t, n, ms]) => {
      const deadline = performance.now() + ms;
      const of = () => /** @type {any} */ (window).eventsOf(t, 0);
      while (of().length < n) {
        if (performance.now() > deadline) throw new Error(`${n} × ${t} within ${ms} ms; got ${of().length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return of();
    },
    [type, count, timeout],
  );
}

/** Opens a native WebSocket and records its events with page times until `close`, or until `closeAfterOpen` asks to close it. */
const nativeRun = `(u, closeAfterOpen) => new Promise((resolve) => {
  const log = [];
  const t0 = performance.now();
  let closedAt = null;
  const ws = new WebSocket(u);
  ws.onopen = () => { log.push({ type: 'open', at: performance.now() - t0 }); if (closeAfterOpen) { closedAt = performance.now(); ws.close(); } };
  ws.onerror = () => log.push({ type: 'error', at: performance.now() - t0 });
  ws.onclose = (e) => { log.push({ type: 'close', at: performance.now() - t0, code: e.code, wasClean: e.wasClean }); resolve({ log, closeLatency: closedAt === null ? null : performance.now() - closedAt }); };
})`;

// ── close ──────────────────────────────────────────────────────────────

test('close() against an echoing server is clean 1000, as the native close', async ({ browser, server }) => {
  const result = await browser.evaluate(async (u) => {
    const w = /** @type {any} */ (window);
    // WebKitWebDriver's own timer for this script is pending in the page: only the SDK's count.
    const driverTimers = new Set(w.pendingTimers);
    w.make(u);
    await new Promise((r) => w.sockets[0].on('open', r));
    const info = await w.sockets[0].close(1000, 'done');
    const native = await new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => ws.close(1000, 'done');
      ws.onclose = (e) => resolve({ code: e.code, wasClean: e.wasClean, reason: e.reason });
    });
    return { info, native, state: w.sockets[0].state, timers: [...w.pendingTimers].filter((id) => !driverTimers.has(id)).length };
  }, server.url('echo'));
  assert.deepEqual(result.native, { code: 1000, wasClean: true, reason: 'done' });
  assert.equal(result.info.kind, 'clean');
  assert.equal(result.info.code, result.native.code);
  assert.equal(result.info.wasClean, true);
  assert.equal(result.state, 'closed');
  assert.equal(result.timers, 0);
});

test('close() against a server that never reads settles as a timeout within closeTimeout, and the late native close lands in the trace', async ({ browser, server, note }) => {
  const closeTimeout = 500;
  const info = await browser.evaluate(
    async ([u, ms]) => {
      const w = /** @type {any} */ (window);
      w.make(u, { closeTimeout: ms });
      await new Promise((r) => w.sockets[0].on('open', r));
      return w.sockets[0].close();
    },
    [server.url('never-reads'), closeTimeout],
  );
  assert.equal(info.kind, 'timeout');
  assert.equal(info.code, 1006);
  assert.equal(info.wasClean, false);
  assert.ok(info.latencyMs >= closeTimeout - 5 && info.latencyMs < closeTimeout + 1000, `latency ${info.latencyMs}`);
  const traces = await waitForEvents(browser, 'trace', 2, 30_000);
  const late = traces[1].data;
  note('SDK close latency against never-reads, ms', Math.round(info.latencyMs));
  note('native close after the SDK stopped waiting, ms from close()', Math.round(late.nativeLatencyMs));
  assert.equal(late.kind, 'timeout');
  assert.equal(late.nativeCode, 1006);
  assert.ok(late.nativeLatencyMs > late.latencyMs);
});

test('TracedWebSocket against never-reads: close fires within closeTimeout, 1006 not clean, where the native socket waits', async ({ browser, server, note }) => {
  const result = await browser.evaluate(
    async ([u, run]) => {
      const T = /** @type {any} */ (window).ResilientSocket.TracedWebSocket;
      const traced = await new Promise((resolve) => {
        const ws = new T(u, undefined, { closeTimeout: 500 });
        let at = 0;
        ws.onopen = () => {
          at = performance.now();
          ws.close();
        };
        ws.onclose = (/** @type {CloseEvent} */ e) => resolve({ code: e.code, wasClean: e.wasClean, ms: performance.now() - at, kind: ws.trace.kind });
      });
      const native = await (0, eval)(run)(u, true);
      return { traced, native };
    },
    [server.url('never-reads'), nativeRun],
  );
  note('native close() against never-reads, ms to its close event', Math.round(result.native.closeLatency));
  note('native event order against never-reads', result.native.log.map((/** @type {any} */ e) => e.type).join(' → '));
  assert.deepEqual({ code: result.traced.code, wasClean: result.traced.wasClean, kind: result.traced.kind }, { code: 1006, wasClean: false, kind: 'timeout' });
  assert.ok(result.traced.ms < 1500, `TracedWebSocket closed after ${result.traced.ms} ms`);
  assert.equal(result.native.log.at(-1).code, 1006);
  assert.ok(result.native.closeLatency > result.traced.ms, 'the native socket waits longer');
});

// ── reconnect ──────────────────────────────────────────────────────────

test('a reset connection is abnormal 1006 from the network, and the socket reconnects and works', async ({ browser, server }) => {
  await browser.evaluate((u) => /** @type {any} */ (window).make(u, { minReconnectDelay: 100, jitter: 'none' }), server.url('reset', { after: 100 }));
  const [close] = await waitForEvents(browser, 'close');
  assert.equal(close.data.kind, 'abnormal');
  assert.equal(close.data.code, 1006);
  assert.equal(close.data.cause, 'network');
  assert.equal(close.data.willReconnect, true);
  await waitForEvents(browser, 'open', 2);
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].send('after reset'));
  const messages = await waitForEvents(browser, 'message');
  assert.equal(messages[0].data.data, 'after reset');
  assert.equal(server.router.accepted('reset'), 2);
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].close());
});

test('a server restart (1012): WebKitGTK reports 1006 after an error; the trace shows the error, and the socket reconnects', async ({ browser, server, note }) => {
  await browser.evaluate((u) => /** @type {any} */ (window).make(u, { minReconnectDelay: 100, jitter: 'none' }), server.url('close-with-code', { code: 1012, after: 100 }));
  const [close] = await waitForEvents(browser, 'close');
  const [trace] = await waitForEvents(browser, 'trace');
  note('server 1012: the close the page saw', `${close.data.code} ${close.data.kind}, error ${trace.data.nativeErrorAt === null ? 'none' : `${Math.round(trace.data.closeAt - trace.data.nativeErrorAt)} ms before the close`}`);
  // What WebKitGTK does; on an engine that passes 1012 through this is a clean 1012.
  assert.equal(close.data.code, 1006);
  assert.equal(close.data.wasClean, false);
  assert.notEqual(trace.data.nativeErrorAt, null);
  assert.ok(trace.data.closeAt - trace.data.nativeErrorAt < 50, 'the error came right before the close');
  assert.equal(close.data.willReconnect, true);
  await waitForEvents(browser, 'open', 2);
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].close());
});

// ── heartbeat ──────────────────────────────────────────────────────────

test('the heartbeat detects a silent peer within interval + timeout and reconnects', async ({ browser, server, note }) => {
  const interval = 500;
  const timeout = 400;
  await browser.evaluate(
    ([u, i, t]) => /** @type {any} */ (window).make(u, { heartbeat: { interval: i, timeout: t }, minReconnectDelay: 100, jitter: 'none' }),
    [server.url('silent'), interval, timeout],
  );
  const [open] = await waitForEvents(browser, 'open');
  const [close] = await waitForEvents(browser, 'close');
  const detection = close.at - open.at;
  note('silent peer detected after, ms', Math.round(detection));
  assert.equal(close.data.cause, 'heartbeat');
  assert.equal(close.data.code, 1006);
  assert.ok(detection >= interval + timeout - 5 && detection < interval + timeout + 1000, `detected after ${detection} ms`);
  await waitForEvents(browser, 'open', 2);
  assert.equal(server.router.accepted('silent'), 2);
  const timers = await browser.evaluate(async () => {
    const w = /** @type {any} */ (window);
    // WebKitWebDriver's own timer for this script is pending in the page: only the SDK's count.
    const driverTimers = new Set(w.pendingTimers);
    await w.sockets[0].close();
    return [...w.pendingTimers].filter((id) => !driverTimers.has(id)).length;
  });
  assert.equal(timers, 0);
});

test('no false heartbeat death while pongs flow, and pongs are not emitted as messages', async ({ browser, server }) => {
  await browser.evaluate((u) => /** @type {any} */ (window).make(u, { heartbeat: { interval: 100, timeout: 1000 } }), server.url('heartbeat'));
  await waitForEvents(browser, 'open');
  const result = await browser.evaluate(async () => {
    const w = /** @type {any} */ (window);
    await new Promise((r) => setTimeout(r, 1500));
    return { closes: w.eventsOf('close').length, messages: w.eventsOf('message').length, state: w.sockets[0].state };
  });
  assert.deepEqual(result, { closes: 0, messages: 0, state: 'open' });
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].send('data'));
  const [message] = await waitForEvents(browser, 'message');
  assert.equal(message.data.data, 'data');
  assert.equal(server.router.accepted('heartbeat'), 1);
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].close());
});

// ── offline events ─────────────────────────────────────────────────────

test('offline closes at once and spends no retries; online reconnects at once', async ({ browser, server }) => {
  await browser.evaluate((u) => /** @type {any} */ (window).make(u, { minReconnectDelay: 5000 }), server.url('echo'));
  await waitForEvents(browser, 'open');
  await browser.evaluate(() => window.dispatchEvent(new Event('offline')));
  const [close] = await waitForEvents(browser, 'close');
  assert.equal(close.data.cause, 'offline');
  assert.equal(close.data.nextDelayMs, null);
  const state = await browser.evaluate(() => /** @type {any} */ (window).sockets[0].state);
  assert.equal(state, 'offline');
  const before = await browser.evaluate(() => performance.now());
  await browser.evaluate(() => window.dispatchEvent(new Event('online')));
  const opens = await waitForEvents(browser, 'open', 2);
  // At once, not after the 5 s backoff.
  assert.ok(opens[1].at - before < 2000, `reopened ${opens[1].at - before} ms after online`);
  assert.equal(opens[1].data.retries, 0);
  await browser.evaluate(() => /** @type {any} */ (window).sockets[0].close());
});

test(
  'back/forward cache: the page is restored; the SDK closed on pagehide and reconnects on pageshow',
  async ({ browser, server, note }) => {
    await browser.evaluate((u) => /** @type {any} */ (window).make(u), server.url('echo'));
    await waitForEvents(browser, 'open');
    await browser.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.marker = 'before';
      w.transitions = [];
      for (const type of ['pagehide', 'pageshow']) window.addEventListener(type, (e) => w.transitions.push(`${type} ${/** @type {PageTransitionEvent} */ (e).persisted}`));
    });
    await browser.navigate(`${server.origin}/e2e/pages/lifecycle-b.html`);
    const away = Date.now();
    while (server.router.live('echo') > 0 && Date.now() - away < 2000) await new Promise((r) => setTimeout(r, 10));
    note('server-side connections while on page B', server.router.live('echo'));
    assert.equal(server.router.live('echo'), 0);
    await browser.send('POST', '/back', {});
    const result = await browser.evaluate(async () => {
      const w = /** @type {any} */ (window);
      for (let i = 0; i < 500 && w.eventsOf('open').length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      return { marker: w.marker, transitions: w.transitions, close: w.eventsOf('close')[0]?.data, opens: w.eventsOf('open').length };
    });
    note('restored from the cache', result.marker === 'before');
    assert.equal(result.marker, 'before', 'the same document came back');
    assert.deepEqual(result.transitions, ['pagehide true', 'pageshow true']);
    assert.equal(result.close.cause, 'pagehide');
    assert.equal(result.opens, 2);
    assert.equal(server.router.accepted('echo'), 2);
    await browser.evaluate(() => /** @type {any} */ (window).sockets[0].close());
  },
  // `no-store` (the scenario server's default) keeps a page out of the cache.
  { 'cache-control': 'no-cache' },
);

// ── bad input ──────────────────────────────────────────────────────────

test('bad input throws what the native WebSocket throws, naming the value, hiding secrets', async ({ browser, server }) => {
  const result = await browser.evaluate((u) => {
    const T = /** @type {any} */ (window).ResilientSocket.TracedWebSocket;
    const R = /** @type {any} */ (window).ResilientSocket;
    /** @param {() => unknown} fn */
    const thrown = (fn) => {
      try {
        fn();
        return null;
      } catch (/** @type {any} */ e) {
        return { name: e.name, message: e.message, dom: e instanceof DOMException };
      }
    };
    const urls = ['ws://[::1/x?token=SECRET', 'ftp://127.0.0.1/x?token=SECRET', 'ws://127.0.0.1/x?token=SECRET#frag'];
    const byUrl = urls.map((bad) => ({ native: thrown(() => new WebSocket(bad)), traced: thrown(() => new T(bad)), resilient: thrown(() => new R(bad)) }));
    const open = new WebSocket(u);
    const traced = new T(u);
    const closes = [[1001], [2999], [5000], [1000, 'é'.repeat(62)]].map((args) => ({
      native: thrown(() => open.close(.../** @type {[number, string?]} */ (args))),
      traced: thrown(() => traced.close(.../** @type {[number, string?]} */ (args))),
    }));
    const options = thrown(() => new R(u, { closeTimeout: -1 }));
    open.close();
    traced.close();
    return { byUrl, closes, options };
  }, server.url('echo'));
  for (const { native, traced, resilient } of result.byUrl) {
    assert.equal(native?.name, 'SyntaxError');
    assert.equal(traced?.name, native.name);
    assert.equal(resilient?.name, native.name);
    assert.ok(!traced.message.includes('SECRET') && !resilient.message.includes('SECRET'), traced.message);
  }
  for (const { native, traced } of result.closes) {
    assert.ok(native, 'the native close threw');
    assert.deepEqual([traced?.name, traced?.dom], [native.name, native.dom]);
  }
  assert.equal(result.options?.name, 'RangeError');
  assert.match(result.options.message, /closeTimeout/);
});

// ── the engine's own behaviour, for the README's Browsers table ─────────

test('engine: how server close codes reach the page, and whether error fires first', async ({ browser, server, note }) => {
  /** @type {Record<string, string>} */
  const seen = {};
  for (const code of [1000, 1001, 1011, 1012, 1013, 1014, 4000]) {
    const result = await browser.evaluate(([u, run]) => (0, eval)(run)(u, false), [server.url('close-with-code', { code, after: 20, times: 100 }), nativeRun]);
    const close = result.log.at(-1);
    seen[code] = `${result.log.some((/** @type {any} */ e) => e.type === 'error') ? 'error, ' : ''}close ${close.code}${close.wasClean ? '' : ' (not clean)'}`;
  }
  note('server close code → what the page sees', seen);
  assert.equal(seen[1000], 'close 1000');
  assert.equal(seen[4000], 'close 4000');
  // WebKitGTK hides a server's 1012, 1013 and 1014 behind an error and a 1006.
  for (const code of [1012, 1013, 1014]) assert.equal(seen[code], 'error, close 1006 (not clean)');
});

test('engine: a refused upgrade, and how soon a new connection to the same host opens after it', async ({ browser, server, note }) => {
  const result = await browser.evaluate(
    async ([bad, good, run]) => {
      const refused = await (0, eval)(run)(bad, false);
      const delays = [];
      for (let i = 0; i < 3; i++) {
        await (0, eval)(run)(bad, false);
        const t0 = performance.now();
        const next = await (0, eval)(run)(good, true);
        delays.push(Math.round(next.log[0].at));
        void t0;
      }
      return { refused: refused.log.map((/** @type {any} */ e) => (e.code ? `${e.type} ${e.code}` : e.type)).join(' → '), delays };
    },
    [server.url('reject', { status: 503 }), server.url('echo'), nativeRun],
  );
  note('refused upgrade: native events', result.refused);
  note('open after a refused upgrade to the same host, ms', result.delays.join(', '));
  assert.equal(result.refused, 'error → close 1006');
});

// ── runner ─────────────────────────────────────────────────────────────

async function main() {
  const grep = process.env.WEBKIT_GREP ?? '';
  const selected = specs.filter((s) => s.title.includes(grep));
  const started = Date.now();
  /** @type {Array<{ title: string, status: 'passed' | 'failed', durationMs: number, error?: string, notes: Record<string, unknown> }>} */
  const results = [];
  const browser = await WebKitBrowser.launch();
  console.log(`WebKitGTK ${browser.version} (MiniBrowser over WebKitWebDriver): ${selected.length} tests`);
  try {
    for (const spec of selected) {
      const server = await startScenarioServer({ root: ROOT, headers: spec.headers });
      /** @type {Record<string, unknown>} */
      const notes = {};
      const t0 = Date.now();
      /** @type {string | undefined} */
      let error;
      try {
        await browser.navigate(`${server.origin}/e2e/pages/harness.html`);
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        let timer;
        await Promise.race([
          spec.run({ browser, server, note: (name, value) => (notes[name] = value) }),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS))),
        ]).finally(() => clearTimeout(timer));
      } catch (thrown) {
        error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
      } finally {
        // A blank page first: the harness's sockets go before the server does.
        await browser.navigate('about:blank').catch(() => {});
        await server.stop();
      }
      const durationMs = Date.now() - t0;
      results.push({ title: spec.title, status: error ? 'failed' : 'passed', durationMs, ...(error ? { error } : {}), notes });
      console.log(`${error ? '✘' : '✓'} ${spec.title} (${durationMs} ms)`);
      for (const [name, value] of Object.entries(notes)) console.log(`    ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      if (error) console.log(error.split('\n').map((line) => `    ${line}`).join('\n'));
    }
  } finally {
    await browser.close();
  }
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.length - passed;
  mkdirSync(fileURLToPath(new URL('.', `file://${RESULTS}`)), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({ engine: `WebKitGTK ${browser.version}`, passed, failed, durationMs: Date.now() - started, tests: results }, null, 2)}\n`);
  console.log(`webkit: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
