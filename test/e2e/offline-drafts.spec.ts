/**
 * Offline drafting end to end, as an administrator on a train lives it: signed in with an offline
 * copy, the portal goes away, three numbers are drafted, the app restarts with the portal still
 * away (Work offline: the drafts are there), the portal comes back with two of the employees changed
 * by someone else meanwhile, a real sign-in sends the drafts, and the two conflicts are resolved
 * one each way. The portal's own API and audit check the outcome.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Employee } from '../../common/api';
import { displayPhone } from '../../renderer/lib/display-phone';
import { portalRequest, tokenFor } from '../support/portal';
import { ADMIN, escapeRegExp, fullName, openManageEmployees, screenshot } from './support/admin-app';
import { networkChanged, rowOf, signInWithPortal as signInWith, useOfflineSetup } from './support/offline-app';

const setup = useOfflineSetup('portal-admin-offline-profile-');
const { employee, latestCode } = setup;

async function api<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const portal = setup.portal.current();
  const response = await portalRequest(portal, method, path, { ...options, token: tokenFor(portal, ADMIN.email) });
  return { status: response.status, body: response.body as T };
}
async function changeBehindTheAppsBack(target: Employee, cellPhone: string): Promise<Employee> {
  const current = await employee(target.id);
  const response = await api<Employee>('PATCH', `/api/v1/employees/${target.id}`, {
    body: { cellPhone },
    headers: { 'if-match': `"${current.version}"`, 'idempotency-key': crypto.randomUUID() },
  });
  expect(response.status).toBe(200);
  return response.body;
}
function auditEntries(employeeId: string): number {
  return (setup.portal.current().db.prepare('SELECT count(*) AS n FROM audit_log WHERE employee_id = ?').get(employeeId) as { n: number }).n;
}
/** Password and the demo carrier's code, on this portal. */
const signInWithPortal = (page: Page, keepOfflineCopy: boolean): Promise<void> => signInWith(page, keepOfflineCopy, latestCode);

test('drafts made offline survive a restart, sync after a real sign-in, and conflicts are resolved both ways', async ({ page }) => {
  test.setTimeout(180_000);
  const seeded = (await api<{ items: Employee[] }>('GET', '/api/v1/employees?limit=100')).body.items;
  const [a, b, c] = seeded.filter((candidate) => candidate.cellPhone?.startsWith('+1') && !/^(admin|tech|totp|locked)@/.test(candidate.email)).slice(0, 3);
  const mine = { a: '+12125550171', b: '+12125550172', c: '+12125550173' };

  // 1. Signed in with an offline copy; the grid's full load becomes that copy.
  await page.goto(setup.web.host.newPageUrl());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signInWithPortal(page, true);
  await openManageEmployees(page);

  // 2. The portal goes away.
  await setup.portal.stop();
  await networkChanged(page, 'offline');
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('aria-label', /Offline/);

  // 3. Three drafts, each confirmed only once on disk.
  for (const [target, number] of [[a!, mine.a], [b!, mine.b], [c!, mine.c]] as const) {
    const row = await rowOf(page, target);
    await row.getByRole('button', { name: `Edit ${fullName(target)}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Employee' });
    await dialog.getByLabel('Cell Phone Number').fill(number);
    await dialog.getByRole('button', { name: 'Save as draft' }).click();
    // A durable encrypted write and a keychain call: allow a busy machine more than the default 5 s.
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId('snackbar')).toContainText('Saved as draft.');
    await expect(row.getByRole('img', { name: `Draft: ${displayPhone(number)}, not yet synced` }).or(row.getByRole('img', { name: new RegExp(`^Draft: ${escapeRegExp(displayPhone(number))}`) }))).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Outbox, 3 unsynced drafts' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search employees' }).fill('');
  await expect(page.getByTestId('draft-badge').first()).toBeVisible();
  await screenshot(page, 'offline-banner');

  // 4. The app restarts while the portal is still away: Work offline, and the drafts are there.
  await setup.restartApp();
  await page.goto(setup.web.host.newPageUrl());
  await page.getByRole('button', { name: 'Work offline' }).click();
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Open offline copy' }).click();
  await expect(page.getByTestId('offline-banner')).toContainText('Offline — showing employees as of');
  await page.getByRole('button', { name: 'Outbox, 3 unsynced drafts' }).click();
  await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible();
  const items = page.getByTestId('outbox-draft');
  await expect(items).toHaveCount(3);
  for (const target of [a!, b!, c!]) await expect(items.filter({ hasText: fullName(target) })).toHaveCount(1);
  await screenshot(page, 'outbox-offline');

  // 5. The portal comes back; meanwhile someone else changed b and c.
  await setup.portal.start();
  const theirsB = await changeBehindTheAppsBack(b!, '+12125550182');
  const theirsC = await changeBehindTheAppsBack(c!, '+12125550183');
  await networkChanged(page, 'online');
  const reachable = page.getByTestId('reachable-again-banner');
  await expect(reachable).toContainText('The portal is reachable again. Sign in to sync your 3 drafts.');
  // Working offline never writes: nothing reached the portal before a real sign-in.
  expect((await employee(a!.id)).cellPhone).toBe(a!.cellPhone);
  await reachable.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
  await signInWithPortal(page, true);

  // 6. Sync: a is applied; b and c are conflicts, shown as base / mine / portal.
  await page.getByRole('button', { name: /^Outbox, 2 unsynced drafts$/ }).click({ timeout: 30_000 });
  const conflictB = items.filter({ hasText: fullName(b!) }).getByTestId('draft-conflict');
  const conflictC = items.filter({ hasText: fullName(c!) }).getByTestId('draft-conflict');
  await expect(conflictB.getByTestId('conflict-base-value')).toContainText(displayPhone(b!.cellPhone));
  await expect(conflictB.getByTestId('conflict-mine-value')).toContainText(displayPhone(mine.b));
  await expect(conflictB.getByTestId('conflict-portal-value')).toContainText(displayPhone(theirsB.cellPhone));
  await expect(conflictC.getByTestId('conflict-portal-value')).toContainText(displayPhone(theirsC.cellPhone));
  await expect(page.getByTestId('applied-change').filter({ hasText: fullName(a!) })).toBeVisible();
  expect(await employee(a!.id)).toMatchObject({ cellPhone: mine.a, version: a!.version + 1 });
  // Nothing was overwritten silently.
  expect((await employee(b!.id)).cellPhone).toBe(theirsB.cellPhone);
  expect((await employee(c!.id)).cellPhone).toBe(theirsC.cellPhone);
  await screenshot(page, 'outbox-conflict');

  await conflictB.getByRole('button', { name: 'Apply mine on top' }).click();
  await conflictC.getByRole('button', { name: 'Keep the portal’s' }).click();
  await expect(page.getByTestId('outbox-empty')).toHaveText('No unsynced drafts.', { timeout: 30_000 });
  expect(await employee(b!.id)).toMatchObject({ cellPhone: mine.b, version: theirsB.version + 1 });
  expect(await employee(c!.id)).toMatchObject({ cellPhone: theirsC.cellPhone, version: theirsC.version });
  // Each change reached the portal once: a (mine), b (theirs, then mine), c (theirs).
  expect([auditEntries(a!.id), auditEntries(b!.id), auditEntries(c!.id)]).toEqual([1, 2, 1]);

  // 7. The grid shows what the portal now holds.
  await openManageEmployees(page);
  await expect(await rowOf(page, a!)).toContainText(displayPhone(mine.a));
  await expect(await rowOf(page, b!)).toContainText(displayPhone(mine.b));
  await expect(await rowOf(page, c!)).toContainText(displayPhone(theirsC.cellPhone));
  await expect(page.getByTestId('draft-badge')).toHaveCount(0);
});
