// @ts-check
/**
 * Browser bundles for test pages, built in memory with Vite's programmatic
 * build() from an entry given as source: one IIFE that defines a global.
 * Bare imports resolve from the repository's node_modules, as an app's
 * build resolves them.
 */
import { build } from 'vite';

/**
 * @param {{ root: string, entry: string, name: string, id: string }} options
 *   `entry` the entry module's source, `name` the global it defines, `id` a unique module id for the entry.
 * @returns {Promise<string>} the IIFE's code
 */
export async function browserBundle({ root, entry, name, id }) {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    publicDir: false,
    // Library mode leaves process.env alone; the browser has none.
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'e2e-entry',
        enforce: 'pre',
        resolveId: (source) => (source.endsWith(id) ? '\0' + id : null),
        load: (module) => (module === '\0' + id ? entry : null),
      },
    ],
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      reportCompressedSize: false,
      lib: { entry: id, name, formats: ['iife'], fileName: () => `${name}.iife.js` },
    },
  });
  for (const out of Array.isArray(result) ? result : [result]) {
    const chunk = /** @type {any} */ (out).output?.find((/** @type {any} */ o) => o.type === 'chunk');
    if (chunk) return /** @type {string} */ (chunk.code);
  }
  throw new Error(`Vite produced no chunk for the ${name} bundle`);
}
