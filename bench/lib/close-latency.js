// @ts-check
/**
 * 1. Close-event latency per scenario, per client, with whether the code and
 * the clean flag the client reports tell the truth.
 *
 * - Client-initiated (never-reads, echo, slow-close): from just before
 *   close() to the client's close event, timed in the page.
 * - Server-initiated (reset, 1012): from the server's action (the first
 *   Close frame it writes, or the destroy of the TCP socket, stamped by
 *   servers.js) to the client's close event, across clocks corrected by
 *   the measured page–Node offset.
 *
 * Every client runs with its defaults. The clients that wait for the
 * browser against never-reads (native, reconnecting-websocket) need about
 * 60 s per trial: those trials run in parallel pages, started first and
 * collected at the end, so that the rest of the bench runs meanwhile.
 */
import { clockOffset, openBenchPage } from './browser.js';
import { CLIENTS, ratio, round, summarize, withTimeout } from './env.js';

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {'client' | 'server'} initiator
 * @property {string} path
 * @property {Record<string, string | number>} params
 * @property {{ code: number, wasClean: boolean }} truth what an honest client reports
 * @property {string} description
 */

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    name: 'never-reads',
    initiator: 'client',
    path: 'never-reads',
    params: {},
    truth: { code: 1006, wasClean: false },
    description: 'close() against a server that never reads: no Close echo ever comes',
  },
  {
    name: 'echo',
    initiator: 'client',
    path: 'echo',
    params: {},
    truth: { code: 1000, wasClean: true },
    description: 'close() against a server that echoes the Close frame at once',
  },
  {
    name: 'slow-close',
    initiator: 'client',
    path: 'slow-close',
    params: { delay: 300 },
    truth: { code: 1000, wasClean: true },
    description: 'close() against a server that echoes the Close frame after 300 ms',
  },
  {
    name: 'reset',
    initiator: 'server',
    path: 'reset',
    params: { after: 200, times: 1_000_000_000 },
    truth: { code: 1006, wasClean: false },
    description: 'the server drops the TCP connection without a Close frame, 200 ms after open',
  },
  {
    name: '1012',
    initiator: 'server',
    path: 'close-with-code',
    params: { code: 1012, after: 200, times: 1_000_000_000 },
    truth: { code: 1012, wasClean: true },
    description: 'the server closes with 1012 Service Restart, 200 ms after open',
  },
];

/** Clients whose close() waits for the browser's own ~60 s closing handshake timeout against never-reads. */
export const LONG_WAIT = ['native', 'reconnecting-websocket'];
/** Longest wait for a close event in a long trial. */
const LONG_LIMIT_MS = 90_000;
/** Longest wait for a close event in a short trial. */
const SHORT_LIMIT_MS = 5_000;

/**
 * In the page: open, close(1000), and time the close event.
 * @param {import('@playwright/test').Page} page @param {string} client @param {string} url @param {number} limitMs
 */
function clientInitiated(page, client, url, limitMs) {
  return page.evaluate(
    async ([client, url, limitMs]) => {
      const w = /** @type {any} */ (window);
      const c = w.makeClient(client, url);
      if (!(await w.nextEvent(c, 'open', 5000))) return { error: 'did not open' };
      const closed = w.nextEvent(c, 'close', limitMs);
      const t0 = w.wallNow();
      c.close(1000);
      const ev = await closed;
      if (!ev) return { error: `no close event within ${limitMs / 1000} s` };
      return { latencyMs: ev.at - t0, code: ev.code, wasClean: ev.wasClean, detail: ev.detail };
    },
    /** @type {const} */ ([client, url, limitMs]),
  );
}

/**
 * In the page: open and wait for the server to end the connection; then
 * close the client so that it does not reconnect.
 * @param {import('@playwright/test').Page} page @param {string} client @param {string} url @param {number} limitMs
 */
function serverInitiated(page, client, url, limitMs) {
  return page.evaluate(
    async ([client, url, limitMs]) => {
      const w = /** @type {any} */ (window);
      const c = w.makeClient(client, url);
      const closed = w.nextEvent(c, 'close', limitMs);
      const ev = await closed;
      try {
        c.close(1000);
      } catch {
        // Already closed.
      }
      if (!ev) return { error: `no close event within ${limitMs / 1000} s` };
      return { at: ev.at, code: ev.code, wasClean: ev.wasClean, detail: ev.detail };
    },
    /** @type {const} */ ([client, url, limitMs]),
  );
}

/**
 * @typedef {object} Trial
 * @property {number | null} latencyMs
 * @property {number | string | null} code
 * @property {boolean | null} wasClean
 * @property {boolean | null} truthful
 * @property {string | null} error
 * @property {object | null} [detail]
 * @property {string | null} [serverAction] server-initiated: what the server did (close-frame, destroy)
 * @property {number} [clockUncertaintyMs] server-initiated: half the round trip of the clock alignment
 */

/**
 * Starts the long never-reads trials of native and reconnecting-websocket
 * (or of `clients`), each in its own page, all at once. Returns a promise of their trials.
 * @param {{ context: import('@playwright/test').BrowserContext, server: any, trials: number, onDone?: () => void, clients?: readonly string[] }} o
 * @returns {Promise<Record<string, Trial[]>>}
 */
export async function startLongWaits({ context, server, trials, onDone, clients = LONG_WAIT }) {
  const truth = SCENARIOS[0].truth;
  const jobs = [];
  for (const client of clients) {
    for (let t = 0; t < trials; t++) {
      jobs.push(
        (async () => {
          const page = await openBenchPage(context, server.origin);
          try {
            const url = server.wsUrl('never-reads', { id: `long-${client}-${t}-${Math.random().toString(36).slice(2, 8)}` });
            const r = await withTimeout(clientInitiated(page, client, url, LONG_LIMIT_MS), LONG_LIMIT_MS + 15_000, `long wait ${client}`);
            onDone?.();
            return { client, trial: toTrial(r, truth) };
          } finally {
            await page.close();
          }
        })(),
      );
    }
  }
  const settled = await Promise.all(jobs);
  /** @type {Record<string, Trial[]>} */
  const out = {};
  for (const { client, trial } of settled) (out[client] ??= []).push(trial);
  return out;
}

/**
 * @param {any} r @param {{ code: number, wasClean: boolean }} truth @param {number | null} [latency]
 * @returns {Trial}
 */
function toTrial(r, truth, latency = r.latencyMs ?? null) {
  if (r.error) return { latencyMs: null, code: null, wasClean: null, truthful: null, error: r.error };
  return {
    latencyMs: latency === null ? null : round(latency, 3),
    code: r.code,
    wasClean: r.wasClean,
    truthful: r.code === truth.code && r.wasClean === truth.wasClean,
    error: null,
    detail: r.detail ?? null,
  };
}

/**
 * Runs the short trials: one page per client, the four (or `clients`) at
 * once; in each, trials × scenarios in turn. Native and
 * reconnecting-websocket skip never-reads here (see {@link startLongWaits}).
 * @param {{ context: import('@playwright/test').BrowserContext, server: any, trials: number, progress: (s: string) => void, clients?: readonly string[] }} o
 * @returns {Promise<Record<string, Record<string, Trial[]>>>} scenario → client → trials
 */
export async function runShortTrials({ context, server, trials, progress, clients = CLIENTS }) {
  /** @type {Record<string, Record<string, Trial[]>>} */
  const out = Object.fromEntries(SCENARIOS.map((s) => [s.name, {}]));
  let done = 0;
  // Ids are unique per run, so that runs in several browsers can share the server.
  const run = Math.random().toString(36).slice(2, 8);
  const total = clients.reduce((n, c) => n + trials * SCENARIOS.filter((s) => !(s.name === 'never-reads' && LONG_WAIT.includes(c))).length, 0);
  await Promise.all(
    clients.map(async (client) => {
      const page = await openBenchPage(context, server.origin);
      try {
        for (let t = 0; t < trials; t++) {
          for (const s of SCENARIOS) {
            if (s.name === 'never-reads' && LONG_WAIT.includes(client)) continue;
            const id = `${client}-${s.name}-${t}-${run}`;
            const url = server.wsUrl(s.path, { ...s.params, id });
            /** @type {Trial} */
            let trial;
            if (s.initiator === 'client') {
              trial = toTrial(await clientInitiated(page, client, url, SHORT_LIMIT_MS), s.truth);
            } else {
              const r = await serverInitiated(page, client, url, SHORT_LIMIT_MS);
              const action = server.actionOf(id);
              const clock = await clockOffset(page);
              const latency = r.error || !action ? null : r.at - clock.offsetMs - action.at;
              trial = toTrial(action ? r : { error: r.error ?? 'the server never acted' }, s.truth, latency);
              trial.serverAction = action?.what ?? null;
              trial.clockUncertaintyMs = round(clock.uncertaintyMs, 3);
            }
            (out[s.name][client] ??= []).push(trial);
            progress(`${++done}/${total} short trials`);
          }
        }
      } finally {
        await page.close();
      }
    }),
  );
  return out;
}

/**
 * Summarises trials: latency median/p95, what was reported, and how often it was true.
 * @param {Record<string, Record<string, Trial[]>>} short
 * @param {Record<string, Trial[]> | null} long null in --quick
 * @param {readonly string[]} [clientList] the clients measured
 */
export function summarizeCloseLatency(short, long, clientList = CLIENTS) {
  return SCENARIOS.map((s) => {
    /** @type {Record<string, any>} */
    const clients = {};
    for (const client of clientList) {
      const isLong = s.name === 'never-reads' && LONG_WAIT.includes(client);
      if (isLong && !long?.[client]) {
        clients[client] = { skipped: 'skipped in --quick (waits for the browser\'s own closing handshake timeout: 60 s in Chromium)', latencyMs: summarize([]), trials: [] };
        continue;
      }
      const trials = (isLong ? long?.[client] : short[s.name][client]) ?? [];
      const ok = trials.filter((t) => t.error === null);
      /** @type {Record<string, number>} */
      const reported = {};
      for (const t of ok) {
        const key = `${typeof t.code === 'string' ? JSON.stringify(t.code) : t.code}/${t.wasClean ? 'clean' : 'not clean'}`;
        reported[key] = (reported[key] ?? 0) + 1;
      }
      clients[client] = {
        latencyMs: summarize(ok.map((t) => t.latencyMs)),
        reported,
        truthful: ok.filter((t) => t.truthful).length,
        of: ok.length,
        errors: [...new Set(trials.filter((t) => t.error).map((t) => t.error))],
        trials,
      };
    }
    const nativeMedian = clients.native?.latencyMs?.median ?? null;
    for (const client of clientList) clients[client].ratioToNative = ratio(clients[client].latencyMs.median, nativeMedian);
    return { name: s.name, initiator: s.initiator, description: s.description, truth: s.truth, clients };
  });
}
