/**
 * The administrator's procedure, word for word: Admin → Manage Employees → the pencil on the
 * employee's row → Edit Employee → Cell Phone Number → Save Changes; then the number in the row and
 * from the portal's own API. Also: refusals with their messages and nothing saved, a conflict made
 * through the API while the window is open, and a non-admin who sees no pencil.
 */
import { expect, test } from '@playwright/test';
import { explainPhoneRefusal, type PhoneReason } from '../../common/phone';
import {
  TECH,
  changeOnPortal,
  employeeById,
  findRow,
  fullName,
  openManageEmployees,
  screenshot,
  signIn,
  someEmployees,
  useAdminApp,
  type AdminApp,
} from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

test('Admin → Manage Employees → pencil → Edit Employee → Cell Phone Number → Save Changes', async ({ page }) => {
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone?.startsWith('+1') === true);
  await signIn(page, app);

  await page.getByRole('tab', { name: 'Admin' }).click();
  await page.getByRole('menuitem', { name: 'Manage Employees' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Employees' })).toBeVisible();
  await expect(page.getByTestId('employees-loading')).toHaveCount(0);
  await expect(page.getByTestId('employee-count')).toHaveText(/^\d[\d,]* employees$/);

  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();

  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(employee!.email);
  const field = dialog.getByLabel('Cell Phone Number');
  await expect(field).toBeFocused();
  // A national number, read in the number's own country (the United States here).
  await field.fill('212 555 0177');
  await expect(dialog).toContainText('Will be saved as +1 212 555 0177');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`Saved. ${fullName(employee!)}’s cell phone number is now +1 212 555 0177.`);
  await expect(row).toContainText('+1 212 555 0177');
  const stored = await employeeById(app, employee!.id);
  expect(stored.cellPhone).toBe('+12125550177');
  expect(stored.version).toBe(employee!.version + 1);
});

test('invalid numbers are refused with their messages, and nothing is saved', async ({ page }) => {
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone !== null);
  await signIn(page, app);
  await openManageEmployees(page);
  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  const field = dialog.getByLabel('Cell Phone Number');
  const save = dialog.getByRole('button', { name: 'Save Changes' });
  await expect(save).toBeDisabled();

  const refusals: [string, PhoneReason][] = [
    ['911', 'invalid'],
    ['+1 900 555 0100', 'unreachable_type'],
    ['+1 212 555 0100 ext. 12', 'extension_not_allowed'],
    ['1-800-FLOWERS', 'invalid'],
    ['<img src=x onerror=alert(1)>', 'invalid'],
    ['+1' + '0'.repeat(260), 'too_long'],
    ['', 'required'],
  ];
  for (const [input, reason] of refusals) {
    await field.fill(input);
    await expect(dialog.getByText(explainPhoneRefusal(input, 'US', reason), { exact: true })).toBeVisible();
    await expect(save).toBeDisabled();
    await field.press('Enter');
  }
  await expect(dialog).toBeVisible();
  await field.fill('+1 900 555 0100');
  await screenshot(page, 'edit-employee-validation');

  await field.press('Escape');
  await expect(dialog.getByRole('alertdialog')).toContainText('Discard your changes?');
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await expect(dialog).toBeHidden();
  const stored = await employeeById(app, employee!.id);
  expect(stored.cellPhone).toBe(employee!.cellPhone);
  expect(stored.version).toBe(employee!.version);
});

test('a conflict made through the API while the window is open: apply mine on top, or keep the portal’s', async ({ page }) => {
  const [first, second] = await someEmployees(app, 2, (candidate) => candidate.cellPhone !== null);
  await signIn(page, app);
  await openManageEmployees(page);
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });

  // 1. Apply mine on top.
  let row = await findRow(page, first!);
  await row.getByRole('button', { name: `Edit ${fullName(first!)}` }).click();
  await dialog.getByLabel('Cell Phone Number').fill('+44 7400 123457');
  const theirs = await changeOnPortal(app, first!, '+447400123458');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();
  const panel = dialog.getByTestId('conflict-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('conflict-portal-value')).toHaveText('+44 7400 123458');
  await expect(panel.getByTestId('conflict-mine-value')).toHaveText('+44 7400 123457');
  await screenshot(page, 'edit-employee-conflict');
  await panel.getByRole('button', { name: 'Apply mine on top' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('+44 7400 123457');
  const afterMine = await employeeById(app, first!.id);
  expect(afterMine).toMatchObject({ cellPhone: '+447400123457', version: theirs.version + 1 });

  // 2. Keep the portal's.
  row = await findRow(page, second!);
  await row.getByRole('button', { name: `Edit ${fullName(second!)}` }).click();
  await dialog.getByLabel('Cell Phone Number').fill('+44 7400 123459');
  const portalCopy = await changeOnPortal(app, second!, '+447400123460');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();
  await dialog.getByRole('button', { name: 'Keep the portal’s' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('+44 7400 123460');
  expect(await employeeById(app, second!.id)).toMatchObject({ cellPhone: '+447400123460', version: portalCopy.version });
});

test('a non-admin sees the list (numbers masked) but no pencil', async ({ page }) => {
  await signIn(page, app, TECH);
  await expect(page.getByRole('tab', { name: 'Admin' })).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Employees' })).toBeVisible();
  const grid = await openManageEmployees(page);
  await expect(grid.getByRole('row').nth(1)).toBeVisible();
  await expect(grid.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(grid.getByRole('columnheader', { name: 'Edit' })).toHaveCount(0);
  await expect(grid).toContainText('••••');
  await grid.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
