/**
 * Test fixtures: a scenario server on 127.0.0.1, port 0, that also serves
 * the harness page and the built bundle, started and stopped per test; and
 * a page that fails the test on any console error or page error.
 */
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { type ScenarioServer, startScenarioServer } from './servers/scenarios.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Console errors Chromium prints for connections that a scenario makes fail on purpose. */
const EXPECTED_NETWORK_ERRORS = [/WebSocket connection to '.*' failed/, /WebSocket is closed before the connection is established/];

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
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !EXPECTED_NETWORK_ERRORS.some((re) => re.test(msg.text()))) consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
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
