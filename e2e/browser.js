// @ts-check
/**
 * Which browsers the tests and the benchmark drive.
 *
 * - Chromium: Playwright's own build when `npx playwright install chromium`
 *   has put one on this machine, else the system's (Debian's `chromium`
 *   package), or `CHROMIUM_PATH` if set.
 * - Firefox: Playwright's own build when installed, else a stock Firefox
 *   (Debian's `firefox-esr`, or `FIREFOX_PATH`), which Playwright drives over
 *   WebDriver BiDi with `channel: 'moz-firefox'`.
 *
 * The Playwright version is pinned in package.json to 1.64.1, the newest
 * that drives Firefox ESR 153: 1.65.x fails on `newContext` with
 * "emulation.setMediaFeaturesOverride: unknown command". Raise the pin only
 * after `npm run test:e2e` passes in both engines.
 *
 * Plain JavaScript, so that the bench can import it in Node without a loader.
 */
import { existsSync } from 'node:fs';
import { chromium, firefox } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const SYSTEM_FIREFOX = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** @typedef {'chromium' | 'firefox'} Engine */

/** The engines the suite and the benchmark run in. */
export const ENGINES = /** @type {const} */ (['chromium', 'firefox']);

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
 * Firefox preferences for the same closed sandbox: no update checks,
 * telemetry, captive-portal or connectivity probes, remote settings or
 * Safe Browsing lists, so that the tests' servers get the only traffic.
 */
export const FIREFOX_PREFS = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'services.settings.server': '',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
};

/**
 * @param {import('@playwright/test').BrowserType} type
 * @returns {boolean} whether Playwright's own build of that browser is installed
 */
function playwrightBrowserInstalled(type) {
  try {
    return existsSync(type.executablePath());
  } catch {
    return false;
  }
}

/**
 * The Chromium executable to launch, or `undefined` for Playwright's own browser.
 * @returns {string | undefined}
 */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (playwrightBrowserInstalled(chromium)) return undefined;
  return SYSTEM_CHROMIUM.find((path) => existsSync(path));
}

/**
 * The Firefox executable to launch, or `undefined` for Playwright's own browser.
 * @returns {string | undefined}
 */
export function firefoxPath() {
  if (process.env.FIREFOX_PATH) return process.env.FIREFOX_PATH;
  if (playwrightBrowserInstalled(firefox)) return undefined;
  return SYSTEM_FIREFOX.find((path) => existsSync(path));
}

/**
 * Launch options for `chromium.launch()` / `firefox.launch()` and the Playwright config.
 * @param {Engine} [engine]
 * @returns {import('@playwright/test').LaunchOptions}
 */
export function launchOptions(engine = 'chromium') {
  if (engine === 'firefox') {
    const executablePath = firefoxPath();
    // A stock Firefox is driven over WebDriver BiDi; Playwright's own build over its Juggler protocol.
    return { headless: true, firefoxUserPrefs: FIREFOX_PREFS, ...(executablePath ? { executablePath, channel: 'moz-firefox' } : {}) };
  }
  const executablePath = chromiumPath();
  return { headless: true, args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) };
}

/**
 * Launches an engine for scripts outside the test runner (the benchmark).
 * @param {Engine} engine
 */
export function launch(engine) {
  return (engine === 'firefox' ? firefox : chromium).launch(launchOptions(engine));
}
