/**
 * Remove number end to end (UI → main → the reference portal → audit), and the grid at the app's
 * minimum window (1024 × 700) and at 1920 × 1080: the Edit pencil in view without scrolling.
 */
import { expect, test, type Page } from '@playwright/test';
import { auditRows, storedEmployee } from '../support/employees';
import { employeeById, findRow, fullName, openManageEmployees, screenshot, signIn, someEmployees, useAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

/** The first row's pencil lies inside the window and inside the grid's visible box (no sideways scroll needed). */
async function expectPencilInView(page: Page, width: number): Promise<void> {
  const grid = page.getByRole('grid');
  const pencil = grid.getByRole('button', { name: /^Edit / }).first();
  await expect(pencil).toBeVisible();
  const box = (await pencil.boundingBox())!;
  const gridBox = (await grid.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(Math.min(width, gridBox.x + gridBox.width));
  expect(await grid.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  // Last login is shown, not cut off.
  const header = grid.getByRole('columnheader', { name: 'Last login' });
  const headerBox = (await header.boundingBox())!;
  expect(headerBox.x + headerBox.width).toBeLessThanOrEqual(box.x);
}

for (const [width, height] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  test(`at ${width} × ${height} the Edit pencil is in view without scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await signIn(page, app);
    await openManageEmployees(page);
    await expectPencilInView(page, width);
    await screenshot(page, `manage-employees-${width}x${height}`);
  });
}

test('Remove number: the confirmation says what it means for the sign-in; the portal removes and audits it; the grid says "No number"', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone !== null && candidate.twoFactor.status === 'active' && candidate.twoFactor.method === 'sms');
  await signIn(page, app);
  await openManageEmployees(page);
  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog.getByTestId('on-record')).toContainText('On record:');

  await dialog.getByRole('button', { name: 'Remove number' }).click();
  const confirm = dialog.getByRole('alertdialog');
  await expect(confirm).toContainText(`${employee!.firstName} gets sign-in codes on this number`);
  await expect(dialog.getByRole('button', { name: 'Keep the number' })).toBeFocused();
  await screenshot(page, 'edit-employee-remove-number');
  await confirm.getByRole('button', { name: 'Remove number' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`Removed ${fullName(employee!)}’s cell phone number.`);
  await expect(row).toContainText('No number');
  expect((await employeeById(app, employee!.id)).cellPhone).toBeNull();
  expect(storedEmployee(app.portal, employee!.id).cell_phone).toBeNull();
  expect(auditRows(app.portal, employee!.id).at(-1)).toMatchObject({ new_value: null });

  // Needs attention catches it.
  await page.getByLabel('Needs attention').check();
  await expect(row).toBeVisible();
});

test('a sign-out leaves no message about employees on the sign-in page', async ({ page }) => {
  const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone?.startsWith('+1') === true);
  await signIn(page, app);
  await openManageEmployees(page);
  const row = await findRow(page, employee!);
  await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await dialog.getByLabel('Cell Phone Number').fill('+1 212 555 0133');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();
  await expect(page.getByTestId('snackbar')).toContainText('Saved.');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(/cell phone number is now/)).toHaveCount(0);
});
