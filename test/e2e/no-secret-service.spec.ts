/**
 * The procedure in browser mode on a machine without a Secret Service: the product's keychain
 * (`os`, the Secret Service pinned on Linux) with no D-Bus session bus to reach it. The keyring
 * library reads the bus address at its first use, so the address is broken before anything runs,
 * and this file gets a worker process of its own (the launch option below differs from every other
 * spec's, and Playwright never shares a worker between different worker options). The address is
 * broken in beforeAll, inside that worker, never when the file loads: the runner loads every spec
 * file first, and the workers it starts afterwards would inherit a broken bus.
 */
import { expect, test } from '@playwright/test';
import { createCredentialStore } from '../../electron/main/infra/credential-store';
import { findRow, fullName, latestCode, openApp, openManageEmployees, screenshot, signIn, someEmployees, startAdminApp, ADMIN, type AdminApp } from './support/admin-app';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=en-US'] } });

let app: AdminApp;
let busBefore: string | undefined;
test.beforeAll(async () => {
  busBefore = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/portal-admin-test-bus';
  app = await startAdminApp({}, { keychain: 'os' });
});
test.afterAll(async () => {
  await app?.close();
  if (busBefore === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = busBefore;
});

function liveFamilies(email: string): number {
  const row = app.portal.db
    .prepare('SELECT count(*) AS live FROM token_families f JOIN employees e ON e.id = f.employee_id WHERE e.email = ? AND f.revoked_at IS NULL')
    .get(email) as { live: number };
  return row.live;
}

test.skip(process.platform !== 'linux', 'the Secret Service is the Linux keychain');

test('no Secret Service: Remember me says it cannot remember, the procedure works, sign-out ends the session everywhere and says what it could not clear', async ({ page }) => {
  await expect(createCredentialStore({ kind: 'os' }).getPassword('Portal Admin', 'probe')).rejects.toMatchObject({ code: 'keychain_unavailable' });
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone?.startsWith('+1') === true);

  // The test's own API calls (someEmployees) hold sessions of their own: count the app's.
  const othersLive = liveFamilies(ADMIN.email);
  await openApp(page, app);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Remember me on this computer').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('6-digit code').fill(latestCode(app));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByTestId('snackbar')).toContainText('this sign-in will not be remembered');
  await page.getByTestId('snackbar').getByRole('button', { name: 'Dismiss' }).click();

  await openManageEmployees(page);
  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await dialog.getByLabel('Cell Phone Number').fill('+1 212 555 0139');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();
  await expect(row).toContainText('+1 212 555 0139');

  expect(liveFamilies(ADMIN.email)).toBe(othersLive + 1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(/You are signed out\. The system keychain could not be reached/)).toBeVisible();
  expect(liveFamilies(ADMIN.email)).toBe(othersLive);

  // A reload (a new page of the app) finds nobody signed in.
  await page.goto(app.web.host.newPageUrl());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

for (const [width, height] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  test(`no Secret Service at ${width} × ${height}: Needs attention says why, No results offers Clear filters`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await signIn(page, app);
    const grid = await openManageEmployees(page);
    const attention = page.getByRole('checkbox', { name: /^Needs attention \(\d[\d,]*\)$/ });
    await attention.check();
    await expect(grid.getByTestId('attention-reasons').first()).toHaveAttribute('title', /^Needs attention: /);
    await screenshot(page, `no-secret-service-needs-attention-${width}`);
    await page.getByRole('searchbox', { name: 'Search employees' }).fill('nobody by this name');
    const empty = page.getByTestId('no-results');
    await expect(empty.getByRole('button', { name: 'Clear filters' })).toBeVisible();
    await screenshot(page, `no-secret-service-no-results-${width}`);
    await empty.getByRole('button', { name: 'Clear filters' }).click();
    await expect(attention).not.toBeChecked();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });
}
