/**
 * The ESM build as an app consumes it: a tiny app in e2e/pages/esm imports
 * `resilient-socket` by its package name, Vite builds it (resolving the name
 * through package.json `exports` and bundling reconnecting-websocket and mitt),
 * and the built app runs in Chromium against the echo scenario.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type Rolldown } from 'vite';
import { expect, ROOT, test, watchPage } from './fixtures';

const APP = join(ROOT, 'e2e/pages/esm');

/** Builds the app into `outDir`; returns its JS chunks and what `resilient-socket` resolved to. */
async function buildApp(outDir: string) {
  const resolved: Array<string | undefined> = [];
  const result = await build({
    configFile: false,
    envDir: false,
    root: APP,
    base: './',
    logLevel: 'warn',
    plugins: [
      {
        name: 'record-sdk-resolution',
        enforce: 'pre',
        async resolveId(source, importer, options) {
          if (source !== 'resilient-socket') return null;
          const found = await this.resolve(source, importer, { ...options, skipSelf: true });
          resolved.push(found?.id);
          return found;
        },
      },
    ],
    build: { outDir, emptyOutDir: true, minify: true },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
  return { chunks, resolved };
}

test('an app built with Vite imports the package by name and works in the browser', async ({ page, server }, testInfo) => {
  const outDir = testInfo.outputPath('app');
  const { chunks, resolved } = await buildApp(outDir);

  // The name resolved through `exports` to the ESM build, not to src/.
  expect(resolved).toEqual([join(ROOT, 'dist/resilient-socket.js')]);
  expect(chunks).toHaveLength(1);
  const code = chunks[0]!.code;
  // The app bundled the dependencies: reconnecting-websocket's own code is in, no bare import is left.
  expect(code).toContain('No valid WebSocket class provided');
  expect(code).not.toMatch(/\bfrom\s*["'](?:mitt|reconnecting-websocket)["']/);
  expect(code).not.toMatch(/\bimport\s*\(?\s*["'](?:mitt|reconnecting-websocket)["']/);
  expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain(`./${chunks[0]!.fileName}`);

  const consoleErrors: string[] = [];
  watchPage(page, consoleErrors);
  const url = server.url('echo');
  await page.goto(`${server.origin}/${relative(ROOT, outDir)}/index.html?url=${encodeURIComponent(url)}`);
  await expect(page.locator('#status')).not.toHaveText('running', { timeout: 10_000 });
  const result = JSON.parse((await page.locator('#result').textContent()) ?? '{}');
  expect(await page.locator('#status').textContent(), JSON.stringify(result)).toBe('done');

  expect(result.open).toMatchObject({ connection: 1, url, retries: 0 });
  expect(result.echo).toBe('hello from an app bundle');
  expect(result.close).toMatchObject({ kind: 'clean', code: 1000, wasClean: true, initiator: 'client', cause: 'user', willReconnect: false });
  expect(result.state).toBe('closed');
  expect(result.errors).toEqual([]);
  // A module bundle defines no globals.
  expect(result.globals).toEqual([]);
  expect(server.router.received('echo')).toEqual(['hello from an app bundle']);
  expect(consoleErrors).toEqual([]);
});

test('an app that imports only TracedWebSocket bundles neither reconnecting-websocket nor mitt', async ({ browserName }) => {
  test.skip(browserName !== 'chromium', 'a build, checked in Node: the chromium project runs it');
  const result = await build({
    configFile: false,
    envDir: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [
      {
        name: 'traced-only-entry',
        resolveId: (id) => (id === 'traced-only' || id.endsWith('/traced-only') ? '\0traced-only' : null),
        load: (id) => (id === '\0traced-only' ? `export { TracedWebSocket } from 'resilient-socket';` : null),
      },
    ],
    build: { write: false, minify: true, lib: { entry: 'traced-only', formats: ['es'], fileName: 'traced' } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
  const code = chunks.map((c) => c.code).join('\n');
  // Every module that left code in the bundle (parsed but tree-shaken ones render nothing).
  const modules = chunks.flatMap((c) => Object.entries(c.modules).filter(([, m]) => m.renderedLength > 0).map(([id]) => id));
  expect(code).toContain('TracedWebSocket');
  expect(code).not.toContain('No valid WebSocket class provided');
  expect(modules.filter((id) => /node_modules\/(?:reconnecting-websocket|mitt)\//.test(id))).toEqual([]);
  expect(modules.some((id) => id.endsWith('dist/lib/traced-websocket.js'))).toBe(true);
  expect(modules.some((id) => id.endsWith('dist/lib/engine.js'))).toBe(false);
});
