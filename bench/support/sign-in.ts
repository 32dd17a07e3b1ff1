import type { Page } from '@playwright/test';
import type { TestBrowserMode } from '../../test/support/browser-mode';
import type { TestPortal } from '../../test/support/portal';

/** Signs in as Acme's admin through the UI (the code from the portal's demo carrier); `keepOfflineCopy` ticks the box. */
export async function signIn(page: Page, portal: TestPortal, web: TestBrowserMode, keepOfflineCopy = false): Promise<void> {
  await page.goto(web.host.newPageUrl());
  await page.getByLabel('Email').fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('acme-admin-demo');
  if (keepOfflineCopy) await page.getByLabel('Keep an offline copy on this computer').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const latest = () => JSON.stringify(portal.app.demoSms?.list(1)[0] ?? null);
  const before = latest();
  await page.getByRole('button', { name: 'Send code' }).click();
  // The new message (a busy machine may answer the click before the portal sent it).
  let code: string | undefined;
  for (let waited = 0; code === undefined && waited < 60_000; waited += 100) {
    const message = latest();
    if (message !== before) code = /\b(\d{6})\b/.exec((JSON.parse(message) as { text?: string } | null)?.text ?? '')?.[1];
    if (code === undefined) await page.waitForTimeout(100);
  }
  if (!code) throw new Error('no code from the demo carrier');
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 180_000 });
}
