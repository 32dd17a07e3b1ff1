/**
 * Privacy mode end to end (browser mode, a real portal): the switch in the top bar masks every
 * number in the grid, the Edit Employee window, its history and the messages; Show number reveals
 * one row for 30 seconds (Playwright's fake clock) or until the window loses focus; search by
 * digits still finds the row; Export CSV asks first; the setting survives a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import { formatInternational, maskPhoneForScreen } from '../../common/phone';
import { findRow, fullName, openManageEmployees, screenshot, signIn, someEmployees, startAdminApp, tabTo, type AdminApp } from './support/admin-app';

// A busy machine: the portal and the browser-mode host start slowly, and sign-in takes a few round trips.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let app: AdminApp;
let employees: Employee[];
test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = await startAdminApp();
  employees = await someEmployees(app, 60, (candidate) => candidate.cellPhone?.startsWith('+1') === true);
});
test.afterAll(async () => {
  await app?.close();
});

/** Every way a full number of these employees could appear in text: formatted, E.164, bare digits. */
function fullForms(people: readonly Employee[]): string[] {
  return people.flatMap((person) => (person.cellPhone ? [formatInternational(person.cellPhone), person.cellPhone, person.cellPhone.slice(1)] : []));
}

async function expectNoFullNumber(page: Page, people: readonly Employee[] = employees): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const form of fullForms(people)) expect(text, `the page shows ${form}`).not.toContain(form);
  // And no run of 7 or more digits at all (a number the list above does not know).
  expect(text.replace(/[ \u00a0-]/g, '')).not.toMatch(/\d{7,}/);
}

const privacySwitch = (page: Page) => page.getByTestId('privacy-toggle');

test('privacy on: the grid is masked, Show number reveals one row until 30 s pass or the window loses focus, search by digits still works', async ({ page }) => {
  await page.clock.install();
  await signIn(page, app);
  const grid = await openManageEmployees(page);
  await expect(privacySwitch(page)).toHaveAttribute('aria-pressed', 'false');
  await privacySwitch(page).click();
  await expect(privacySwitch(page)).toHaveAttribute('aria-pressed', 'true');
  await expect(grid).toContainText('+1 •••• ••');
  await expectNoFullNumber(page);

  const [ada, bob] = employees as [Employee, Employee];
  const adaFull = formatInternational(ada.cellPhone!);
  const adaMasked = maskPhoneForScreen(ada.cellPhone)!;
  // Search by the digits people read out: the masked row is found.
  await page.getByRole('searchbox', { name: 'Search employees' }).fill(ada.cellPhone!.slice(-7));
  const found = grid.getByRole('row', { name: new RegExp(fullName(ada)) });
  await expect(found).toHaveCount(1);
  await expect(found).toContainText(adaMasked);
  await expect(found).not.toContainText(adaFull);

  // Show number from the keyboard: the row's own button, named for the employee.
  let row = await findRow(page, ada);
  const show = row.getByRole('button', { name: `Show ${fullName(ada)}’s number` });
  await tabTo(page, show);
  await page.keyboard.press('Enter');
  await expect(row).toContainText(adaFull);
  await expect(row.getByRole('button', { name: `Hide ${fullName(ada)}’s number` })).toBeVisible();
  // Only that row: another employee stays masked.
  const other = await findRow(page, bob);
  await expect(other).toContainText(maskPhoneForScreen(bob.cellPhone)!);
  row = await findRow(page, ada);
  await expect(row).toContainText(adaFull);

  // 30 seconds later it is masked again (shown afresh first: the fake clock also moves with real time).
  await row.getByRole('button', { name: `Hide ${fullName(ada)}’s number` }).click();
  await expect(row).toContainText(adaMasked);
  await row.getByRole('button', { name: `Show ${fullName(ada)}’s number` }).click();
  await expect(row).toContainText(adaFull);
  await page.clock.fastForward(20_000);
  await expect(row).toContainText(adaFull);
  await page.clock.fastForward(11_000);
  await expect(row).toContainText(adaMasked);
  await expect(row).not.toContainText(adaFull);

  // The window losing focus masks it at once.
  await row.getByRole('button', { name: `Show ${fullName(ada)}’s number` }).click();
  await expect(row).toContainText(adaFull);
  await page.evaluate(() => (globalThis as unknown as { dispatchEvent(event: Event): boolean }).dispatchEvent(new Event('blur')));
  await expect(row).toContainText(adaMasked);

  // The picture for the README: the list masked, one row shown.
  await page.getByRole('searchbox', { name: 'Search employees' }).fill('');
  const firstRow = grid.getByRole('row').nth(1);
  await firstRow.getByTestId('show-number').click();
  await expect(firstRow.getByTestId('show-number')).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.move(0, 0);
  await screenshot(page, 'privacy-mode-grid');
});

test('after a reload privacy mode is still on; the Edit Employee window, its history and the message after saving are masked; typing shows the new number', async ({ page }) => {
  await page.clock.install();
  await signIn(page, app);
  await expect(privacySwitch(page)).toHaveAttribute('aria-pressed', 'true');
  await openManageEmployees(page);
  const person = employees[2]!;
  const personFull = formatInternational(person.cellPhone!);
  const row = await findRow(page, person);
  await row.getByRole('button', { name: `Edit ${fullName(person)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('on-record')).toContainText(`On record: ${maskPhoneForScreen(person.cellPhone)}`);
  const field = dialog.getByLabel('Cell Phone Number');
  await expect(field).toHaveValue('');
  await expect(field).toHaveAttribute('placeholder', maskPhoneForScreen(person.cellPhone)!);
  await dialog.getByRole('button', { name: 'History of this number' }).click();
  await expect(dialog.getByTestId('number-history')).toContainText(/No changes|→/);
  await expectNoFullNumber(page);
  await page.mouse.move(0, 0);
  await screenshot(page, 'privacy-mode-edit-employee');

  // Show number in the window: the field holds the number on record, until 30 s have passed.
  await dialog.getByRole('button', { name: 'Show number' }).click();
  await expect(field).toHaveValue(personFull);
  await expect(dialog.getByTestId('on-record')).toContainText(personFull);
  await page.clock.fastForward(31_000);
  await expect(field).toHaveValue('');
  await expect(dialog.getByTestId('on-record')).not.toContainText(personFull);

  // Typing a new number shows it in full, and it is saved.
  await field.fill('212 555 0199');
  await expect(field).toHaveValue('212 555 0199');
  await expect(dialog).toContainText('Will be saved as +1 212 555 0199');
  await dialog.getByRole('button', { name: 'Save Changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`Saved. ${fullName(person)}’s cell phone number is now +1 •••• ••0199.`);
  await expect(row).toContainText('+1 •••• ••0199');
  await expectNoFullNumber(page, [...employees, { ...person, cellPhone: '+12125550199' }]);
});

test('Export CSV while privacy mode is on asks first; Cancel saves nothing', async ({ page }) => {
  await signIn(page, app);
  await openManageEmployees(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const confirm = page.getByRole('dialog', { name: 'Export full numbers?' });
  await expect(confirm).toContainText('The file will contain full numbers.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(downloads).toBe(0);
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const exporting = page.waitForEvent('download');
  await confirm.getByRole('button', { name: 'Export' }).click();
  expect((await exporting).suggestedFilename()).toMatch(/^employees-.*\.csv$/);

  // Off again: numbers in full, and no question before exporting.
  await privacySwitch(page).click();
  await expect(privacySwitch(page)).toHaveAttribute('aria-pressed', 'false');
  const person = employees[1]!;
  await expect(await findRow(page, person)).toContainText(formatInternational(person.cellPhone!));
  const again = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await again;
  await expect(confirm).toBeHidden();
});
