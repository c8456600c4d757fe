// @ts-check
/**
 * Bundle size, with a budget that fails when exceeded (nanoevents' size limit).
 *
 * Three figures, each minified and minified + gzip (zlib level 9):
 *
 * - `esm`: what an app ships for `import { ResilientSocket } from 'resilient-socket'`:
 *   dist/resilient-socket.js bundled with reconnecting-websocket and mitt into
 *   one minified ES module by Vite (rolldown).
 * - `cdn`: dist/resilient-socket.iife.min.js, as a `<script>` tag loads it.
 * - `traced`: what an app ships for `import { TracedWebSocket } from 'resilient-socket'`
 *   alone: neither reconnecting-websocket nor mitt may be in it.
 * - `react`: what an app ships for `import { useResilientSocket } from
 *   'resilient-socket/react'`: the hook with the core it uses, React itself
 *   left out (the app has it). The hook's own cost is this minus `esm`.
 * - `vue`: the same for `import { useResilientSocket } from 'resilient-socket/vue'`.
 *
 * `node bench/size.js` prints a table and exits 1 when a budget is exceeded.
 * `measure()` and `bundleSize()` are exported for the benchmark, which also
 * measures the peers the same way.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/**
 * Budgets in bytes: the sizes measured when they were set, plus about 2 %.
 * The core grew by the engine observations in every trace, stable
 * snapshots, the idle state and nativeSocket, each trace's id and traffic
 * counts, the unload trace and stats.closesByDiagnosis, and the Firefox
 * unload rule (to 47,862 / 14,419 B). It then shrank when every class moved
 * its state into # fields, whose names minifiers shorten (43,787 / 13,777 B).
 * Raise one only with a reason in the commit that does it.
 */
export const BUDGETS = {
  esm: { min: 44_700, gzip: 14_050 },
  // The IIFE compiles reconnecting-websocket from its TypeScript source, to our target (41,041 / 13,213 B).
  cdn: { min: 41_900, gzip: 13_480 },
  // TracedWebSocket alone, as an app that imports nothing else bundles it: 16,210 / 5,965 B with its
  // endForUnload(), then 14,531 / 5,654 B with # fields and without the whole DEFAULTS object.
  traced: { min: 14_850, gzip: 5_780 },
  // The React hook with the core (the hook adds about 2,650 / 1,000 B to the core; 46,439 / 14,767 B).
  react: { min: 47_400, gzip: 15_070 },
  // The Vue composable with the core (it adds about 1,700 / 660 B to the core; 45,496 / 14,433 B).
  vue: { min: 46_400, gzip: 14_730 },
  // The reporting entries, each alone: diagnose() with its words, the URL redaction and the entry itself,
  // none of the core (measured 7,773 / 3,263; 6,845 / 2,856; 8,434 / 3,396; 6,856 / 2,855 B; set at +5 %).
  // The beacon then grew by ending the sockets it watches on an unload (8,334 / 3,488 B).
  beacon: { min: 8_750, gzip: 3_660 },
  sentry: { min: 7_200, gzip: 3_000 },
  opentelemetry: { min: 8_900, gzip: 3_570 },
  datadog: { min: 7_200, gzip: 3_000 },
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ESM_FILE = fileURLToPath(new URL('../dist/resilient-socket.js', import.meta.url));
const CDN_FILE = fileURLToPath(new URL('../dist/resilient-socket.iife.min.js', import.meta.url));
const REACT_FILE = fileURLToPath(new URL('../dist/react.js', import.meta.url));
const VUE_FILE = fileURLToPath(new URL('../dist/vue.js', import.meta.url));
/** The reporting entries: each must stay small and pull in none of the core. */
const REPORTERS = /** @type {const} */ ({ beacon: 'traceBeacon', sentry: 'sentryBreadcrumbs', opentelemetry: 'openTelemetrySpans', datadog: 'datadogVitals' });
const reporterFile = (/** @type {string} */ name) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
const ENTRY = 'virtual:size-entry';

/** @typedef {{ min: number, gzip: number }} Size bytes, minified and minified + gzip */
/** @typedef {{ esm: Size, cdn: Size, traced: Size, react: Size, vue: Size, beacon: Size, sentry: Size, opentelemetry: Size, datadog: Size }} Sizes */

/**
 * Sizes of code that is already minified.
 * @param {string | Uint8Array} code
 * @returns {Size}
 */
export function sizeOf(code) {
  const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
  return { min: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

/**
 * Bundles an entry module, given as source, with everything it imports into
 * one minified ES module, and returns its sizes. Bare specifiers resolve from
 * the project root (node_modules), with the browser conditions an app build uses.
 *
 * @example bundleSize(`export { default } from 'partysocket'`)
 * @param {string} entryCode
 * @param {string[]} [external] modules left out, as an app already has them
 * @returns {Promise<Size>}
 */
export async function bundleSize(entryCode, external = []) {
  const result = await build({
    configFile: false,
    envDir: false,
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    plugins: [
      {
        name: 'size-entry',
        // Lib mode resolves the entry against the root first, hence endsWith.
        resolveId: (id) => (id === ENTRY || id.endsWith(`/${ENTRY}`) ? `\0${ENTRY}` : null),
        load: (id) => (id === `\0${ENTRY}` ? entryCode : null),
      },
    ],
    build: {
      write: false,
      minify: true,
      // No target: Vite's default for apps (baseline-widely-available browsers).
      reportCompressedSize: false,
      lib: { entry: ENTRY, formats: ['es'], fileName: 'entry' },
      // Lib-mode ES output keeps its whitespace for the app's own bundler;
      // an app's final bundle has none, so minify it fully, as an app build does.
      rolldownOptions: { external, output: { minify: true } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunks = outputs.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`Expected one chunk, got ${chunks.map((c) => c.fileName).join(', ') || 'none'}`);
  return sizeOf(/** @type {{ code: string }} */ (chunks[0]).code);
}

/**
 * Measures the built bundles (run `npm run build` first).
 * @returns {Promise<Sizes>}
 */
export async function measure() {
  for (const file of [ESM_FILE, CDN_FILE, REACT_FILE, VUE_FILE, ...Object.keys(REPORTERS).map(reporterFile)]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  return {
    esm: await bundleSize(`export { ResilientSocket } from ${JSON.stringify(ESM_FILE)};`),
    cdn: sizeOf(await readFile(CDN_FILE)),
    traced: await bundleSize(`export { TracedWebSocket } from ${JSON.stringify(ESM_FILE)};`),
    react: await bundleSize(`export { useResilientSocket } from ${JSON.stringify(REACT_FILE)};`, ['react']),
    vue: await bundleSize(`export { useResilientSocket } from ${JSON.stringify(VUE_FILE)};`, ['vue']),
    beacon: await bundleSize(`export { ${REPORTERS.beacon} } from ${JSON.stringify(reporterFile('beacon'))};`),
    sentry: await bundleSize(`export { ${REPORTERS.sentry} } from ${JSON.stringify(reporterFile('sentry'))};`),
    opentelemetry: await bundleSize(`export { ${REPORTERS.opentelemetry} } from ${JSON.stringify(reporterFile('opentelemetry'))};`),
    datadog: await bundleSize(`export { ${REPORTERS.datadog} } from ${JSON.stringify(reporterFile('datadog'))};`),
  };
}

const LABELS = {
  esm: 'ESM: import { ResilientSocket } + deps, bundled',
  cdn: 'CDN: dist/resilient-socket.iife.min.js',
  traced: 'ESM: import { TracedWebSocket } alone, bundled',
  react: 'ESM: resilient-socket/react + core, react left out',
  vue: 'ESM: resilient-socket/vue + core, vue left out',
  beacon: 'ESM: resilient-socket/beacon alone',
  sentry: 'ESM: resilient-socket/sentry alone',
  opentelemetry: 'ESM: resilient-socket/opentelemetry alone',
  datadog: 'ESM: resilient-socket/datadog alone',
};

/** @param {number} n */
const bytes = (n) => `${n.toLocaleString('en-US')} B`;

/**
 * The figures over their budgets, as sentences; empty when all fit.
 * @param {Sizes} sizes
 * @returns {string[]}
 */
export function overBudget(sizes) {
  const over = [];
  for (const name of /** @type {const} */ (['esm', 'cdn', 'traced', 'react', 'vue', 'beacon', 'sentry', 'opentelemetry', 'datadog'])) {
    for (const kind of /** @type {const} */ (['min', 'gzip'])) {
      const size = sizes[name][kind];
      const budget = BUDGETS[name][kind];
      if (size > budget) {
        over.push(`${LABELS[name]}: ${kind} is ${bytes(size)}, over its budget of ${bytes(budget)} by ${bytes(size - budget)}`);
      }
    }
  }
  return over;
}

async function main() {
  const sizes = await measure();
  const rows = [
    ['bundle', 'min', 'budget', 'min+gzip', 'budget'],
    ...(/** @type {const} */ (['esm', 'cdn', 'traced', 'react', 'vue', 'beacon', 'sentry', 'opentelemetry', 'datadog'])).map((name) => [
      LABELS[name],
      bytes(sizes[name].min),
      bytes(BUDGETS[name].min),
      bytes(sizes[name].gzip),
      bytes(BUDGETS[name].gzip),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  const over = overBudget(sizes);
  if (over.length > 0) {
    console.error(`\nBundle size over budget:\n${over.map((line) => `  - ${line}`).join('\n')}`);
    console.error('Make it smaller, or raise BUDGETS in bench/size.js and say why in the commit.');
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
