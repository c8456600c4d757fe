// @ts-check
/**
 * Browser bundles of the clients. The SDK's comes from its own build
 * (dist/, `npm run build` when missing), copied into bench/.tmp so that a
 * rebuild during the run cannot pull it away; the peers' are built here as
 * IIFE files with Vite's programmatic build(), the way the SDK's IIFE is.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';
import { ROOT, TMP } from './env.js';

const require = createRequire(import.meta.url);

/** The peers, their import, and the global their IIFE defines. */
export const PEERS = {
  'reconnecting-websocket': { specifier: 'reconnecting-websocket', global: 'ReconnectingWebSocket', version: pkgVersion('reconnecting-websocket') },
  partysocket: { specifier: 'partysocket/ws', global: 'PartySocketWS', version: pkgVersion('partysocket') },
};

/** @param {string} name */
function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

export const SDK_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/**
 * Bundles `code` (an entry module's source) with Vite and returns the output.
 * @param {string} name file stem, also used for the entry file in bench/.tmp
 * @param {string} code
 * @param {{ format: 'iife' | 'es', minify: boolean, global?: string, write?: boolean, target?: string }} how
 * @returns {Promise<string>} the bundled code
 */
export async function bundle(name, code, how) {
  mkdirSync(TMP, { recursive: true });
  const entry = join(TMP, `entry-${name}.js`);
  writeFileSync(entry, code);
  const fileName = `${name}.${how.format === 'iife' ? 'iife' : 'esm'}${how.minify ? '.min' : ''}.js`;
  const result = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    publicDir: false,
    resolve: { alias: { 'resilient-socket': join(ROOT, 'dist/resilient-socket.js') } },
    build: {
      outDir: TMP,
      emptyOutDir: false,
      target: how.target ?? 'es2020',
      minify: how.minify ? 'oxc' : false,
      sourcemap: false,
      write: how.write ?? false,
      reportCompressedSize: false,
      lib: {
        entry,
        name: how.global ?? name,
        formats: [how.format],
        fileName: () => fileName,
      },
      rolldownOptions: { output: { exports: how.format === 'iife' ? 'default' : 'auto' } },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const out of outputs) {
    const chunk = /** @type {any} */ (out).output?.find((/** @type {any} */ o) => o.type === 'chunk');
    if (chunk) return chunk.code;
  }
  throw new Error(`Vite produced no chunk for ${name}`);
}

/** Makes sure dist/ has the SDK's build (runs `npm run build` when it does not). */
export function ensureSdkBuild() {
  const files = ['resilient-socket.iife.js', 'resilient-socket.iife.min.js', 'resilient-socket.js'];
  if (files.every((f) => existsSync(join(ROOT, 'dist', f)))) return false;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

/**
 * Writes the bundles to bench/.tmp: sdk.iife.js and sdk-esm/ (copied
 * from dist/; the ESM one for the Node storm), reconnecting-websocket.iife.js
 * and partysocket.iife.js (built).
 */
export async function buildPageBundles() {
  mkdirSync(TMP, { recursive: true });
  copyFileSync(join(ROOT, 'dist/resilient-socket.iife.js'), join(TMP, 'sdk.iife.js'));
  // The ESM build is an entry and one module per source file (dist/lib/): copy them together.
  rmSync(join(TMP, 'sdk-esm'), { recursive: true, force: true });
  mkdirSync(join(TMP, 'sdk-esm'), { recursive: true });
  copyFileSync(join(ROOT, 'dist/resilient-socket.js'), join(TMP, 'sdk-esm/resilient-socket.js'));
  cpSync(join(ROOT, 'dist/lib'), join(TMP, 'sdk-esm/lib'), { recursive: true });
  for (const [name, peer] of Object.entries(PEERS)) {
    require.resolve(peer.specifier, { paths: [ROOT] });
    await bundle(name, `export { default } from '${peer.specifier}';\n`, { format: 'iife', minify: false, global: peer.global, write: true });
  }
}
