import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Employee } from '../../../common/api';
import { startTestBrowserMode, type TestBrowserMode } from '../../support/browser-mode';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from '../../support/portal';
import type { StartOptions } from '../../../server/server';

/**
 * The administrator's UI end to end: a real reference portal (HTTPS on port 0, a temporary SQLite
 * file), the browser-mode host with the real services (temporary profile), and Chromium on the
 * page it serves. Everything the tests do goes through the UI by role and label; the portal's
 * own API (or its database) is only used to check results and to make conflicts.
 */
export interface AdminApp {
  portal: TestPortal;
  web: TestBrowserMode;
  close(): Promise<void>;
}

export async function startAdminApp(options: Partial<StartOptions> = {}, host: { keychain?: 'os' | 'memory' } = {}): Promise<AdminApp> {
  const portal = await startTestPortal(options);
  try {
    const web = await startTestBrowserMode(portal, host);
    return {
      portal,
      web,
      async close() {
        await web.close();
        await portal.close();
      },
    };
  } catch (error) {
    await portal.close();
    throw error;
  }
}

/**
 * One app for all the tests of a spec: started before the first (then handed to `onStarted`, which
 * may prepare more), closed after the last.
 */
export function useAdminApp(onStarted: (app: AdminApp) => void | Promise<void>): void {
  let app: AdminApp | undefined;
  test.beforeAll(async () => {
    app = await startAdminApp();
    await onStarted(app);
  });
  test.afterAll(async () => {
    await app?.close();
  });
}

export const ADMIN = { email: 'admin@acme.test', password: 'acme-admin-demo', name: 'Alex Morgan' };
export const TECH = { email: 'tech@acme.test', password: 'acme-tech-demo', name: 'Sam Rivera' };

/**
 * index.html paints a prerendered sign-in page before the app starts: waits until the app has taken
 * over, after which every control answers and an element found stays in the page (before it, only a
 * sign-in sent from the form is held for the app).
 */
export async function appStarted(page: Page): Promise<void> {
  await expect(page.locator('#app > [data-prerendered]')).toHaveCount(0, { timeout: 30_000 });
}

/**
 * Opens a fresh page of the app (each page load needs its own one-time bridge token) at the
 * sign-in page. The session lives in the host's services, not in the page: a test that left it
 * signed in is signed out here first.
 */
export async function openApp(page: Page, app: AdminApp): Promise<void> {
  await page.goto(app.web.host.newPageUrl());
  await appStarted(page);
  const signOut = page.getByRole('button', { name: 'Sign out' });
  const startOver = page.getByRole('button', { name: 'Use a different account' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in' });
  await expect(signOut.or(startOver).or(signInHeading)).toBeVisible();
  // Signing out goes to the portal and the keychain; on a busy machine that, or a click that lands
  // while the page is still restoring the session, can take a second try.
  // An earlier test's unsynced drafts make sign-out ask; they are that test's, so they go.
  const discardDrafts = page.getByRole('button', { name: /^Discard (it|them)$/ });
  await expect(async () => {
    if (await discardDrafts.isVisible()) await discardDrafts.click();
    else if (await signOut.isVisible()) await signOut.click();
    else if (await startOver.isVisible()) await startOver.click();
    await expect(signInHeading).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 20_000 });
}

/** The newest demo text message's code (the demo carrier records every message). */
export function latestCode(app: AdminApp): string {
  const text = app.portal.app.demoSms?.list(1)[0]?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the demo carrier's last message: ${JSON.stringify(text)}`);
  return code;
}

export async function enterCredentials(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
}

/** Email + password, "Send code", the code from the demo carrier, Verify. */
export async function signIn(page: Page, app: AdminApp, account = ADMIN): Promise<void> {
  await openApp(page, app);
  await enterCredentials(page, account);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('6-digit code')).toBeVisible();
  await page.getByLabel('6-digit code').fill(latestCode(app));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Admin → Manage Employees, then waits for the whole list. */
export async function openManageEmployees(page: Page): Promise<Locator> {
  // "Admin" for admins, "Employees" for everyone else.
  await page.getByRole('tab', { name: /^(Admin|Employees)$/ }).click();
  await page.getByRole('menuitem', { name: 'Manage Employees' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Employees' })).toBeVisible();
  await expect(page.getByTestId('employees-loading')).toHaveCount(0);
  return page.getByRole('grid', { name: 'Employees' });
}

/** Finds an employee through the portal's API (as an admin of their company). */
export async function employeeByEmail(app: AdminApp, email: string, asAdmin = ADMIN.email): Promise<Employee> {
  const token = tokenFor(app.portal, asAdmin);
  const response = await portalRequest(app.portal, 'GET', `/api/v1/employees?q=${encodeURIComponent(email)}&limit=10`, { token });
  const items = (response.body as { items?: Employee[] } | undefined)?.items ?? [];
  const found = items.find((employee) => employee.email === email);
  if (!found) throw new Error(`no employee ${email} on the portal (status ${response.status})`);
  return found;
}

export async function employeeById(app: AdminApp, id: string, asAdmin = ADMIN.email): Promise<Employee> {
  const response = await portalRequest(app.portal, 'GET', `/api/v1/employees/${id}`, { token: tokenFor(app.portal, asAdmin) });
  if (response.status !== 200) throw new Error(`GET employee ${id}: ${response.status}`);
  return response.body as Employee;
}

/** Changes a number behind the app's back, through the portal's API (as another admin session). */
export async function changeOnPortal(app: AdminApp, employee: Employee, cellPhone: string): Promise<Employee> {
  const response = await portalRequest(app.portal, 'PATCH', `/api/v1/employees/${employee.id}`, {
    token: tokenFor(app.portal, ADMIN.email),
    body: { cellPhone },
    headers: { 'if-match': `"${employee.version}"`, 'idempotency-key': randomUUID() },
  });
  if (response.status !== 200) throw new Error(`PATCH employee ${employee.id}: ${response.status} ${response.text}`);
  return response.body as Employee;
}

/** The page's document as seen from a test (the e2e tsconfig has no DOM types). */
export interface PageDocument {
  document: { querySelectorAll(selector: string): { length: number } };
}

/** Waits until no Vue transition is running (a dialog fading in, a message sliding). */
export async function waitForTransitions(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as PageDocument;
    return document.querySelectorAll('[class*="-enter-active"], [class*="-leave-active"]').length === 0;
  });
}

/**
 * A screenshot without animations, once nothing is mid-transition (TOOLCHAIN P10).
 *
 * Written to test-results/screenshots/<name>.png (ignored, inspectable after a run). The committed
 * images in docs/screenshots/ change only on purpose: run with UPDATE_SCREENSHOTS=1, e.g.
 * `UPDATE_SCREENSHOTS=1 npx playwright test test/e2e/admin-sign-in.spec.ts`, so that an ordinary
 * (CI) run never dirties the working tree.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await waitForTransitions(page);
  await page.screenshot({ path: screenshotPath(name), animations: 'disabled' });
}

export function screenshotPath(name: string, environment: NodeJS.ProcessEnv = process.env): string {
  const folder = environment.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
  return `${folder}/${name}.png`;
}

/** A few ordinary employees of Acme (not the sign-in accounts), from the portal's API. */
export async function someEmployees(app: AdminApp, count: number, filter: (employee: Employee) => boolean = () => true): Promise<Employee[]> {
  const response = await portalRequest(app.portal, 'GET', '/api/v1/employees?limit=200', { token: tokenFor(app.portal, ADMIN.email) });
  const items = ((response.body as { items?: Employee[] } | undefined)?.items ?? []).filter(
    (employee) => !employee.email.endsWith('@acme.test') || !/^(admin|tech|totp|locked)@/.test(employee.email),
  );
  const chosen = items.filter(filter).slice(0, count);
  if (chosen.length < count) throw new Error(`only ${chosen.length} employees match`);
  return chosen;
}

export const fullName = (employee: Employee): string => `${employee.firstName} ${employee.lastName}`;

/** Narrows the grid to one employee by email, so that their row is in view. */
export async function findRow(page: Page, employee: Employee): Promise<Locator> {
  await page.getByRole('searchbox', { name: 'Search employees' }).fill(employee.email);
  const grid = page.getByRole('grid', { name: 'Employees' });
  const row = grid.getByRole('row', { name: new RegExp(escapeRegExp(fullName(employee))) });
  await expect(row).toHaveCount(1);
  return row;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Presses Tab until `target` has the keyboard focus. */
export async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

export async function isFocused(target: Locator): Promise<boolean> {
  if ((await target.count()) === 0) return false;
  return target.evaluate((element) => element === element.ownerDocument.activeElement);
}
