/**
 * axe-core on the three screens an administrator uses (sign-in, the grid, the Edit Employee
 * window), in the light and the dark theme: no serious or critical violations. Also the grid's
 * screenshots, light and dark (the theme follows the OS: prefers-color-scheme).
 */
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { ADMIN, enterCredentials, findRow, fullName, openApp, openManageEmployees, screenshot, signIn, someEmployees, useAdminApp, type AdminApp } from './support/admin-app';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme, viewport: { width: 1280, height: 800 } });

    test('sign-in and second factor: no serious or critical axe violations', async ({ page }) => {
      await openApp(page, app);
      expect(await seriousViolations(page)).toEqual([]);
      await enterCredentials(page, ADMIN);
      await page.getByRole('button', { name: 'Send code' }).click();
      await expect(page.getByLabel('6-digit code')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Manage Employees grid and the Edit Employee window: no serious or critical axe violations', async ({ page }) => {
      const [employee] = await someEmployees(app, 1, (candidate) => candidate.cellPhone !== null);
      await signIn(page, app);
      const grid = await openManageEmployees(page);
      await expect(grid.getByRole('row').nth(5)).toBeVisible();
      await screenshot(page, `grid-${colorScheme}`);
      expect(await seriousViolations(page)).toEqual([]);

      // With filters in use as well (chips, empty state).
      await page.getByRole('checkbox', { name: 'Needs attention' }).check();
      await expect(page.getByTestId('employee-count')).toHaveText(/ of /);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('checkbox', { name: 'Needs attention' }).uncheck();

      const row = await findRow(page, employee!);
      await row.getByRole('button', { name: `Edit ${fullName(employee!)}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
      await dialog.getByLabel('Cell Phone Number').fill('+44 20 7946 0000');
      await expect(dialog.getByTestId('landline-warning')).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Save Changes' })).toBeEnabled();
      await screenshot(page, `edit-employee-${colorScheme}`);
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByLabel('Cell Phone Number').fill('0');
      await expect(dialog.getByText('This is not a valid phone number. Check the digits and the country.')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}
