/**
 * Changes made while working offline wait for review: unlocked with the password (no portal
 * session), the admin drafts a number; at the next sign-in with the portal the Outbox says
 * "1 change made offline — Review and send", and nothing reaches the portal before "Send".
 */
import { expect, test } from '@playwright/test';
import type { Employee } from '../../common/api';
import { portalRequest, tokenFor } from '../support/portal';
import { ADMIN, fullName, openManageEmployees, screenshot } from './support/admin-app';
import { networkChanged, rowOf, signInWithPortal, useOfflineSetup } from './support/offline-app';

const setup = useOfflineSetup('portal-admin-review-profile-');
const { employee, latestCode } = setup;

test('a change made while working offline is held until the admin reviews and sends it', async ({ page }) => {
  test.setTimeout(120_000);
  const seeded = (await portalRequest(setup.portal.current(), 'GET', '/api/v1/employees?limit=100', { token: tokenFor(setup.portal.current(), ADMIN.email) })).body as { items: Employee[] };
  const target = seeded.items.find((candidate) => candidate.cellPhone?.startsWith('+1') && !/^(admin|tech|totp|locked)@/.test(candidate.email))!;
  const number = '+12125550191';

  // Signed in with an offline copy; the portal goes away; the app restarts; Work offline.
  await page.goto(setup.web.host.newPageUrl());
  await signInWithPortal(page, true, latestCode);
  await openManageEmployees(page);
  await setup.portal.stop();
  await setup.restartApp();
  await page.goto(setup.web.host.newPageUrl());
  await page.getByRole('button', { name: 'Work offline' }).click();
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Open offline copy' }).click();
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
  await openManageEmployees(page);

  const row = await rowOf(page, target);
  await row.getByRole('button', { name: `Edit ${fullName(target)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
  await dialog.getByLabel('Cell Phone Number').fill(number);
  await dialog.getByRole('button', { name: 'Save as draft' }).click();
  await expect(dialog).toBeHidden();

  // The portal is back and the admin signs in: the change waits for review.
  await setup.portal.start();
  await networkChanged(page, 'online');
  await page.getByTestId('reachable-again-banner').getByRole('button', { name: 'Sign in' }).click();
  await signInWithPortal(page, true, latestCode);
  await page.getByRole('button', { name: /^Outbox, 1 unsynced draft$/ }).click();
  const review = page.getByTestId('offline-changes-review');
  await expect(review).toContainText('1 change made offline — Review and send');
  await expect(page.getByTestId('outbox-draft').filter({ hasText: fullName(target) })).toHaveCount(1);
  await screenshot(page, 'outbox-review-and-send');
  expect((await employee(target.id)).cellPhone).toBe(target.cellPhone);

  await review.getByRole('button', { name: 'Send 1 change' }).click();
  await expect(page.getByTestId('outbox-empty')).toHaveText('No unsynced drafts.', { timeout: 30_000 });
  expect((await employee(target.id)).cellPhone).toBe(number);
});
