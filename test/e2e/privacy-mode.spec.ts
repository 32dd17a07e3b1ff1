/**
 * Privacy mode end to end (browser mode, a real portal): the switch in the top bar masks every
 * number in the grid, the Edit Employee window, its history and the messages; Show number reveals
 * one row for 30 seconds (Playwright's fake clock) or until the window loses focus; search by
 * digits still finds the row; Export CSV asks first; the setting survives a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import { formatInternational, maskPhoneForScreen } from '../../common/phone';
import { portalRequest, tokenFor } from '../support/portal';
import { ADMIN, findRow, fullName, openManageEmployees, screenshot, signIn, someEmployees, startAdminApp, tabTo, type AdminApp } from './support/admin-app';
import { networkChanged, rowOf, useOfflineSetup } from './support/offline-app';

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

/*
 * The Outbox in privacy mode, with its own portal (it goes away and comes back) and profile: a draft
 * made while the portal is away shows masked in the grid and the Outbox; after someone else changed
 * the number meanwhile, the conflict view (base / mine / portal's now) is masked too. Then the same
 * Outbox in German (the language menu), resolved there.
 */
test.describe('the Outbox in privacy mode', () => {
  const setup = useOfflineSetup('portal-admin-privacy-outbox-');
  // Sign-in, sync and the encrypted writes take their time on a busy machine.
  const slow = expect.configure({ timeout: 30_000 });

  test('a draft’s number and the conflict view are masked; in German too', async ({ page }) => {
    test.setTimeout(240_000);
    const portal = () => setup.portal.current();
    const seeded = (await portalRequest(portal(), 'GET', '/api/v1/employees?limit=100', { token: tokenFor(portal(), ADMIN.email) })).body as { items: Employee[] };
    const target = seeded.items.find((candidate) => candidate.cellPhone?.startsWith('+1') && !/^(admin|tech|totp|locked)@/.test(candidate.email))!;
    const mine = '+12125550174';
    const theirs = '+12125550184';
    const people = [target, { ...target, cellPhone: mine }, { ...target, cellPhone: theirs }];

    await page.goto(setup.web.host.newPageUrl());
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('checkbox', { name: 'Keep an offline copy on this computer' }).check();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Send code' }).click({ timeout: 30_000 });
    await page.getByLabel('6-digit code').fill(setup.latestCode(), { timeout: 30_000 });
    await page.getByRole('button', { name: 'Verify' }).click();
    await slow(privacySwitch(page)).toBeVisible();
    await privacySwitch(page).click();
    await slow(privacySwitch(page)).toHaveAttribute('aria-pressed', 'true');
    await openManageEmployees(page);

    // The portal goes away; a draft is saved.
    await setup.portal.stop();
    await networkChanged(page, 'offline');
    await slow(page.getByTestId('offline-banner')).toBeVisible();
    const row = await rowOf(page, target);
    await row.getByRole('button', { name: `Edit ${fullName(target)}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
    await dialog.getByLabel('Cell Phone Number').fill(mine);
    await dialog.getByRole('button', { name: 'Save as draft' }).click();
    await slow(dialog).toBeHidden({ timeout: 15_000 });
    await slow(row.getByTestId('draft-mine-value')).toHaveText(maskPhoneForScreen(mine)!);
    await slow(row.getByRole('img', { name: `Draft: ${maskPhoneForScreen(mine)}, not yet synced` })).toBeVisible();
    await expectNoFullNumber(page, people);

    // In the Outbox: from → to, both masked.
    await page.getByRole('button', { name: 'Outbox, 1 unsynced draft' }).click();
    const item = page.getByTestId('outbox-draft');
    await slow(item.getByTestId('outbox-mine-value')).toHaveText(`to ${maskPhoneForScreen(mine)}`);
    await slow(item.getByTestId('outbox-base-value')).toHaveText(`From ${maskPhoneForScreen(target.cellPhone)}`);
    await expectNoFullNumber(page, people);

    // Someone else changes the number meanwhile; the portal comes back and sync finds the conflict.
    await setup.portal.start();
    const current = await setup.employee(target.id);
    const changed = await portalRequest(portal(), 'PATCH', `/api/v1/employees/${target.id}`, {
      token: tokenFor(portal(), ADMIN.email),
      body: { cellPhone: theirs },
      headers: { 'if-match': `"${current.version}"`, 'idempotency-key': crypto.randomUUID() },
    });
    expect(changed.status).toBe(200);
    await networkChanged(page, 'online');
    const conflict = item.getByTestId('draft-conflict');
    await slow(conflict).toBeVisible({ timeout: 60_000 });
    await slow(conflict.getByTestId('conflict-base-value')).toHaveText(maskPhoneForScreen(target.cellPhone)!);
    await slow(conflict.getByTestId('conflict-mine-value')).toHaveText(maskPhoneForScreen(mine)!);
    await slow(conflict.getByTestId('conflict-portal-value')).toHaveText(maskPhoneForScreen(theirs)!);
    await expectNoFullNumber(page, people);

    // The same Outbox in German: its words, still masked; resolved there.
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitemradio', { name: 'Deutsch' }).click();
    await slow(page.getByRole('heading', { name: 'Postausgang', level: 1 })).toBeVisible();
    await slow(conflict.getByRole('heading')).toHaveText('Die Nummer im Portal hat sich geändert, nachdem Sie Ihren Entwurf angelegt haben');
    await slow(conflict.locator('dt')).toHaveText(['Ihre Ausgangsnummer', 'Ihre', 'Jetzt im Portal']);
    await slow(item.getByTestId('outbox-state')).toHaveText('Konflikt');
    await slow(conflict).toContainText(/im Portal geändert von .+, \d\d\.\d\d\.\d{4}, \d\d:\d\d/);
    await expectNoFullNumber(page, people);
    await page.mouse.move(0, 0);
    await screenshot(page, 'outbox-conflict-de');

    await conflict.getByRole('button', { name: 'Meine Nummer trotzdem übernehmen' }).click();
    await slow(page.getByTestId('outbox-empty')).toHaveText('Keine nicht gesendeten Entwürfe.', { timeout: 30_000 });
    await slow(page.getByTestId('applied-change')).toContainText(`übernommen am`);
    await slow(page.getByTestId('applied-change')).toContainText(maskPhoneForScreen(mine)!);
    expect((await setup.employee(target.id)).cellPhone).toBe(mine);
    await expectNoFullNumber(page, people);
  });
});
