/**
 * Import phone numbers and Export CSV end to end: a real portal, the browser-mode host with the
 * real services, Chromium. A file is chosen, checked (nothing sent), a conflict is made through the
 * portal's API between the check and Apply, the changes are applied: the grid and the portal hold
 * the numbers and the conflict is listed, not overwritten. Then Export → edit → Import (the round
 * trip), and the import once more with the keyboard alone.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { displayPhone } from '../../renderer/lib/display-phone';
import {
  changeOnPortal,
  employeeById,
  escapeRegExp,
  findRow,
  openManageEmployees,
  screenshot,
  signIn,
  someEmployees,
  useAdminApp,
  tabTo,
  type AdminApp,
} from './support/admin-app';
import { seriousViolations } from './support/axe';

let app: AdminApp;
useAdminApp((started) => {
  app = started;
});

function csvFile(name: string, text: string) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

async function downloadedText(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

/** Clicks "Choose file…" and answers the browser's file chooser. */
async function chooseFile(page: Page, file: ReturnType<typeof csvFile>, press?: 'Enter'): Promise<void> {
  const dialog = page.getByTestId('import-dialog');
  const chooser = page.waitForEvent('filechooser');
  if (press) await page.keyboard.press(press);
  else await dialog.getByRole('button', { name: 'Choose file…' }).click();
  await (await chooser).setFiles(file);
  await expect(dialog.getByTestId('import-file')).toContainText(file.name);
}

test('import a file: check, a conflict made meanwhile, apply; grid and portal hold the numbers', async ({ page }) => {
  test.setTimeout(180_000); // axe-core on a busy machine
  await page.setViewportSize({ width: 1280, height: 860 });
  const people = await someEmployees(app, 5, (employee) => employee.cellPhone !== null);
  const newNumbers = people.map((_, index) => `+1 646 555 ${String(3100 + index)}`);
  const csv = [
    'Email,First name,Cell phone number',
    ...people.map((employee, index) => `${employee.email},${employee.firstName},${newNumbers[index]!}`),
    'nobody@acme.test,Nobody,+1 646 555 0000',
    `${people[0]!.email},${people[0]!.firstName},+1 800 555 0100`,
  ].join('\r\n');

  await signIn(page, app);
  await openManageEmployees(page);
  await page.getByRole('button', { name: 'Import phone numbers…' }).click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByRole('heading', { name: 'Import phone numbers' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Apply/ })).toBeDisabled();

  await chooseFile(page, csvFile('new-numbers.csv', csv));
  await dialog.getByRole('button', { name: 'Check file' }).click();
  await expect(dialog.getByTestId('import-counts')).toHaveText('4 changes, 0 unchanged, 3 errors');
  const changes = dialog.getByTestId('import-changes');
  await expect(changes.getByRole('row')).toHaveCount(1 + 4);
  const second = people[1]!;
  await expect(changes.locator(`[data-employee-id="${second.id}"]`)).toContainText(new RegExp(`${escapeRegExp(displayPhone(second.cellPhone))} → .*${escapeRegExp(displayPhone('+16465553101'))}`));
  const errors = dialog.getByTestId('import-errors');
  await expect(errors).toContainText('Unknown employee: no employee with email “nobody@acme.test” in your company.');
  await expect(errors).toContainText(`Duplicate row for ${people[0]!.firstName} ${people[0]!.lastName}: row 8 has a different number.`);
  // Nothing was sent by the check.
  expect((await employeeById(app, second.id)).cellPhone).toBe(second.cellPhone);
  await screenshot(page, 'import-checked');

  // Someone changes the second person on the portal between the check and Apply.
  await changeOnPortal(app, await employeeById(app, second.id), '+442079460555');

  await dialog.getByRole('button', { name: 'Apply 4 changes' }).click();
  await expect(dialog.getByTestId('import-outcome')).toContainText('3 applied, 1 conflict.');
  await expect(changes.locator(`[data-employee-id="${second.id}"]`)).toHaveAttribute('data-status', 'conflict');
  await expect(changes.locator(`[data-employee-id="${second.id}"]`)).toContainText('Changed on the portal since the check (it now has +44 20 7946 0555); nothing was overwritten.');
  await screenshot(page, 'import-applied');
  // Accessible as the rest of the app: no serious or critical axe findings in the window.
  expect(await seriousViolations(page, '[data-testid="import-dialog"]')).toEqual([]);

  // The result file lists what was applied and what was refused.
  const saving = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save result file' }).click();
  const result = await saving;
  expect(result.suggestedFilename()).toMatch(/^new-numbers-result-\d{4}-\d{2}-\d{2}\.csv$/);
  const resultText = await downloadedText(result);
  expect(resultText).toContain(`${people[2]!.email},'${people[2]!.cellPhone!},'+16465553102,applied,`);
  expect(resultText).toContain(`${second.email},'${second.cellPhone!},'+16465553101,conflict (not applied),`);

  // The portal holds the numbers; the conflicting one keeps the other admin's number.
  for (const index of [2, 3, 4]) expect((await employeeById(app, people[index]!.id)).cellPhone).toBe(newNumbers[index]!.replaceAll(' ', ''));
  expect((await employeeById(app, second.id)).cellPhone).toBe('+442079460555');

  // The grid shows the new numbers.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  const row = await findRow(page, people[3]!);
  await expect(row).toContainText(displayPhone('+16465553103'));
});

test('export the filtered list, edit a number, import it back (the round trip)', async ({ page }) => {
  const [person] = await someEmployees(app, 1, (employee) => employee.cellPhone !== null && employee.twoFactor.status === 'active');
  await signIn(page, app);
  await openManageEmployees(page);
  await page.getByRole('searchbox', { name: 'Search employees' }).fill(person!.lastName);
  const count = await page.getByTestId('employee-count').textContent();
  const shown = Number(/^([\d,]+) of/.exec(count ?? '')?.[1]?.replaceAll(',', ''));
  expect(shown).toBeGreaterThan(0);

  await screenshot(page, 'manage-employees-import-export');
  const exporting = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const exported = await exporting;
  expect(exported.suggestedFilename()).toMatch(/^employees-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await downloadedText(exported);
  const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lines[0]).toBe('Employee ID,First name,Last name,Email,Role,2FA status,Cell phone number,Version,Last login');
  expect(lines).toHaveLength(1 + shown);
  const line = lines.find((candidate) => candidate.startsWith(`${person!.id},`))!;
  // OWASP: the number's leading "+" is neutralised with a quote.
  expect(line).toContain(`,'${person!.cellPhone!},`);

  // Edited in a spreadsheet: one number changed.
  const edited = text.replace(`,'${person!.cellPhone!},`, ",'+16465554242,");
  await page.getByRole('button', { name: 'Import phone numbers…' }).click();
  const dialog = page.getByTestId('import-dialog');
  await chooseFile(page, csvFile('edited.csv', edited));
  await dialog.getByRole('button', { name: /^Check/ }).click();
  await expect(dialog.getByTestId('import-counts')).toHaveText(`1 change, ${shown - 1 - lines.slice(1).filter((l) => /,,\d+,/.test(l)).length} unchanged, ${lines.slice(1).filter((l) => /,,\d+,/.test(l)).length} errors`);
  await dialog.getByRole('button', { name: 'Apply 1 change' }).click();
  await expect(dialog.getByTestId('import-outcome')).toHaveText('1 applied.');
  expect((await employeeById(app, person!.id)).cellPhone).toBe('+16465554242');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the import with the keyboard alone', async ({ page }) => {
  const [person] = await someEmployees(app, 1, (employee) => employee.cellPhone !== null && employee.id.endsWith('7'));
  const keyboard = page.keyboard;
  await signIn(page, app);
  await openManageEmployees(page);

  const open = page.getByRole('button', { name: 'Import phone numbers…' });
  await tabTo(page, open);
  await keyboard.press('Enter');
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByRole('heading', { name: 'Import phone numbers' })).toBeVisible();
  await tabTo(page, dialog.getByRole('button', { name: 'Choose file…' }));
  await chooseFile(page, csvFile('keyboard.csv', `Employee ID;Cell phone number\n${person!.id};(917) 555-0123\n`), 'Enter');
  await tabTo(page, dialog.getByRole('button', { name: 'Check file' }));
  await keyboard.press('Enter');
  await expect(dialog.getByTestId('import-counts')).toHaveText('1 change, 0 unchanged, 0 errors');
  await tabTo(page, dialog.getByRole('button', { name: 'Apply 1 change' }));
  await keyboard.press('Enter');
  await expect(dialog.getByTestId('import-outcome')).toHaveText('1 applied.');
  expect((await employeeById(app, person!.id)).cellPhone).toBe('+19175550123');
  await keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // Export CSV from the keyboard: the file has the new number.
  await tabTo(page, page.getByRole('button', { name: 'Export CSV' }));
  const exporting = page.waitForEvent('download');
  await keyboard.press('Enter');
  expect(await downloadedText(await exporting)).toContain(`${person!.id},`);
  expect(await downloadedText(await exporting)).toContain(",'+19175550123,");
});
