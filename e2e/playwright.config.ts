import { defineConfig } from '@playwright/test';
import { launchOptions } from './browser.js';

/** E2E tests drive the built bundle (npm run build) in real Chromium. */
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
  use: {
    browserName: 'chromium',
    launchOptions: launchOptions(),
    trace: 'off',
  },
});
