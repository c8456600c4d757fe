import { defineConfig } from '@playwright/test';
import { launchOptions } from './browser.js';

/**
 * E2E tests drive the built bundle (npm run build) in real Chromium and
 * Firefox: two projects over the same specs. A spec that cannot hold in one
 * engine skips there and says why. WebKit runs apart (e2e/webkit/): Playwright
 * cannot drive WebKitGTK's MiniBrowser.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // The late-native-close test waits out Chromium's 60 s closing handshake.
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e.json' }]],
  outputDir: '../test-results/artifacts',
  use: { trace: 'off' },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', launchOptions: launchOptions('chromium') } },
    // node.spec.ts runs the SDK in Node with `ws`: no browser, so once is enough.
    { name: 'firefox', use: { browserName: 'firefox', launchOptions: launchOptions('firefox') }, testIgnore: ['node.spec.ts'] },
  ],
});
