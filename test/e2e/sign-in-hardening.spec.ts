/**
 * What an administrator sees of the sign-in hardening: the message of a sign-in locked after 100
 * wrong codes in a row, "Locked out" in the grid and Unlock sign-in in Edit Employee, and the
 * step-up prompt ("Confirm it is you") over a save when the second factor is over 2 hours old —
 * after which the same save finishes by itself. The lock and the age of the second factor are set
 * in the portal's database (100 wrong codes and a 2-hour wait are the security tests' business).
 */
import { expect, test } from '@playwright/test';
import {
  ADMIN,
  employeeById,
  employeeByEmail,
  findRow,
  fullName,
  latestCode,
  openApp,
  openManageEmployees,
  screenshot,
  signIn,
  someEmployees,
  useAdminApp,
  TECH,
  type AdminApp,
} from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

const lockTech = () => app.portal.db.prepare('UPDATE employees SET sign_in_locked_at = ?, wrong_codes = 100 WHERE email = ?').run(new Date().toISOString(), TECH.email);

test('a sign-in locked by wrong codes says whom to ask; the admin sees Locked out and unlocks it', async ({ page }) => {
  lockTech();
  await openApp(page, app);
  await page.getByLabel('Email').fill(TECH.email);
  await page.getByLabel('Password', { exact: true }).fill(TECH.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Too many wrong codes. Ask your administrator to unlock your sign-in.')).toBeVisible();
  await screenshot(page, 'locked-out');

  await signIn(page, app, ADMIN);
  await openManageEmployees(page);
  const tech = await employeeByEmail(app, TECH.email);
  const row = await findRow(page, tech);
  await expect(row).toContainText('Locked out');
  await page.getByRole('checkbox', { name: 'Needs attention' }).check();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Edit ${fullName(tech)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog.getByTestId('unlock-sign-in')).toContainText('Locked out: too many wrong codes in a row.');
  await screenshot(page, 'unlock-sign-in');
  await dialog.getByRole('button', { name: 'Unlock sign-in' }).click();
  await expect(dialog).toContainText('Sign-in unlocked.');
  const stored = app.portal.db.prepare('SELECT sign_in_locked_at, wrong_codes FROM employees WHERE email = ?').get(TECH.email);
  expect(stored).toEqual({ sign_in_locked_at: null, wrong_codes: 0 });
});

test('a save with a second factor over 2 hours old asks for a code on top of Edit Employee, then finishes by itself', async ({ page }) => {
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone?.startsWith('+1') === true);
  await signIn(page, app, ADMIN);
  await openManageEmployees(page);
  // The admin's sessions verified their second factor 3 hours ago.
  app.portal.db.prepare("UPDATE token_families SET auth_time = ? WHERE employee_id = (SELECT id FROM employees WHERE email = ?)").run(
    new Date(Date.now() - 3 * 60 * 60_000).toISOString(), ADMIN.email);

  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await dialog.getByLabel('Cell Phone Number').fill('212 555 0166');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();

  const prompt = page.getByRole('dialog').filter({ hasText: 'Confirm it is you' });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByRole('button', { name: 'Send code' })).toBeVisible();
  await screenshot(page, 'step-up-prompt');
  await prompt.getByRole('button', { name: 'Send code' }).click();
  await prompt.getByLabel('6-digit code').fill(latestCode(app));
  await prompt.getByRole('button', { name: 'Confirm and continue' }).click();

  // No second click on Save Changes: the same save went through.
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`Saved. ${fullName(employee!)}’s cell phone number is now +1 212 555 0166.`);
  expect((await employeeById(app, employee!.id)).cellPhone).toBe('+12125550166');
});
