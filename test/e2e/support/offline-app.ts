import { expect, type Page } from '@playwright/test';
import type { Employee } from '../../../common/api';
import type { RestartablePortal } from '../../support/restartable-portal';
import { ADMIN, escapeRegExp, fullName } from './admin-app';

/** Password (+ "Keep an offline copy") → Send code → the demo carrier's code → Verify. */
export async function signInWithPortal(page: Page, keepOfflineCopy: boolean, latestCode: () => string): Promise<void> {
  const email = page.getByLabel('Email');
  if ((await email.inputValue()) === '') await email.fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  const keep = page.getByRole('checkbox', { name: 'Keep an offline copy on this computer' });
  if (keepOfflineCopy) await keep.check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('6-digit code').fill(latestCode());
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** What the OS tells the page when the network changes: the app probes the portal at once. */
export async function networkChanged(page: Page, event: 'online' | 'offline'): Promise<void> {
  await page.evaluate((name) => {
    const window = globalThis as unknown as { dispatchEvent(event: Event): boolean };
    window.dispatchEvent(new Event(name));
  }, event);
}

/** The grid row of one employee (searched by email). */
export async function rowOf(page: Page, target: Employee) {
  await page.getByRole('searchbox', { name: 'Search employees' }).fill(target.email);
  const row = page.getByRole('grid', { name: 'Employees' }).getByRole('row', { name: new RegExp(escapeRegExp(fullName(target))) });
  await expect(row).toHaveCount(1);
  return row;
}

/** The newest code the demo carrier of a restartable portal "sent". */
export function latestCodeOf(portal: RestartablePortal): string {
  const text = portal.current().app.demoSms?.list(1)[0]?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the demo carrier's last message: ${JSON.stringify(text)}`);
  return code;
}
