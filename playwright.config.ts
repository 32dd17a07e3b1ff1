import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium when present: Playwright cannot download its own browser on these machines.
function chromiumPath(): string | undefined {
  const fromEnvironment = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnvironment) return fromEnvironment;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  // The builds the specs serve (out/renderer, and out/main for the Electron specs), made once before any worker starts.
  globalSetup: './test/support/playwright-global-setup.ts',
  // One spec file at a time: tried with two on CI's 2 cores, the end-to-end step took longer (7.5 against 6.4 min;
  // one worker already keeps about 1.5 cores busy: the portal, the browser-mode host and Chromium) and a spec that
  // clicks the page as soon as it is painted lost the race with the app's start.
  workers: 1,
  // How long an expectation waits for the page to get there (Playwright's default: 5 s). Nothing here is timed:
  // on a busy machine an import check or an offline copy's unlock can take longer than 5 s.
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    headless: !process.env.HEADED,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
