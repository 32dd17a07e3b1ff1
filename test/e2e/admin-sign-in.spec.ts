/**
 * Signing in as the administrator does it: password, then a second factor. A wrong code says how
 * many attempts are left, "Send a new code" counts down its cooldown, and signing out returns to
 * the sign-in page (and ends the session on the portal).
 */
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { ADMIN, enterCredentials, latestCode, openApp, screenshot, screenshotPath, useAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

/**
 * The admin's token families on the portal (one per sign-in). The tokens themselves never reach
 * the page (main holds them, by design), so whether a session was ended is read from the portal.
 */
function adminSessions(): { id: string; revokedAt: string | null }[] {
  const admin = app.portal.db.prepare('SELECT id FROM employees WHERE email = ?').get(ADMIN.email) as { id: string } | undefined;
  if (!admin) throw new Error(`no seeded user ${ADMIN.email}`);
  return app.portal.db
    .prepare('SELECT id, revoked_at AS revokedAt FROM token_families WHERE employee_id = ?')
    .all(admin.id) as { id: string; revokedAt: string | null }[];
}

test('sign-in page: remember-me is off by default; a wrong password is said in plain words', async ({ page }) => {
  await openApp(page, app);
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByRole('checkbox', { name: 'Remember me on this computer' })).not.toBeChecked();
  await screenshot(page, 'sign-in');
  // An ordinary run leaves the committed docs/screenshots alone (UPDATE_SCREENSHOTS=1 refreshes them).
  expect(screenshotPath('sign-in', {})).toBe('test-results/screenshots/sign-in.png');
  expect(screenshotPath('sign-in', { UPDATE_SCREENSHOTS: '1' })).toBe('docs/screenshots/sign-in.png');
  expect(existsSync(screenshotPath('sign-in'))).toBe(true);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is not right.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});

test('second factor: wrong code with attempts left, the resend countdown, then signed in and out', async ({ page }) => {
  await openApp(page, app);
  const earlierSessions = new Set(adminSessions().map((session) => session.id));
  const thisSession = () => adminSessions().filter((session) => !earlierSessions.has(session.id));
  await enterCredentials(page, ADMIN);
  await expect(page.getByRole('radio', { name: 'Text message' })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Send code' })).toBeFocused();
  await page.getByRole('button', { name: 'Send code' }).click();

  const code = page.getByLabel('6-digit code');
  await expect(code).toBeFocused();
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  await expect(page.getByText(/We sent a 6-digit code by text message to/)).toBeVisible();

  // The cooldown: "Send a new code" stays disabled while a visible countdown runs.
  const resend = page.getByRole('button', { name: 'Send a new code' });
  await expect(resend).toBeDisabled();
  const countdown = page.getByTestId('resend-countdown');
  await expect(countdown).toHaveText(/You can ask for a new code in 0:(2\d|30)$/);
  const before = Number(/0:(\d\d)/.exec((await countdown.textContent()) ?? '')?.[1]);
  await expect.poll(async () => Number(/0:(\d\d)/.exec((await countdown.textContent()) ?? '')?.[1]), { timeout: 5_000 }).toBeLessThan(before);
  await screenshot(page, 'second-factor');

  const right = latestCode(app);
  const wrong = right === '000000' ? '111111' : '000000';
  await code.fill(wrong);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That code is not right. 4 attempts left.')).toBeVisible();
  await expect(code).toHaveValue('');
  await expect(code).toBeFocused();

  await code.fill(right);
  await code.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN.name);
  await expect(page.getByRole('heading', { name: 'Welcome, Alex' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Online' })).toHaveText('Online');
  // Signed in: one new session on the portal, open.
  expect(thisSession()).toEqual([expect.objectContaining({ revokedAt: null })]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  // ...and ended on the portal, not only forgotten here: its token family is revoked.
  await expect.poll(() => thisSession().map((session) => session.revokedAt !== null)).toEqual([true]);
  expect(adminSessions().filter((session) => session.revokedAt === null)).toEqual([]);
  const state = await page.evaluate(() => (globalThis as unknown as { portal: { auth: { getState(input: object): Promise<unknown> } } }).portal.auth.getState({}));
  expect(state).toMatchObject({ ok: true, value: { signedIn: false, user: null } });
});

test('pasting a whole code (with spaces) into the code field works', async ({ page }) => {
  await openApp(page, app);
  await enterCredentials(page, ADMIN);
  // A new sign-in has its own challenge: wait out nothing, the first send is allowed at once.
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = page.getByLabel('6-digit code');
  const digits = latestCode(app);
  await code.focus();
  await page.evaluate((text) => {
    const scope = globalThis as unknown as {
      document: { activeElement: { dispatchEvent(event: unknown): boolean } };
      ClipboardEvent: new (type: string, init: object) => unknown;
      DataTransfer: new () => { setData(type: string, value: string): void };
    };
    const data = new scope.DataTransfer();
    data.setData('text/plain', text);
    scope.document.activeElement.dispatchEvent(new scope.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, `${digits.slice(0, 3)} ${digits.slice(3)}`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
