/**
 * The Electron specs' first step, checked in Chromium here because the Electron binary cannot run
 * on these machines: Playwright's `firstWindow()` hands over the window as soon as it exists, while
 * the page may still be about:blank. `firstAppWindow` (test/electron/support/launch-app.ts) must
 * wait for the app's URL, and the Electron specs must use it rather than read `page.url()` at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { APP_PAGE_URL, electronLaunchOptions, firstAppWindow } from '../electron/support/launch-app';

const APP_LIKE_URL = 'https://portal-admin.test/index.html';

test('firstAppWindow waits until a window that starts on about:blank shows the app page', async ({ page }) => {
  await page.route('https://portal-admin.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Portal Admin</title><h1>Portal Admin</h1>' }),
  );
  // What Electron does: the window exists (firstWindow resolves), then loadURL commits a little later.
  let urlWhenHandedOver = '';
  const application = {
    firstWindow: async (): Promise<Page> => {
      urlWhenHandedOver = page.url();
      setTimeout(() => void page.goto(APP_LIKE_URL).catch(() => undefined), 300);
      return page;
    },
  };
  const window = await firstAppWindow(application, /^https:\/\/portal-admin\.test\//);
  expect(urlWhenHandedOver).toBe('about:blank');
  expect(window.url()).toBe(APP_LIKE_URL);
  await expect(window.getByRole('heading', { name: 'Portal Admin' })).toBeVisible();
});

test('the app page pattern matches app://portal-admin/ and nothing before it loads', () => {
  expect('app://portal-admin/index.html').toMatch(APP_PAGE_URL);
  expect('app://portal-admin/index.html#/employees').toMatch(APP_PAGE_URL);
  expect('about:blank').not.toMatch(APP_PAGE_URL);
  expect('app://portal-admin.evil/index.html').not.toMatch(APP_PAGE_URL);
});

test('every Electron spec takes its window through firstAppWindow, never firstWindow() and page.url() at once', () => {
  const folder = join(import.meta.dirname, '..', 'electron');
  const specs = readdirSync(folder).filter((name) => name.endsWith('.spec.ts'));
  expect(specs.length).toBeGreaterThan(0);
  for (const name of specs) {
    const source = readFileSync(join(folder, name), 'utf8');
    expect(source, name).not.toMatch(/\.firstWindow\(\)/);
    if (/launchPortalAdmin\(/.test(source)) expect(source, name).toMatch(/firstAppWindow\(/);
  }
});

test('the Electron specs keep Chromium’s sandbox on, as users have it (Playwright turns it off on Linux unless told), except as root', () => {
  const launch = { executablePath: '/x/electron', portalUrl: 'https://127.0.0.1:1', caPath: '/ca.pem', profile: '/p' };
  const asUser = electronLaunchOptions(launch, 1000);
  expect(asUser.chromiumSandbox).toBe(true);
  expect(asUser.args).not.toContain('--no-sandbox');
  expect(electronLaunchOptions(launch, 0).chromiumSandbox).toBe(false);
});
