/**
 * Test fixtures: a scenario server on 127.0.0.1, port 0, that also serves
 * the harness page and the built bundle, started and stopped per test; and
 * a page that fails the test on any console error or page error.
 */
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { engineOf } from './engines.js';
import { type ScenarioServer, startScenarioServer } from './servers/scenarios.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Collects the page's console errors (and, with `warnings`, its warnings)
 * and page errors into `into`, except what the engine prints by itself for
 * connections that a scenario makes fail on purpose (Firefox reports those
 * as page errors), and what `ignore` matches.
 */
export function watchPage(page: Page, into: string[], { warnings = false, ignore = [] as RegExp[] } = {}): void {
  const expected = [...engineOf(page.context().browser()!.browserType().name()).networkErrors, ...ignore];
  const unexpected = (text: string) => !expected.some((re) => re.test(text));
  page.on('console', (msg) => {
    const type = msg.type();
    if ((type === 'error' || (warnings && type === 'warning')) && unexpected(msg.text())) into.push(warnings ? `${type}: ${msg.text()}` : msg.text());
  });
  page.on('pageerror', (error) => unexpected(error.message) && into.push(`pageerror: ${error.message}`));
}

export interface HarnessEvent {
  socket: number;
  type: string;
  at: number;
  data: any;
}

type Fixtures = {
  server: ScenarioServer;
  harness: Page;
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
  server: async ({}, use) => {
    const server = await startScenarioServer({ root: ROOT });
    await use(server);
    await server.stop();
  },
  consoleErrors: async ({}, use) => {
    await use([]);
  },
  harness: async ({ page, server, consoleErrors }, use) => {
    watchPage(page, consoleErrors);
    await page.goto(`${server.origin}/e2e/pages/harness.html`);
    await use(page);
    expect(consoleErrors, 'console errors on the page').toEqual([]);
  },
});

export { expect };

/** Events of one type recorded by the harness for socket `socket`. */
export function eventsOf(page: Page, type: string, socket = 0): Promise<HarnessEvent[]> {
  return page.evaluate(([t, s]) => (window as any).eventsOf(t, s), [type, socket] as const);
}

/** Waits until at least `count` events of `type` have been recorded, and returns them. */
export async function waitForEvents(page: Page, type: string, count = 1, socket = 0, timeout = 10_000): Promise<HarnessEvent[]> {
  await expect.poll(async () => (await eventsOf(page, type, socket)).length, { timeout, message: `${count} × ${type}` }).toBeGreaterThanOrEqual(count);
  return eventsOf(page, type, socket);
}
