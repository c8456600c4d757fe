// @ts-check
/**
 * 7. Bundle size, minified and minified + gzip (level 9), of each client:
 *
 * - ESM, as an app bundles it: the client's import bundled with its
 *   dependencies into one minified ES module, by bench/size.js's
 *   bundleSize() (Vite/rolldown) for every client alike.
 * - IIFE, as a `<script>` tag loads it: the SDK's own
 *   dist/resilient-socket.iife.min.js (bench/size.js's measure()); the
 *   peers built here the way the SDK's iife-min build is (Vite lib mode,
 *   IIFE, oxc minifier, the same target as vite.config.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSize, measure, sizeOf } from '../size.js';
import { PEERS, bundle } from './bundles.js';
import { ROOT } from './env.js';

/** The build target of the SDK's own build, read from vite.config.ts, so the peers' IIFE match it. */
function sdkTarget() {
  try {
    return /target:\s*'(es\d+|esnext)'/.exec(readFileSync(join(ROOT, 'vite.config.ts'), 'utf8'))?.[1] ?? 'es2020';
  } catch {
    return 'es2020';
  }
}

export async function measureSizes() {
  const target = sdkTarget();
  const sdk = await measure();
  /** @type {Record<string, { esm: { min: number, gzip: number } | null, iife: { min: number, gzip: number } | null, note?: string }>} */
  const clients = {
    'resilient-socket': { esm: sdk.esm, iife: sdk.cdn },
    native: { esm: { min: 0, gzip: 0 }, iife: { min: 0, gzip: 0 }, note: 'built into the browser' },
  };
  for (const [name, peer] of Object.entries(PEERS)) {
    const esm = await bundleSize(`export { default } from '${peer.specifier}';\n`);
    const code = await bundle(`${name}-size`, `export { default } from '${peer.specifier}';\n`, { format: 'iife', minify: true, global: peer.global, target });
    clients[name] = { esm, iife: sizeOf(code) };
  }
  return {
    how: {
      esm: "one minified ES module of the client's import and its dependencies (bench/size.js bundleSize, Vite/rolldown, Vite's default app target)",
      iife: `SDK: dist/resilient-socket.iife.min.js; peers: Vite lib-mode IIFE, oxc minifier, ${target} (as the SDK's iife-min build)`,
      gzip: 'zlib level 9',
    },
    clients,
  };
}
