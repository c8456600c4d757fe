/**
 * One config for the library build and the demo server.
 *
 * - `vite build --mode esm`: dist/resilient-socket.js, ESM for bundlers,
 *   re-exporting one module per source file (dist/lib/); reconnecting-websocket
 *   and mitt stay imports. One module per file lets an app that imports only
 *   TracedWebSocket leave out the modules that import those two (with
 *   `sideEffects: false`, bundlers skip modules nothing uses). Two more
 *   entries, dist/react.js and dist/vue.js (`resilient-socket/react`,
 *   `resilient-socket/vue`), share those modules; react and vue stay imports.
 *   So do the reporting entries, dist/beacon.js, sentry.js, opentelemetry.js
 *   and datadog.js, which import no vendor package (the app passes its own).
 * - `vite build --mode iife`: dist/resilient-socket.iife.js, one file for a
 *   `<script>` tag, dependencies bundled, a single global `ResilientSocket`.
 *   reconnecting-websocket is compiled from its own TypeScript source.
 * - `vite build --mode iife-min`: the same, minified, with a source map.
 * - `vite` (serve): the demo page in demo/.
 */
/// <reference types="vitest/config" />
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import { scenarioPlugin } from './demo/scenario-plugin.ts';

const pkg = { name: 'resilient-socket' };

/**
 * An alias of reconnecting-websocket to its own TypeScript source, which its package ships
 * beside the ES5 build. The IIFE compiles it to the same target as ours:
 * 1.9 kB instead of 2.5 kB min+gzip (classes, no ES5 helpers).
 */
const rwsSource = {
  find: /^reconnecting-websocket$/,
  replacement: join(dirname(createRequire(import.meta.url).resolve('reconnecting-websocket/package.json')), 'reconnecting-websocket.ts'),
};

function library(mode: string): UserConfig {
  const iife = mode.startsWith('iife');
  const minify = mode === 'iife-min';
  return {
    publicDir: false,
    resolve: iife ? { alias: [rwsSource] } : {},
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      minify: minify ? 'oxc' : false,
      sourcemap: minify,
      lib: iife
        ? {
            entry: 'src/cdn.ts',
            name: 'ResilientSocket',
            formats: ['iife'],
            fileName: () => `${pkg.name}.iife${minify ? '.min' : ''}.js`,
          }
        : {
            entry: {
              [pkg.name]: 'src/index.ts',
              react: 'src/react.ts',
              vue: 'src/vue.ts',
              beacon: 'src/beacon.ts',
              sentry: 'src/sentry.ts',
              opentelemetry: 'src/opentelemetry.ts',
              datadog: 'src/datadog.ts',
            },
            formats: ['es'],
          },
      rolldownOptions: iife
        ? { output: { exports: 'default' } }
        : {
            external: ['reconnecting-websocket', 'mitt', 'react', 'vue'],
            output: {
              preserveModules: true,
              preserveModulesRoot: 'src',
              entryFileNames: (chunk) => (chunk.isEntry ? '[name].js' : 'lib/[name].js'),
            },
          },
    },
  };
}

export default defineConfig(({ command, mode }) => {
  if (command === 'build') return library(mode);
  if (process.env.VITEST) {
    return {
      test: {
        environment: 'node',
        restoreMocks: true,
        projects: [
          // reconnecting-websocket's ES5 build, as the ESM build leaves it to an app's bundler.
          { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
          // The same version compiled from its TypeScript source, as the IIFE ships it: the tests that run it again.
          {
            extends: true,
            resolve: { alias: [rwsSource] },
            test: { name: 'rws-source', include: ['src/engine.test.ts', 'src/resilient-socket*.test.ts', 'src/store.test.ts', 'src/reporters.test.ts'] },
          },
        ],
      },
    };
  }
  // The demo: demo/ imports the SDK from src/, and the plugin serves the scenarios under /ws/.
  return {
    root: fileURLToPath(new URL('./demo', import.meta.url)),
    plugins: [scenarioPlugin()],
    // Found by the dependency scan too; listed so a first visit never reloads to optimize them.
    optimizeDeps: { include: ['mitt', 'reconnecting-websocket', 'graphql-ws'] },
    server: { host: '127.0.0.1', port: 5173, strictPort: false },
  };
});
