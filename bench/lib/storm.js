// @ts-check
/**
 * 5. Reconnect storm, by simulation: N clients in a Node child process
 * (ws as their WebSocket, defaults otherwise) on one restartable echo
 * server. Once all are connected the server drops them all and closes its
 * port, and comes back after 500 ms. The server stamps every upgrade; the
 * figures are the arrivals per 100 ms window, the peak window as a share
 * of the clients, and the time until 99 % and 100 % are back. The child
 * also stamps every connection attempt (refused ones included), which
 * shows the storm as the clients aimed it, before the server's accept
 * rate smooths it.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, now, sleep, summarize, withTimeout } from './env.js';
import { startBenchRestartable } from './servers.js';

export const STORM_CLIENTS = ['resilient-socket', 'reconnecting-websocket'];
export const WINDOW_MS = 100;
export const DOWN_MS = 500;

/**
 * The kernel's count of connections dropped because a listen queue was
 * full, and of SYNs sent again (Linux; null elsewhere). A dropped SYN is
 * retried after 1 s, which shows in the histograms as a gap.
 * @returns {{ listenOverflows: number, synRetrans: number } | null}
 */
function tcpCounters() {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/).map(Number);
    const get = (/** @type {string} */ n) => values[names.indexOf(n)] ?? 0;
    return { listenOverflows: get('ListenOverflows'), synRetrans: get('TCPSynRetrans') };
  } catch {
    return null;
  }
}

/**
 * One storm.
 * @param {string} kind @param {number} count @param {number} limitMs @param {(s: string) => void} progress
 */
async function storm(kind, count, limitMs, progress) {
  const server = await startBenchRestartable();
  const child = fork(join(BENCH, 'lib/storm-clients.js'), [kind, String(count), server.url], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  /** @type {(type: string) => Promise<any>} */
  const message = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (/** @type {any} */ m) => m?.type === type && (child.off('message', onMessage), resolve(m));
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`storm clients exited (${code}) before "${type}"`)));
    });
  /** @type {any} */
  let result = null;
  let dropAt = 0;
  try {
    progress(`${kind}: connecting ${count} clients`);
    await withTimeout(message('connected'), 60_000, `${count} ${kind} clients connecting`);
    const live = server.router.live();
    server.startArrivals();
    const before = tcpCounters();
    dropAt = now();
    await server.down();
    await sleep(DOWN_MS);
    await server.up();
    const upAt = now();
    /** @type {Map<string, number>} first arrival per client after the drop */
    const back = new Map();
    let seen = 0;
    while (now() - upAt < limitMs) {
      for (; seen < server.arrivals.length; seen++) {
        const a = server.arrivals[seen];
        if (a.client !== null && !back.has(a.client)) back.set(a.client, a.at);
      }
      progress(`${kind}: ${back.size}/${count} back, ${((now() - upAt) / 1000).toFixed(1)} s after the server came back`);
      if (back.size >= count) break;
      await sleep(50);
    }
    server.stopArrivals();
    const after = tcpCounters();
    const attempts = server.arrivals.length;
    const times = [...back.values()].map((at) => at - dropAt).sort((a, b) => a - b);
    const bins = Math.ceil(Math.max(DOWN_MS + 100, (times.at(-1) ?? 0) + 1) / WINDOW_MS);
    const histogram = new Array(bins).fill(0);
    for (const t of times) histogram[Math.floor(t / WINDOW_MS)]++;
    const at = (/** @type {number} */ share) => (times.length >= Math.ceil(share * count) ? times[Math.ceil(share * count) - 1] : null);
    const t99 = at(0.99);
    const t100 = at(1);
    const upOffset = upAt - dropAt;
    const peak = Math.max(...histogram);
    result = {
      connectedBefore: live,
      reconnected: times.length,
      upgrades: attempts,
      upAtMs: upOffset,
      kernel: before && after ? { listenOverflows: after.listenOverflows - before.listenOverflows, synRetrans: after.synRetrans - before.synRetrans } : null,
      histogram,
      peakPerWindow: peak,
      peakShare: peak / count,
      t99FromDropMs: t99,
      t100FromDropMs: t100,
      t99FromUpMs: t99 === null ? null : t99 - upOffset,
      t100FromUpMs: t100 === null ? null : t100 - upOffset,
    };
  } finally {
    /** @type {number[] | null} */
    let attempts = null;
    if (child.connected) {
      const closed = message('closed');
      child.send({ type: 'close' });
      attempts = await withTimeout(closed, 10_000, 'storm clients closing').then((m) => m.attempts, () => null);
      await withTimeout(new Promise((resolve) => child.once('exit', resolve)), 10_000, 'storm clients exiting').catch(() => child.kill('SIGKILL'));
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server.stop();
    if (result && attempts) {
      // Client-side: every attempt after the drop, refused ones included, per window.
      const after = attempts.map((at) => at - dropAt).filter((t) => t >= 0);
      const histogram = new Array(result.histogram.length).fill(0);
      for (const t of after) if (t < histogram.length * WINDOW_MS) histogram[Math.floor(t / WINDOW_MS)]++;
      result.attempts = after.length;
      result.attemptHistogram = histogram;
      result.peakAttemptShare = Math.max(...histogram) / count;
    }
  }
  return result;
}

/**
 * @param {{ count: number, trials: number, limitMs: number, progress: (s: string) => void }} o
 */
export async function measureStorm({ count, trials, limitMs, progress }) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const kind of STORM_CLIENTS) {
    const runs = [];
    for (let t = 0; t < trials; t++) {
      progress(`${kind}: trial ${t + 1}/${trials}`);
      runs.push(await storm(kind, count, limitMs, (s) => progress(`trial ${t + 1}/${trials}, ${s}`)));
    }
    out[kind] = {
      peakShare: summarize(runs.map((r) => r.peakShare), 4),
      peakAttemptShare: summarize(runs.map((r) => r.peakAttemptShare), 4),
      attempts: summarize(runs.map((r) => r.attempts)),
      t99FromUpMs: summarize(runs.map((r) => r.t99FromUpMs)),
      t100FromUpMs: summarize(runs.map((r) => r.t100FromUpMs)),
      t99FromDropMs: summarize(runs.map((r) => r.t99FromDropMs)),
      t100FromDropMs: summarize(runs.map((r) => r.t100FromDropMs)),
      allBack: runs.every((r) => r.reconnected === count),
      runs,
    };
  }
  return { clients: count, windowMs: WINDOW_MS, downMs: DOWN_MS, limitMs, byClient: out };
}
