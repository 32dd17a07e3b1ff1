/**
 * One connection state, one message, against the real reference portal stopped and started again
 * on the same port: the top bar's indicator and the one banner under it agree, and a returning
 * portal is noticed by main's own probes (no network event from the OS: a portal that restarts
 * sends none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestBrowserMode, type TestBrowserMode } from '../support/browser-mode';
import { startRestartablePortal, type RestartablePortal } from '../support/restartable-portal';
import { ADMIN, openManageEmployees, screenshot } from './support/admin-app';
import { latestCodeOf, networkChanged, signInWithPortal } from './support/offline-app';

let portal: RestartablePortal;
let profileDir: string;
let web: TestBrowserMode;

test.beforeAll(async () => {
  portal = await startRestartablePortal();
  profileDir = mkdtempSync(join(tmpdir(), 'portal-admin-connection-profile-'));
  web = await startApp();
});
test.afterAll(async () => {
  await web?.close();
  await portal?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

function startApp(): Promise<TestBrowserMode> {
  return startTestBrowserMode({ url: portal.url, tls: { certPath: portal.certPath } }, { profileDir });
}

const indicator = (page: Page) => page.getByTestId('connection-indicator');
const banners = (page: Page) => page.locator('.status-banner');

/**
 * Main probes at most 10 s apart while the portal is away: allow that, plus a busy machine's
 * delays. The wait is a ceiling, not a measurement.
 */
const NOTICED_WITHIN = { timeout: 30_000 };

test('the indicator and one banner follow the portal going and coming back, signed in and working offline', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(web.host.newPageUrl());
  await signInWithPortal(page, true, () => latestCodeOf(portal));
  await openManageEmployees(page);
  await expect(indicator(page)).toHaveAttribute('aria-label', 'Online');
  await expect(banners(page)).toHaveCount(0);

  // Signed in: the portal goes away (the OS noticed a network change), and comes back on its own.
  await portal.stop();
  await networkChanged(page, 'offline');
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
  await expect(banners(page)).toHaveCount(1);
  await expect(indicator(page)).toHaveAttribute('aria-label', /^Offline/);
  await portal.start();
  await expect(indicator(page)).toHaveAttribute('aria-label', 'Online', NOTICED_WITHIN);
  await expect(banners(page)).toHaveCount(0);

  // Working offline on the copy after a restart with the portal away.
  await portal.stop();
  await web.close();
  web = await startApp();
  await page.goto(web.host.newPageUrl());
  await page.getByRole('button', { name: 'Work offline' }).click();
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Open offline copy' }).click();
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
  await expect(banners(page)).toHaveCount(1);
  await expect(indicator(page)).toHaveText('Offline');

  // The portal comes back: one banner says so, the indicator agrees, nothing still says "Offline".
  await portal.start();
  const reachable = page.getByTestId('reachable-again-banner');
  await expect(reachable).toContainText('The portal is reachable again.', NOTICED_WITHIN);
  await expect(banners(page)).toHaveCount(1);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect(indicator(page)).toHaveText('Reachable');
  await expect(indicator(page)).toHaveAttribute('aria-label', /reachable again/);
  await screenshot(page, 'reachable-again');
});
