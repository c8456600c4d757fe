// @ts-check
/**
 * `npm run bench [-- --quick]`: resilient-socket side by side with the
 * native WebSocket, reconnecting-websocket and partysocket, in one run, in
 * real Chromium (and in Node for the storm), and the SDK beside the native
 * socket in Chromium and Firefox (table 8), and the React and Vue bindings
 * beside react-use-websocket and VueUse against a half-open peer (table 9).
 *
 * Full run: bench/results/latest.json, latest.md, close-latency.svg and
 * storm.svg. `--quick` (the CI smoke run, under two minutes) uses fewer trials
 * and cycles, skips the 60 s native waits and writes quick.json and
 * quick.md only, so it never overwrites the full results.
 *
 * The progress line goes to stderr, the report to stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { launch } from './lib/browser.js';
import { PEERS, SDK_VERSION, buildPageBundles, ensureSdkBuild } from './lib/bundles.js';
import { LONG_WAIT, runShortTrials, startLongWaits, summarizeCloseLatency } from './lib/close-latency.js';
import { measureDetection } from './lib/detection.js';
import { measureEngines } from './lib/engines.js';
import { measureHooks } from './lib/hooks.js';
import { RESULTS, ROOT, round } from './lib/env.js';
import { begin, done, elapsedSeconds, progress } from './lib/progress.js';
import { measureRecovery } from './lib/recovery.js';
import { startBenchServer } from './lib/servers.js';
import { measureSizes } from './lib/sizes.js';
import { measureSoak } from './lib/soak.js';
import { measureStorm } from './lib/storm.js';
import { measureThroughput } from './lib/throughput.js';
import { closeLatencySvg, markdownReport, stormSvg, textReport } from './report.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--quick');
if (unknown.length) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: npm run bench [-- --quick]`);
  process.exit(2);
}
const quick = args.includes('--quick');

/** Trials, cycles and windows of each mode. */
const SETTINGS = quick
  ? {
      closeTrials: 3,
      longTrials: 0,
      detectionSockets: 2,
      detectionWindowMs: 5_000,
      recoveryTrials: 3,
      recoveryParallel: 3,
      recoveryLimitMs: 12_000,
      throughputTrials: 2,
      throughputDurationMs: 100,
      pushCount: { 64: 600, 16384: 200 },
      stormClients: 300,
      stormTrials: 1,
      stormLimitMs: 15_000,
      soakCycles: 500,
      soakReconnects: 100,
      // Past 32 abandoned sockets the SDK slows its attempts: 40 cycles show it (about 12 s).
      soakNeverReads: 40,
      soakNeverReadsLimitMs: 25_000,
      engineTrials: 2,
      engineLongTrials: 1,
      engineWindowMs: 3_000,
      hookTrials: 1,
      hookLimitMs: 8_000,
    }
  : {
      closeTrials: 15,
      longTrials: 5,
      detectionSockets: 5,
      detectionWindowMs: 25_000,
      recoveryTrials: 10,
      recoveryParallel: 5,
      recoveryLimitMs: 15_000,
      throughputTrials: 8,
      throughputDurationMs: 200,
      pushCount: { 64: 2_000, 16384: 800 },
      stormClients: 1_000,
      stormTrials: 3,
      stormLimitMs: 30_000,
      soakCycles: 10_000,
      soakReconnects: 1_000,
      // Enough to exhaust Chromium's pool (about 255) if nothing slowed down; the limit stops the phase.
      soakNeverReads: 300,
      soakNeverReadsLimitMs: 120_000,
      engineTrials: 5,
      engineLongTrials: 3,
      engineWindowMs: 10_000,
      hookTrials: 3,
      hookLimitMs: 90_000,
    };

function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted src/ changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const load = () => loadavg().map((x) => round(x, 2));

async function main() {
  const startedAt = new Date();
  const loadStart = load();
  begin(`setup (${quick ? '--quick' : 'full run'})`);
  progress('checking the SDK build');
  if (ensureSdkBuild()) progress('built the SDK with npm run build');
  progress('building the peers\' browser bundles with Vite');
  await buildPageBundles();
  progress('measuring bundle sizes');
  // Sizes first: they read dist/, which the bench otherwise only copies at the start.
  const sizes = await measureSizes();
  const server = await startBenchServer(ROOT);
  const browser = await launch();
  const context = await browser.newContext();
  /** @type {Record<string, any>} */
  const results = {};
  let longDone = 0;
  const longTotal = SETTINGS.longTrials * LONG_WAIT.length;
  try {
    // 1a. The 60 s waits start first and run in the background while the rest is measured.
    /** @type {Promise<any> | null} */
    let longWaits = null;
    if (!quick) {
      begin(`1. close latency: ${longTotal} never-reads trials of ${LONG_WAIT.join(' and ')} wait ~60 s each, in parallel pages, in the background`);
      longWaits = startLongWaits({ context, server, trials: SETTINGS.longTrials, onDone: () => longDone++ });
      longWaits.catch(() => {});
    }
    const bg = () => (longWaits && longDone < longTotal ? ` [background: ${longDone}/${longTotal} 60 s waits done]` : '');

    begin('1. close latency: short trials');
    const short = await runShortTrials({ context, server, trials: SETTINGS.closeTrials, progress: (s) => progress(s + bg()) });

    begin('2. dead-peer detection against /silent');
    results.detection = await measureDetection({
      context,
      server,
      quick,
      trials: SETTINGS.detectionSockets,
      windowMs: SETTINGS.detectionWindowMs,
      progress: (s) => progress(s + bg()),
    });

    begin('3. recovery after a 500 ms restart');
    results.recovery = await measureRecovery({
      context,
      origin: server.origin,
      trials: SETTINGS.recoveryTrials,
      parallel: SETTINGS.recoveryParallel,
      limitMs: SETTINGS.recoveryLimitMs,
      progress: (s) => progress(s + bg()),
    });

    begin('4. throughput');
    results.throughput = await measureThroughput({
      context,
      server,
      trials: SETTINGS.throughputTrials,
      durationMs: SETTINGS.throughputDurationMs,
      pushCount: SETTINGS.pushCount,
      progress: (s) => progress(s + bg()),
    });

    begin(`5. reconnect storm (${SETTINGS.stormClients} Node clients)`);
    results.storm = await measureStorm({ count: SETTINGS.stormClients, trials: SETTINGS.stormTrials, limitMs: SETTINGS.stormLimitMs, progress: (s) => progress(s + bg()) });

    begin(`6. soak (${SETTINGS.soakCycles} connect/close, ${SETTINGS.soakReconnects} reconnect, ${SETTINGS.soakNeverReads} never-reads cycles)`);
    results.soak = await measureSoak({
      context,
      origin: server.origin,
      cycles: SETTINGS.soakCycles,
      reconnects: SETTINGS.soakReconnects,
      neverReads: SETTINGS.soakNeverReads,
      neverReadsLimitMs: SETTINGS.soakNeverReadsLimitMs,
      progress: (s) => progress(s + bg()),
    });

    begin('9. UI hooks against a half-open peer');
    results.hooks = await measureHooks({ context, server, trials: SETTINGS.hookTrials, limitMs: SETTINGS.hookLimitMs, progress: (s) => progress(s + bg()) });

    begin('8. engines: the SDK and the native socket in Chromium and Firefox');
    results.engines = await measureEngines({
      server,
      quick,
      trials: SETTINGS.engineTrials,
      longTrials: SETTINGS.engineLongTrials,
      windowMs: SETTINGS.engineWindowMs,
      progress: (s) => progress(s + bg()),
    });

    let long = null;
    if (longWaits) {
      begin('1. close latency: waiting for the last 60 s waits');
      const ticker = setInterval(() => progress(`${longDone}/${longTotal} done`), 1000);
      try {
        long = await longWaits;
      } finally {
        clearInterval(ticker);
      }
    }
    results.closeLatency = summarizeCloseLatency(short, long);
    results.sizes = sizes;
  } finally {
    await context.close().catch(() => {});
    const chromium = browser.version();
    await browser.close();
    await server.stop();
    results.meta = {
      mode: quick ? 'quick' : 'full',
      date: startedAt.toISOString(),
      durationSeconds: 0,
      node: process.version,
      chromium,
      os: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      loadAverage: { start: loadStart, end: load() },
      git: gitDescribe(),
      versions: { 'resilient-socket': SDK_VERSION, ...Object.fromEntries(Object.entries(PEERS).map(([n, p]) => [n, p.version])) },
      settings: SETTINGS,
    };
  }
  results.meta.durationSeconds = elapsedSeconds();
  done();

  const ordered = {
    meta: results.meta,
    closeLatency: results.closeLatency,
    detection: results.detection,
    recovery: results.recovery,
    throughput: results.throughput,
    storm: results.storm,
    soak: results.soak,
    engines: results.engines,
    hooks: results.hooks,
    sizes: results.sizes,
  };
  mkdirSync(RESULTS, { recursive: true });
  const stem = quick ? 'quick' : 'latest';
  writeFileSync(join(RESULTS, `${stem}.json`), JSON.stringify(ordered, null, 2) + '\n');
  writeFileSync(join(RESULTS, `${stem}.md`), markdownReport(ordered, { svg: !quick }));
  const written = [`${stem}.json`, `${stem}.md`];
  if (!quick) {
    writeFileSync(join(RESULTS, 'close-latency.svg'), closeLatencySvg(ordered) + '\n');
    writeFileSync(join(RESULTS, 'storm.svg'), stormSvg(ordered) + '\n');
    written.push('close-latency.svg', 'storm.svg');
  }
  console.log(textReport(ordered));
  console.log(`Wrote ${written.map((f) => `bench/results/${f}`).join(', ')}`);
}

main().catch((error) => {
  done();
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
