// Prints one closing line, "tests: N passed, N failed", from the unit, e2e (Chromium, Firefox) and WebKit JSON reports.
import { readFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(new URL(`../test-results/${file}`, import.meta.url), 'utf8'));
const unit = read('unit.json');
const e2e = read('e2e.json');
const webkit = read('webkit.json');
const passed = unit.numPassedTests + e2e.stats.expected + webkit.passed;
const failed = unit.numFailedTests + e2e.stats.unexpected + e2e.stats.flaky + webkit.failed;
const skipped = unit.numPendingTests + unit.numTodoTests + e2e.stats.skipped;
console.log(`unit: ${unit.numPassedTests} passed, e2e (Chromium, Firefox): ${e2e.stats.expected} passed, ${e2e.stats.skipped} skipped, WebKit: ${webkit.passed} passed`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
