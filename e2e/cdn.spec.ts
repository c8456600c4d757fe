/**
 * The CDN build as a page without a bundler loads it: the minified IIFE with
 * a plain <script src>, under a strict Content-Security-Policy (no
 * 'unsafe-eval', no 'unsafe-inline'), against the echo scenario.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, ROOT, watchPage } from './fixtures';
import { type ScenarioServer, startScenarioServer } from './servers/scenarios.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  'connect-src ws://127.0.0.1:*',
  'img-src data:',
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const MIN_BUNDLE = join(ROOT, 'dist/resilient-socket.iife.min.js');

// The same scenario server as the other specs, sending the CSP with every HTML page.
const test = base.extend<{ server: ScenarioServer }>({
  server: async ({}, use) => {
    const server = await startScenarioServer({ root: ROOT, headers: { 'content-security-policy': CSP } });
    await use(server);
    await server.stop();
  },
});

test('the minified IIFE works from a <script src> under a CSP without unsafe-eval or unsafe-inline', async ({ page, server }) => {
  const consoleErrors: string[] = [];
  // Each engine reports the page's deliberate `new Function` probe in its own words.
  watchPage(page, consoleErrors, { ignore: [/Refused to evaluate a string as JavaScript/, /blocked a JavaScript eval \(script-src\)/] });

  const url = server.url('echo');
  const response = await page.goto(`${server.origin}/e2e/pages/cdn-csp.html?url=${encodeURIComponent(url)}`);
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  await expect(page.locator('#status')).not.toHaveText('running', { timeout: 10_000 });
  const result = JSON.parse((await page.locator('#result').textContent()) ?? '{}');
  expect(await page.locator('#status').textContent(), JSON.stringify(result)).toBe('done');

  expect(result.globals).toEqual(['ResilientSocket']);
  expect(result.open).toMatchObject({ connection: 1, url, retries: 0 });
  expect(result.echo).toBe('hello under CSP');
  expect(result.close).toMatchObject({ kind: 'clean', code: 1000, reason: 'done', wasClean: true, initiator: 'client', cause: 'user', willReconnect: false });
  expect(result.state).toBe('closed');
  expect(result.errors).toEqual([]);
  expect(server.router.received('echo')).toEqual(['hello under CSP']);

  // Nothing the bundle did while loading or running broke the policy...
  expect(result.violations.filter((v: { phase: string }) => v.phase !== 'probe')).toEqual([]);
  // ...and the policy was in force: the page's deliberate `new Function` was refused and reported.
  expect(result.probe).toBe('EvalError');
  expect(result.violations.filter((v: { phase: string }) => v.phase === 'probe')).toEqual([
    expect.objectContaining({ directive: 'script-src', blocked: 'eval' }),
  ]);
  // No console error but, possibly, the engine's report of that probe.
  expect(consoleErrors).toEqual([]);
});

test('the minified IIFE contains no eval and no Function constructor', () => {
  const code = readFileSync(MIN_BUNDLE, 'utf8');
  expect(code).not.toMatch(/\beval\s*\(/);
  expect(code).not.toMatch(/\bnew\s+Function\b/);
  expect(code).not.toMatch(/\bFunction\s*\(/);
  // A string passed to setTimeout/setInterval is eval by another name.
  expect(code).not.toMatch(/\bset(?:Timeout|Interval)\s*\(\s*["'`]/);
});
