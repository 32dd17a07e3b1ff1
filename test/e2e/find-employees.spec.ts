/**
 * Finding employees in a GB company, end to end: a number typed the way it is dialled at home
 * (national format) finds the employee, digits alone still do; Needs attention says why and counts
 * before it is ticked; "No results" offers Clear filters. At the app's minimum window and full HD.
 */
import { expect, test } from '@playwright/test';
import type { Employee } from '../../common/api';
import { portalRequest, tokenFor } from '../support/portal';
import { escapeRegExp, fullName, openManageEmployees, screenshot, signIn, startAdminApp, type AdminApp } from './support/admin-app';

const GLOBEX_ADMIN = { email: 'admin@globex.test', password: 'globex-admin-demo', name: 'Priya Shah' };

let app: AdminApp;
test.beforeAll(async () => {
  app = await startAdminApp();
});
test.afterAll(async () => {
  await app?.close();
});

async function globexEmployees(): Promise<Employee[]> {
  const response = await portalRequest(app.portal, 'GET', '/api/v1/employees?limit=500', { token: tokenFor(app.portal, GLOBEX_ADMIN.email) });
  return (response.body as { items: Employee[] }).items;
}

/** +447800676000 → "07800 676000", as a UK admin types a mobile number. */
function ukNational(e164: string): string {
  const national = `0${e164.slice(3)}`;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

for (const [width, height] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  test(`at ${width} × ${height}: national format search, Needs attention with reasons, Clear filters`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height });
    const target = (await globexEmployees()).find((employee) => employee.cellPhone?.startsWith('+447') && employee.role !== 'admin');
    expect(target, 'a Globex employee with a UK mobile').toBeDefined();
    await signIn(page, app, GLOBEX_ADMIN);
    const grid = await openManageEmployees(page);
    const search = page.getByRole('searchbox', { name: 'Search employees' });
    const targetRow = grid.getByRole('row', { name: new RegExp(escapeRegExp(fullName(target!))) });

    // "07xxx xxxxxx" finds +44 7xxx xxxxxx; the digits as stored still do.
    await search.fill(ukNational(target!.cellPhone!));
    await expect(targetRow).toHaveCount(1);
    await search.fill(target!.cellPhone!.slice(-6));
    await expect(targetRow).toHaveCount(1);
    await search.fill('');

    // Needs attention: counted before it is ticked; each row says why.
    const attention = page.getByRole('checkbox', { name: /^Needs attention \(\d[\d,]*\)$/ });
    await expect(attention).toBeVisible();
    await attention.check();
    const rows = grid.locator('.grid__body [role="row"]');
    await expect(rows.first()).toBeVisible();
    const shown = await rows.count();
    await expect(grid.getByTestId('attention-reasons')).toHaveCount(shown);
    await expect(grid.getByTestId('attention-reasons').first()).toHaveAttribute('title', /^Needs attention: /);
    await screenshot(page, `needs-attention-${width}`);

    // Nothing matches: the way back is one click.
    await search.fill('nobody by this name');
    const empty = page.getByTestId('no-results');
    await expect(empty).toContainText('No employees match the search and filters.');
    await screenshot(page, `no-results-${width}`);
    await empty.getByRole('button', { name: 'Clear filters' }).click();
    await expect(search).toHaveValue('');
    await expect(page.getByRole('checkbox', { name: /^Needs attention/ })).not.toBeChecked();
    await expect(empty).toHaveCount(0);
    await expect(grid).toBeFocused();
  });
}
