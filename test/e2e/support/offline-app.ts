import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../../common/api';
import { startTestBrowserMode, type TestBrowserMode } from '../../support/browser-mode';
import { portalRequest, tokenFor } from '../../support/portal';
import { startRestartablePortal, type RestartablePortal } from '../../support/restartable-portal';
import { ADMIN, escapeRegExp, fullName } from './admin-app';

/** A portal that can go away and come back, and the browser-mode app on one profile that outlives app restarts. */
export interface OfflineSetup {
  readonly portal: RestartablePortal;
  readonly web: TestBrowserMode;
  /** Closes the app and starts it on the same profile: a restart keeps what is on disk, nothing else. */
  restartApp(): Promise<TestBrowserMode>;
  /** The employee as the portal now holds it (asked as the admin). */
  employee(id: string): Promise<Employee>;
  /** The code in the demo carrier's last message. */
  latestCode(): string;
}

/** Starts the portal and the app before the spec's tests (a fresh profile under `profilePrefix`) and removes both after them. */
export function useOfflineSetup(profilePrefix: string): OfflineSetup {
  let portal: RestartablePortal | undefined;
  let web: TestBrowserMode | undefined;
  let profileDir: string | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the offline setup is used before beforeAll started it');
    return value;
  };
  const startApp = (): Promise<TestBrowserMode> =>
    startTestBrowserMode({ url: started(portal).url, tls: { certPath: started(portal).certPath } }, { profileDir: started(profileDir) });

  test.beforeAll(async () => {
    portal = await startRestartablePortal();
    profileDir = mkdtempSync(join(tmpdir(), profilePrefix));
    web = await startApp();
  });
  test.afterAll(async () => {
    await web?.close();
    await portal?.close();
    if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
  });

  return {
    get portal() {
      return started(portal);
    },
    get web() {
      return started(web);
    },
    async restartApp() {
      await started(web).close();
      web = await startApp();
      return web;
    },
    async employee(id) {
      const current = started(portal).current();
      return (await portalRequest(current, 'GET', `/api/v1/employees/${id}`, { token: tokenFor(current, ADMIN.email) })).body as Employee;
    },
    latestCode() {
      const text = started(portal).current().app.demoSms?.list(1)[0]?.text ?? '';
      const code = /\b(\d{6})\b/.exec(text)?.[1];
      if (!code) throw new Error(`no code in the demo carrier's last message: ${JSON.stringify(text)}`);
      return code;
    },
  };
}

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
