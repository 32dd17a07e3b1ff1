/**
 * The whole procedure with the keyboard alone: sign in with the second factor, Admin → Manage
 * Employees, the grid (arrow keys to the row, Enter), Edit Employee, Cell Phone Number, Enter to
 * save, Esc to leave. No mouse event is sent by this test.
 */
import { expect, test } from '@playwright/test';
import { ADMIN, employeeById, latestCode, tabTo, useAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

test('the whole procedure with the keyboard alone', async ({ page }) => {
  await page.goto(app.web.host.newPageUrl());
  const keyboard = page.keyboard;

  // Sign in: the email field has the focus from the start.
  await expect(page.getByLabel('Email')).toBeFocused();
  await keyboard.type(ADMIN.email);
  await keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await keyboard.type(ADMIN.password);
  await keyboard.press('Enter');

  // Second factor: "Send code" has the focus, then the code field does.
  await expect(page.getByRole('button', { name: 'Send code' })).toBeFocused();
  await keyboard.press('Enter');
  await expect(page.getByLabel('6-digit code')).toBeFocused();
  await keyboard.type(latestCode(app));
  await keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  // Admin → Manage Employees.
  // The tabs are one Tab stop; the arrow keys move between them.
  await tabTo(page, page.getByRole('tab', { name: 'Home' }));
  await keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Admin' })).toBeFocused();
  await keyboard.press('Enter');
  const item = page.getByRole('menuitem', { name: 'Manage Employees' });
  await expect(item).toBeVisible();
  await keyboard.press('ArrowDown');
  await expect(item).toBeFocused();
  await keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Manage Employees' })).toBeVisible();
  await expect(page.getByTestId('employees-loading')).toHaveCount(0);

  // Tab reaches the search, the filters and the grid.
  await tabTo(page, page.getByRole('searchbox', { name: 'Search employees' }));
  await keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Role' })).toBeFocused();
  await keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: '2FA status' })).toBeFocused();
  await keyboard.press('Tab');
  await expect(page.getByRole('checkbox', { name: 'Needs attention' })).toBeFocused();
  const grid = page.getByRole('grid', { name: 'Employees' });
  await tabTo(page, grid);

  // ↑ from the first row reaches the column headers: → and Enter sort by Email, ↓ returns.
  await keyboard.press('ArrowUp');
  await expect(grid).toHaveAttribute('aria-activedescendant', 'grid-header-name');
  await keyboard.press('ArrowRight');
  await expect(grid).toHaveAttribute('aria-activedescendant', 'grid-header-email');
  await keyboard.press('Enter');
  await expect(grid.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'ascending');
  await keyboard.press('ArrowLeft');
  await keyboard.press('Enter');
  await expect(grid.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
  await keyboard.press('ArrowDown');

  // Arrow keys move between rows; the current row is the grid's active descendant.
  await keyboard.press('ArrowDown');
  await keyboard.press('ArrowDown');
  await keyboard.press('ArrowDown');
  await keyboard.press('ArrowUp');
  const activeId = await grid.getAttribute('aria-activedescendant');
  expect(activeId).toMatch(/^employee-row-/);
  const employeeId = activeId!.replace('employee-row-', '');
  const before = await employeeById(app, employeeId);
  const name = `${before.firstName} ${before.lastName}`;
  expect(await page.locator(`#${activeId}`).getAttribute('aria-rowindex')).toBe('4');

  // Tab from the grid reaches the current row's pencil.
  await keyboard.press('Tab');
  await expect(page.getByRole('button', { name: `Edit ${name}` })).toBeFocused();
  await keyboard.press('Shift+Tab');
  await expect(grid).toBeFocused();

  // Enter opens Edit Employee with the Cell Phone Number field focused.
  await keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(name);
  const field = dialog.getByLabel('Cell Phone Number');
  await expect(field).toBeFocused();

  // Esc with nothing typed closes it; the focus returns to the grid.
  await keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(grid).toBeFocused();

  // Again: type a new number; Esc asks first; Esc again keeps editing; Enter saves.
  await keyboard.press('Enter');
  await expect(field).toBeFocused();
  await keyboard.press('ControlOrMeta+a');
  await keyboard.type('+44 7400 123466');
  await expect(dialog).toContainText('Will be saved as +44 7400 123466');
  await keyboard.press('Escape');
  await expect(dialog.getByRole('alertdialog')).toContainText('Discard your changes?');
  await expect(dialog.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await keyboard.press('Escape');
  await expect(dialog.getByRole('alertdialog')).toHaveCount(0);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('+44 7400 123466');
  await keyboard.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`Saved. ${name}’s cell phone number is now +44 7400 123466.`);
  await expect(grid).toBeFocused();
  await expect(page.locator(`#${activeId}`)).toContainText('+44 7400 123466');
  expect(await employeeById(app, employeeId)).toMatchObject({ cellPhone: '+447400123466', version: before.version + 1 });
});
