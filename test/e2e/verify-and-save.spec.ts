/**
 * Safe number changes end to end: Verify and save (the code read from the demo portal's /dev/sms),
 * a wrong code, the employee's notices in /dev/sms and /dev/mail, and the History section reached
 * and opened with the keyboard only.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import { portalRequest } from '../support/portal';
import {
  employeeById,
  findRow,
  fullName,
  isFocused,
  openManageEmployees,
  screenshot,
  signIn,
  someEmployees,
  useAdminApp,
  type AdminApp,
} from './support/admin-app';

let app: AdminApp;
let employee: Employee;
const NEW_NUMBER = '+447400123456';

useAdminApp(async (started) => {
  app = started;
  [employee] = (await someEmployees(app, 1, (candidate) => candidate.cellPhone?.startsWith('+1') === true)) as [Employee];
});

interface DevMessage {
  recipient: string;
  text: string;
  subject?: string;
}

/** What the demo portal "sent", from its demo outboxes over HTTPS, as a newcomer would read them. */
async function devOutbox(path: '/api/v1/dev/sms' | '/api/v1/dev/mail'): Promise<DevMessage[]> {
  const response = await portalRequest(app.portal, 'GET', path);
  expect(response.status).toBe(200);
  return (response.body as { items: DevMessage[] }).items;
}

async function codeSentTo(recipient: string): Promise<string> {
  const message = (await devOutbox('/api/v1/dev/sms')).find((candidate) => candidate.recipient === recipient);
  const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${recipient}`);
  return code;
}

async function openEditor(page: Page) {
  const row = await findRow(page, employee);
  await row.getByRole('button', { name: `Edit ${fullName(employee)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await expect(dialog).toBeVisible();
  return { row, dialog };
}

test('Verify and save: a code to the new number, a wrong code, the right one; the employee is told', async ({ page }) => {
  await signIn(page, app);
  await openManageEmployees(page);
  const { row, dialog } = await openEditor(page);
  await dialog.getByLabel('Cell Phone Number').fill('+44 7400 123 456');
  await dialog.getByRole('button', { name: 'Verify and save' }).click();

  await expect(dialog.getByTestId('verification-sent')).toHaveText(`Code sent to +44 7400 123456. Ask ${employee.firstName} for the code.`);
  const codeField = dialog.getByLabel('6-digit code');
  await expect(codeField).toBeFocused();
  const code = await codeSentTo(NEW_NUMBER);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  await codeField.fill(wrong);
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('That code is not right. 4 tries left.');
  // Nothing was saved by the wrong code.
  expect((await employeeById(app, employee.id)).cellPhone).toBe(employee.cellPhone);
  await screenshot(page, 'edit-employee-verify');

  await codeField.fill(code);
  await dialog.getByRole('button', { name: 'Confirm and save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('snackbar')).toContainText(`${fullName(employee)}’s cell phone number is now +44 7400 123456.`);
  await expect(row).toContainText('+44 7400 123456');

  const stored = await employeeById(app, employee.id);
  expect(stored).toMatchObject({ cellPhone: NEW_NUMBER, updatedBy: 'Alex Morgan' });
  expect(stored.phoneVerifiedAt).not.toBeNull();

  // The employee hears of it: a text to the OLD number and an email, both numbers masked.
  const notice = new RegExp(
    `^Your sign-in phone number was changed from •••• ${employee.cellPhone!.slice(-4)} to •••• 3456 by Alex Morgan \\(Acme IT Services\\) on \\d{1,2} \\w{3} \\d{4} at \\d{2}:\\d{2} UTC\\. If you did not expect this, contact your administrator\\.$`,
  );
  await expect.poll(async () => (await devOutbox('/api/v1/dev/sms')).find((message) => message.recipient === employee.cellPhone)?.text ?? '').toMatch(notice);
  const mail = (await devOutbox('/api/v1/dev/mail')).filter((message) => message.recipient === employee.email);
  expect(mail).toHaveLength(1);
  expect(mail[0]).toMatchObject({ subject: 'Your sign-in phone number was changed' });
  expect(mail[0]!.text).toMatch(notice);
});

test('History, with the keyboard only: Tab to it, Enter opens it, the change is listed as verified and notified', async ({ page }) => {
  await signIn(page, app);
  await openManageEmployees(page);
  const { dialog } = await openEditor(page);
  await expect(dialog.getByLabel('Cell Phone Number')).toBeFocused();
  const history = dialog.getByRole('button', { name: 'History of this number' });
  await expect(history).toHaveAttribute('aria-expanded', 'false');
  for (let presses = 0; presses < 15 && !(await isFocused(history)); presses++) await page.keyboard.press('Tab');
  await expect(history).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(history).toHaveAttribute('aria-expanded', 'true');
  const list = dialog.getByRole('list', { name: 'Changes of this number, newest first' });
  const newest = list.getByRole('listitem').first();
  await expect(newest).toContainText(`•••• ${employee.cellPhone!.slice(-4)} → •••• 3456`);
  await expect(newest).toContainText('Alex Morgan');
  await expect(newest).toContainText('Verified');
  await expect(newest).toContainText('Employee notified');
  await screenshot(page, 'edit-employee-history');
  await page.keyboard.press('Enter');
  await expect(history).toHaveAttribute('aria-expanded', 'false');
});
