// @ts-check
/**
 * Which Chromium the tests and the benchmark drive: Playwright's own build
 * when `npx playwright install chromium` has put one on this machine, else
 * the system's (Debian's `chromium` package), or `CHROMIUM_PATH` if set.
 * Plain JavaScript, so that the bench can import it in Node without a loader.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags for a closed sandbox: no sandbox as root, no GPU, no traffic to any host but the tests'. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The executable to launch, or `undefined` for Playwright's own browser.
 * @returns {string | undefined}
 */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // No browser registered with Playwright.
  }
  return SYSTEM_CHROMIUM.find((path) => existsSync(path));
}

/**
 * Launch options for `chromium.launch()` and the Playwright config.
 * @returns {import('@playwright/test').LaunchOptions}
 */
export function launchOptions() {
  const executablePath = chromiumPath();
  return { headless: true, args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) };
}
