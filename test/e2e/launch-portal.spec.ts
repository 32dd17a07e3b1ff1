/**
 * A packaged Portal Admin started with a portal address (a shortcut's --portal-url and --portal-ca)
 * asks the admin before it uses it. The real services and gate (browser mode: the same contract as
 * Electron's IPC), the real renderer in Chromium, a real HTTPS portal.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startBrowserMode, type BrowserModeHost } from '../../electron/browser-mode';
import { SETTINGS_FILE_NAME } from '../../electron/main/services/settings';
import { ensureRendererBuilt } from '../support/browser-mode';
import { startTestPortal, type TestPortal } from '../support/portal';
import { screenshot } from './support/admin-app';

let portal: TestPortal | undefined;
let host: BrowserModeHost | undefined;
let profile: string | undefined;

test.afterEach(async () => {
  await host?.close();
  await portal?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  host = undefined;
  portal = undefined;
  profile = undefined;
});

/** The app as a packaged build starts it when its shortcut carries --portal-url and --portal-ca. */
async function openWithProposedPortal(page: Page): Promise<TestPortal> {
  portal = await startTestPortal();
  profile = mkdtempSync(join(tmpdir(), 'portal-admin-launch-portal-'));
  host = await startBrowserMode({
    rendererDir: ensureRendererBuilt(),
    userDataDir: profile,
    portal: { url: portal.url, caFile: portal.tls.certPath, needsConfirmation: true },
    keychain: 'memory',
  });
  await page.goto(host.newPageUrl());
  return portal;
}

const savedSettings = (): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(join(profile!, SETTINGS_FILE_NAME), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

test('the app asks before it uses a portal given at launch; "Use this portal" saves it and sign-in goes there', async ({ page }) => {
  const proposed = await openWithProposedPortal(page);
  const dialog = page.getByRole('dialog', { name: 'Use the portal Portal Admin was started with?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(proposed.url);
  await expect(dialog).toContainText(proposed.tls.certPath);
  await expect(dialog).toContainText(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  // Nothing is used or saved while the question is open.
  expect(savedSettings()?.portalUrl ?? null).toBeNull();
  await expect(page.getByRole('button', { name: 'Keep my settings' })).toBeFocused();
  await screenshot(page, 'launch-portal');

  await dialog.getByRole('button', { name: 'Use this portal' }).click();
  await expect(dialog).toBeHidden();
  // The certificate is kept as a copy in the profile (named by its hash), as a chosen one is.
  expect(savedSettings()).toMatchObject({ portalUrl: proposed.url, caFile: expect.stringMatching(/portal-ca-[0-9a-f]+\.pem$/) as unknown as string });
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('"Keep my settings" leaves the app without that portal, and it is not asked again on this run', async ({ page }) => {
  await openWithProposedPortal(page);
  const dialog = page.getByRole('dialog', { name: 'Use the portal Portal Admin was started with?' });
  await expect(dialog).toBeVisible();
  await page.getByRole('button', { name: 'Keep my settings' }).click();
  await expect(dialog).toBeHidden();
  expect(savedSettings()?.portalUrl ?? null).toBeNull();
  await expect(page.getByLabel('Portal address')).toBeVisible();

  await page.goto(host!.newPageUrl());
  await expect(page.getByLabel('Portal address')).toBeVisible();
  await expect(dialog).toHaveCount(0);
});
