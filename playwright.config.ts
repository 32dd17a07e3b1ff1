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
  // Two spec files at a time: one keeps about 1.5 of CI's 2 cores busy (the portal, the browser-mode host and
  // Chromium wait on each other), two fill them. Every spec starts its own portal (port 0, a temporary SQLite file)
  // and host (a temporary profile), and its keychain items are named after its portal's origin, so specs share
  // nothing; a spec that changes its process (no-secret-service) gets a worker of its own.
  workers: 2,
  // How long an expectation waits for the page to get there (Playwright's default: 5 s). Nothing here is timed:
  // with two specs sharing the cores, an import check or an offline copy's unlock can take longer than alone.
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
