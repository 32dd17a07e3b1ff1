/**
 * First use after a day away: the app starts while the portal is down. The sign-in form says the
 * portal cannot be reached and Work offline (the account keeps an offline copy here) is the main
 * button; "Keep an offline copy" is remembered for the account; helper text is readable (14 px).
 * At the app's minimum window and at full HD, against the real reference portal, stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { startTestBrowserMode, type TestBrowserMode } from '../support/browser-mode';
import { startRestartablePortal, type RestartablePortal } from '../support/restartable-portal';
import { ADMIN, appStarted, openManageEmployees, screenshot } from './support/admin-app';
import { latestCodeOf, signInWithPortal } from './support/offline-app';

const fontSizeOf = (locator: Locator) =>
  locator.evaluate((element) => {
    const page = globalThis as unknown as { getComputedStyle(target: typeof element): { fontSize: string } };
    return Number.parseFloat(page.getComputedStyle(element).fontSize);
  });

for (const [width, height] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  test(`at ${width} × ${height}: the portal down at start — the form says so, Work offline leads, the offline copy choice is remembered`, async ({ page }) => {
    test.setTimeout(150_000);
    const portal: RestartablePortal = await startRestartablePortal();
    const profileDir = mkdtempSync(join(tmpdir(), 'portal-admin-down-profile-'));
    const startApp = (): Promise<TestBrowserMode> => startTestBrowserMode({ url: portal.url, tls: { certPath: portal.certPath } }, { profileDir });
    let web = await startApp();
    try {
      await page.setViewportSize({ width, height });
      await page.goto(web.host.newPageUrl());
      await appStarted(page);
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      // Helper text under a field, at a readable size.
      const hint = page.getByText('Stay signed in after closing Portal Admin.');
      await expect(hint).toBeVisible();
      expect(await fontSizeOf(hint)).toBeGreaterThanOrEqual(14);
      await signInWithPortal(page, true, () => latestCodeOf(portal));
      await openManageEmployees(page);

      // The app closes; the portal goes down; the app starts again.
      await web.close();
      await portal.stop();
      web = await startApp();
      await page.goto(web.host.newPageUrl());
      await appStarted(page);
      const unreachable = page.getByTestId('portal-unreachable');
      await expect(unreachable).toContainText('The portal cannot be reached right now.');
      const workOffline = page.getByRole('button', { name: 'Work offline' });
      const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
      await expect(workOffline).toHaveClass(/bg-primary/);
      await expect(signIn).toHaveClass(/v-btn--variant-outlined/);
      await expect(signIn).not.toHaveClass(/bg-primary/);
      // The account keeps a copy here: the box is ticked for it, not for another.
      const keep = page.getByRole('checkbox', { name: 'Keep an offline copy on this computer' });
      await page.getByLabel('Email').fill('someone.else@acme.test');
      await expect(keep).not.toBeChecked();
      await page.getByLabel('Email').fill(ADMIN.email);
      await expect(keep).toBeChecked();
      await screenshot(page, `sign-in-portal-down-${width}`);

      await workOffline.click();
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Open offline copy' }).click();
      await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
    } finally {
      await web.close();
      await portal.close();
      rmSync(profileDir, { recursive: true, force: true });
    }
  });
}
