/**
 * The framework bindings in real apps, built by Vite from e2e/pages/react
 * (React 19 under StrictMode) and e2e/pages/vue (Vue 3) against the built
 * package (`exports`), driven through window.setProps() against the
 * scenario servers. The same cases run for both.
 */
import { join, relative } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { expect, ROOT, test, watchPage } from './fixtures';
import type { ScenarioServer } from './servers/scenarios.js';

const APPS = [
  { name: 'react', oneConnection: 'React StrictMode mounts the hook twice', define: {} },
  {
    name: 'vue',
    oneConnection: 'a mounted composable makes one socket',
    // Vue's compile-time flags, as its Vite plugin would set them.
    define: { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  },
] as const;

const state = (page: Page) => page.locator('#state');
const setProps = (page: Page, props: Record<string, unknown>) => page.evaluate((p) => (window as any).setProps(p), props);

for (const app of APPS) {
  test.describe(`resilient-socket/${app.name}`, () => {
    let outDir: string | null = null;

    test.beforeAll(async ({}, workerInfo) => {
      outDir = join(ROOT, 'test-results', `${app.name}-app-${workerInfo.workerIndex}`);
      await build({ configFile: false, envDir: false, root: join(ROOT, 'e2e/pages', app.name), base: './', logLevel: 'warn', define: app.define, build: { outDir, emptyOutDir: true, minify: false } });
    });

    async function openApp(page: Page, server: ScenarioServer, params: Record<string, string>, problems: string[]) {
      watchPage(page, problems);
      const query = new URLSearchParams(params).toString();
      await page.goto(`${server.origin}/${relative(ROOT, outDir!)}/index.html?${query}`);
    }

    test(`${app.oneConnection}, and the server sees exactly one connection`, async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('echo') }, problems);
      await expect(state(page)).toHaveText('open');
      // Long enough for a second connection, if the undone mount had made one, to arrive.
      await page.waitForTimeout(500);
      expect(server.router.accepted('echo')).toBe(1);
      expect(server.router.live('echo')).toBe(1);
      // A re-render (in React, with a new inline options object) does not reconnect.
      await setProps(page, { renders: 1 });
      await setProps(page, { renders: 2 });
      await page.evaluate(() => (window as any).hook.send('hi'));
      await expect.poll(() => page.evaluate(() => (window as any).received)).toEqual(['hi']);
      expect(server.router.accepted('echo')).toBe(1);
      expect(problems).toEqual([]);
    });

    test('unmount closes the connection, and leaves no timer', async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('echo') }, problems);
      await expect(state(page)).toHaveText('open');
      await setProps(page, { mounted: false });
      await expect(state(page)).toHaveText('unmounted');
      await expect.poll(() => server.router.live('echo')).toBe(0);
      await expect.poll(() => page.evaluate(() => (window as any).pendingTimers.size)).toBe(0);
      expect(server.router.accepted('echo')).toBe(1);
      expect(problems).toEqual([]);
    });

    test('enabled: false makes no connection; true opens one; false again closes it', async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('echo'), enabled: 'false' }, problems);
      await expect(state(page)).toHaveText('closed');
      await page.waitForTimeout(300);
      expect(server.router.accepted('echo')).toBe(0);
      await setProps(page, { enabled: true });
      await expect(state(page)).toHaveText('open');
      expect(server.router.accepted('echo')).toBe(1);
      await setProps(page, { enabled: false });
      await expect(state(page)).toHaveText('closed');
      await expect.poll(() => server.router.live('echo')).toBe(0);
      expect(server.router.accepted('echo')).toBe(1);
      expect(problems).toEqual([]);
    });

    test('a new URL reconnects to it, once', async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('echo') }, problems);
      await expect(state(page)).toHaveText('open');
      await setProps(page, { url: server.url('heartbeat') });
      await expect.poll(() => server.router.live('heartbeat')).toBe(1);
      await expect.poll(() => server.router.live('echo')).toBe(0);
      await expect(state(page)).toHaveText('open');
      await page.waitForTimeout(300);
      expect(server.router.accepted('heartbeat')).toBe(1);
      expect(server.router.accepted('echo')).toBe(1);
      expect(problems).toEqual([]);
    });

    test('a half-open peer: with the heartbeat, the state leaves open within interval + timeout + 250 ms, and the next connection opens by itself', async ({ page, server }) => {
      const interval = 500;
      const timeout = 400;
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('silent'), heartbeat: JSON.stringify({ interval, timeout }) }, problems);
      await expect.poll(() => page.evaluate(() => (window as any).states.filter((s: any) => s.state === 'open').length), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      const states: Array<{ state: string; at: number }> = await page.evaluate(() => (window as any).states);
      const firstOpen = states.findIndex((s) => s.state === 'open');
      const left = states.slice(firstOpen + 1).find((s) => s.state !== 'open')!;
      const detection = left.at - states[firstOpen]!.at;
      test.info().annotations.push({ type: 'open → left open, ms', description: detection.toFixed(0) });
      expect(detection).toBeLessThanOrEqual(interval + timeout + 250);
      expect(server.router.accepted('silent')).toBeGreaterThanOrEqual(2);
      expect(problems).toEqual([]);
    });

    test('1,000 messages in one burst all reach onMessage, in order', async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('burst') }, problems);
      await expect(state(page)).toHaveText('open');
      await page.evaluate(() => (window as any).hook.send('burst:1000'));
      await expect.poll(() => page.evaluate(() => (window as any).received.length)).toBe(1000);
      const received: string[] = await page.evaluate(() => (window as any).received);
      expect(received).toEqual(Array.from({ length: 1000 }, (_, i) => String(i)));
      expect(problems).toEqual([]);
    });

    test('share: two components with the same URL and options share one connection, closed when the last unmounts', async ({ page, server }) => {
      const problems: string[] = [];
      await openApp(page, server, { url: server.url('echo'), share: '1' }, problems);
      await expect(state(page)).toHaveText('open');
      await expect(page.locator('.twin')).toHaveText('open');
      await page.waitForTimeout(300);
      expect(server.router.accepted('echo')).toBe(1);
      await setProps(page, { second: false });
      await expect(page.locator('.twin')).toHaveCount(0);
      await page.waitForTimeout(300);
      expect(server.router.live('echo')).toBe(1);
      await page.evaluate(() => (window as any).hook.send('still here'));
      await expect.poll(() => page.evaluate(() => (window as any).received)).toEqual(['still here']);
      await setProps(page, { mounted: false });
      await expect.poll(() => server.router.live('echo')).toBe(0);
      expect(server.router.accepted('echo')).toBe(1);
      expect(problems).toEqual([]);
    });
  });
}
