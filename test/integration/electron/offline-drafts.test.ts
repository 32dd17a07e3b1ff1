import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Employee } from '../../../common/api';
import { decodeEmployeeRows, IpcFailure, type IpcEvent } from '../../../common/ipc';
import { createGate } from '../../../electron/main/ipc/gate';
import { offlineKeyAccount } from '../../../electron/main/offline/offline-keys';
import { createCredentialStore, KEYCHAIN_SERVICE, type CredentialStore } from '../../../electron/main/infra/credential-store';
import { portalRequest, tokenFor, type TestPortal } from '../../support/portal';
import { startRestartablePortal, type RestartablePortal } from '../../support/restartable-portal';
import { keychainForTests } from '../../support/browser-mode';
import { ACCOUNTS, loadAllEmployees, servicesFor, signIn, type ServicesHandle } from './support';

/**
 * The main-process side of offline work against a real portal that goes away and comes back:
 * the encrypted offline copy, drafts that survive a restart, "Work offline" with its 5 tries, sync
 * at the next sign-in, conflicts, and what sign-out does. The keychain is the real Secret Service
 * under `npm test`; run alone, one in-memory store is shared across the restarts.
 */
let portal: RestartablePortal;
const credentials: CredentialStore = createCredentialStore({ kind: keychainForTests() });
const handles: ServicesHandle[] = [];

beforeAll(async () => {
  portal = await startRestartablePortal();
}, 60_000);
beforeEach(async () => {
  await portal.start();
});
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  await portal.close();
});

async function open(directory?: string): Promise<ServicesHandle> {
  // servicesFor reads the portal's address and certificate only: both outlive a stop.
  const handle = await servicesFor({ url: portal.url, tls: { cert: portal.cert } } as TestPortal, { credentials, snapshotWriteDelayMs: 0, ...(directory ? { directory } : {}) });
  handles.push(handle);
  return handle;
}
async function close(handle: ServicesHandle): Promise<void> {
  handles.splice(handles.indexOf(handle), 1);
  await handle.services.dispose();
}

const loadAll = loadAllEmployees;

function ordinary(items: Employee[], count: number): Employee[] {
  const chosen = items.filter((employee) => employee.cellPhone !== null && !/^(admin|tech|totp|locked)@/.test(employee.email)).slice(0, count);
  expect(chosen).toHaveLength(count);
  return chosen;
}

async function employeeOnPortal(id: string): Promise<Employee> {
  const response = await portalRequest(portal.current(), 'GET', `/api/v1/employees/${id}`, { token: tokenFor(portal.current(), ACCOUNTS.admin.email) });
  expect(response.status).toBe(200);
  return response.body as Employee;
}
async function changeOnPortal(employee: Employee, cellPhone: string): Promise<Employee> {
  const response = await portalRequest(portal.current(), 'PATCH', `/api/v1/employees/${employee.id}`, {
    token: tokenFor(portal.current(), ACCOUNTS.admin.email),
    body: { cellPhone },
    headers: { 'if-match': `"${employee.version}"`, 'idempotency-key': crypto.randomUUID() },
  });
  expect(response.status).toBe(200);
  return response.body as Employee;
}
function auditCount(employeeId: string): number {
  return (portal.current().db.prepare('SELECT count(*) AS n FROM audit_log WHERE employee_id = ?').get(employeeId) as { n: number }).n;
}

async function failureOf(promise: Promise<unknown>): Promise<IpcFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IpcFailure);
  return error as IpcFailure;
}

/** Every byte of every file below `folder`. */
function allBytes(folder: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) out.push(...allBytes(path));
    else out.push(readFileSync(path));
  }
  return out;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('offline drafting against a portal that goes away and comes back', () => {
  it('offline copy, drafts across a restart, Work offline, then sync at the next sign-in', async () => {
    const first = await open();
    await signIn(portal.current(), first.services, 'admin', false, true);
    const everyone = await loadAll(first.services);
    const [a, b, c] = ordinary(everyone, 3);
    const canaryEmail = a!.email;

    // The grid's full walk became the encrypted offline copy.
    const copy = await first.services.offline.listOffline({ offset: 0, limit: 5000 });
    expect(copy.total).toBe(everyone.length);
    expect(copy.asOf).not.toBeNull();

    // The portal goes away; drafts are acknowledged once on disk.
    await portal.stop();
    const numbers = ['+12125550171', '+12125550172', '+12125550173'];
    for (const [index, employee] of [a!, b!, c!].entries()) {
      const draft = await first.services.drafts.save({ employee, cellPhone: numbers[index]! });
      expect(draft).toMatchObject({ state: 'pending', baseVersion: employee.version, basePhone: employee.cellPhone, cellPhone: numbers[index] });
    }
    const sync = await first.services.drafts.syncNow();
    expect(sync.state).toBe('waiting');
    const state = await first.services.drafts.getState();
    expect(state.drafts.map((draft) => draft.employeeId)).toEqual([a!.id, b!.id, c!.id]);
    expect(state.drafts.every((draft) => draft.state === 'failed' || draft.state === 'pending')).toBe(true);

    // Nothing about employees is on disk in plain text: not a drafted number, not an email.
    const bytes = allBytes(first.directory);
    for (const canary of [numbers[0]!, canaryEmail, a!.lastName]) {
      expect(bytes.some((file) => file.includes(Buffer.from(canary, 'utf8')))).toBe(false);
    }
    await close(first);

    // Restart while the portal is still away: no session, but the offline copy and the drafts are there.
    const second = await open(first.directory);
    expect((await second.services.auth.getState()).signedIn).toBe(false);
    expect(second.services.offline.getState().accounts).toEqual([{ email: ACCOUNTS.admin.email, asOf: copy.asOf, isLocked: false }]);
    const wrong = await second.services.offline.unlock({ email: ACCOUNTS.admin.email, password: 'not-the-password' });
    expect(wrong).toEqual({ step: 'invalid_password', attemptsLeft: 4 });
    const unlocked = await second.services.offline.unlock({ email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password });
    expect(unlocked).toMatchObject({ step: 'unlocked', user: { email: ACCOUNTS.admin.email, role: 'admin' } });
    expect((await second.services.offline.listOffline({ offset: 0, limit: 5000 })).total).toBe(everyone.length);
    const kept = await second.services.drafts.getState();
    expect(kept.drafts.map((draft) => draft.cellPhone)).toEqual(numbers);
    // An offline unlock is not enough to write: with the portal back, nothing is sent before a real sign-in.
    await portal.start();
    await second.services.connection.probe();
    const waiting = await second.services.drafts.syncNow();
    expect(waiting.state).not.toBe('running');
    expect((await employeeOnPortal(a!.id)).cellPhone).toBe(a!.cellPhone);
    expect(auditCount(a!.id)).toBe(0);

    // A real sign-in (password + second factor) sends the drafts.
    await second.services.signOut({});
    expect(second.services.offline.getState().user).toBeNull();
    await signIn(portal.current(), second.services, 'admin', false, true);
    await waitFor(async () => (await second.services.drafts.getState()).drafts.length === 0, 'the drafts to sync');
    const after = await second.services.drafts.getState();
    expect(after.history.map((entry) => entry.cellPhone).sort()).toEqual([...numbers].sort());
    for (const [index, employee] of [a!, b!, c!].entries()) {
      const stored = await employeeOnPortal(employee.id);
      expect(stored.cellPhone).toBe(numbers[index]);
      expect(stored.version).toBe(employee.version + 1);
      expect(auditCount(employee.id)).toBe(1);
    }
    // The offline copy follows what sync applied.
    const cached = decodeEmployeeRows((await second.services.offline.listOffline({ offset: 0, limit: 5000 })).rows).find((employee) => employee.id === a!.id);
    expect(cached?.cellPhone).toBe(numbers[0]);
    await close(second);
  }, 120_000);

  it('5 wrong offline passwords lock offline access until the next online sign-in', async () => {
    const handle = await open();
    await signIn(portal.current(), handle.services, 'admin', false, true);
    await loadAll(handle.services);
    await portal.stop();
    await close(handle);
    const restarted = await open(handle.directory);
    const steps = [];
    for (let attempt = 0; attempt < 5; attempt++) steps.push(await restarted.services.offline.unlock({ email: ACCOUNTS.admin.email, password: `wrong-${attempt}` }));
    expect(steps).toEqual([
      { step: 'invalid_password', attemptsLeft: 4 },
      { step: 'invalid_password', attemptsLeft: 3 },
      { step: 'invalid_password', attemptsLeft: 2 },
      { step: 'invalid_password', attemptsLeft: 1 },
      { step: 'locked' },
    ]);
    // Even the right password is refused now.
    expect(await restarted.services.offline.unlock({ email: ACCOUNTS.admin.email, password: ACCOUNTS.admin.password })).toEqual({ step: 'locked' });
    expect(restarted.services.offline.getState().accounts[0]?.isLocked).toBe(true);
    await portal.start();
    await signIn(portal.current(), restarted.services, 'admin', false, true);
    expect(restarted.services.offline.getState().accounts[0]?.isLocked).toBe(false);
    await close(restarted);
  }, 120_000);

  it('a conflict keeps both values; "Apply mine on top" and "Keep the portal’s" each do what they say', async () => {
    const handle = await open();
    await signIn(portal.current(), handle.services, 'admin');
    const [x, y] = ordinary(await loadAll(handle.services), 12).slice(10);
    await portal.stop();
    await handle.services.drafts.save({ employee: x!, cellPhone: '+12125550181' });
    await handle.services.drafts.save({ employee: y!, cellPhone: '+12125550182' });
    await portal.start();
    // Someone else changes both meanwhile.
    const theirsX = await changeOnPortal(await employeeOnPortal(x!.id), '+12125550191');
    const theirsY = await changeOnPortal(await employeeOnPortal(y!.id), '+12125550192');
    await handle.services.connection.probe();
    await handle.services.drafts.syncNow();
    const conflicted = (await handle.services.drafts.getState()).drafts;
    expect(conflicted.map((draft) => [draft.state, draft.basePhone, draft.cellPhone, draft.portal?.cellPhone])).toEqual([
      ['conflict', x!.cellPhone, '+12125550181', '+12125550191'],
      ['conflict', y!.cellPhone, '+12125550182', '+12125550192'],
    ]);
    // Nothing was overwritten.
    expect((await employeeOnPortal(x!.id)).cellPhone).toBe('+12125550191');

    const mine = await handle.services.drafts.resolve({ id: conflicted[0]!.id, choice: 'mine' });
    expect(mine.draft).toMatchObject({ state: 'pending', baseVersion: theirsX.version, basePhone: '+12125550191' });
    expect(mine.draft?.idempotencyKey).not.toBe(conflicted[0]!.idempotencyKey);
    expect(await handle.services.drafts.resolve({ id: conflicted[1]!.id, choice: 'portal' })).toEqual({ draft: null });
    await handle.services.drafts.syncNow();
    expect((await employeeOnPortal(x!.id)).cellPhone).toBe('+12125550181');
    expect(await employeeOnPortal(y!.id)).toMatchObject({ cellPhone: '+12125550192', version: theirsY.version });
    expect((await handle.services.drafts.getState()).drafts).toEqual([]);
    await close(handle);
  }, 120_000);

  it('sign-out asks about unsynced drafts: keep leaves them encrypted for the next sign-in, discard removes them and the key', async () => {
    const handle = await open();
    await signIn(portal.current(), handle.services, 'admin', false, true);
    const [k] = ordinary(await loadAll(handle.services), 20).slice(19);
    await portal.stop();
    await handle.services.drafts.save({ employee: k!, cellPhone: '+12125550161' });
    const refused = await failureOf(handle.services.signOut({}));
    expect(refused.code).toBe('unsynced_drafts');
    expect(refused.message).toContain('1 unsynced draft');
    expect((await handle.services.auth.getState()).signedIn).toBe(true);

    await handle.services.signOut({ drafts: 'keep' });
    expect((await handle.services.auth.getState()).signedIn).toBe(false);
    // The offline copy is wiped at sign-out; the drafts are not.
    expect(handle.services.offline.getState().accounts).toEqual([]);
    await portal.start();
    await signIn(portal.current(), handle.services, 'admin');
    // Kept: in the outbox after the next sign-in, or already sent by the sync that sign-in starts.
    const next = await handle.services.drafts.getState();
    expect([...next.drafts.map((draft) => draft.cellPhone), ...next.history.map((entry) => entry.cellPhone)]).toContain('+12125550161');

    // Next time: discard. (Stop the portal so sync cannot send it first.)
    await handle.services.drafts.syncNow();
    const synced = await employeeOnPortal(k!.id);
    expect(synced.cellPhone).toBe('+12125550161');
    await portal.stop();
    await handle.services.drafts.save({ employee: synced, cellPhone: '+12125550162' });
    await handle.services.signOut({ drafts: 'discard' });
    expect(await credentials.getPassword(KEYCHAIN_SERVICE, offlineKeyAccount(new URL(portal.url).origin, ACCOUNTS.admin.email))).toBeNull();
    await portal.start();
    await signIn(portal.current(), handle.services, 'admin');
    expect((await handle.services.drafts.getState()).drafts).toEqual([]);
    await close(handle);
  }, 120_000);

  it('the window hears of drafts and offline changes through the gate, as schema-valid events', async () => {
    const handle = await open();
    const gate = createGate({ services: handle.services, isTrustedSender: () => true });
    const events: [IpcEvent, unknown][] = [];
    const unsubscribe = gate.onEvent((event, payload) => events.push([event, payload]));
    await signIn(portal.current(), handle.services, 'admin', false, true);
    const [employee] = ordinary(await loadAll(handle.services), 30).slice(29);
    await portal.stop();
    const saved = await gate.invoke('drafts:save', { employee, cellPhone: '(212) 555-0144' }, { transport: 'websocket', origin: 'x', authenticated: true });
    expect(saved).toMatchObject({ ok: true, value: { cellPhone: '+12125550144', state: 'pending' } });
    await waitFor(() => events.some(([event, payload]) => event === 'drafts:changed' && (payload as { drafts: unknown[] }).drafts.length === 1), 'a drafts:changed event');
    expect(events.some(([event, payload]) => event === 'offline:changed' && (payload as { accounts: unknown[] }).accounts.length === 1)).toBe(true);
    unsubscribe();
    await portal.start();
    await handle.services.signOut({ drafts: 'discard' });
    await close(handle);
  }, 60_000);

  it('the offline copy catches up from changedSince deltas: another admin’s change arrives without a full reload', async () => {
    const handle = await open();
    await signIn(portal.current(), handle.services, 'admin', false, true);
    const everyone = await loadAll(handle.services);
    const [target] = ordinary(everyone, 40).slice(39);
    const theirs = await changeOnPortal(await employeeOnPortal(target!.id), '+12125550133');
    const changed = await handle.services.offline.refreshFromPortal();
    // Only what changed came back (the change, and whatever else changed in the last 2 s), not the list.
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(changed).toBeLessThan(10);
    const copy = await handle.services.offline.listOffline({ offset: 0, limit: 5000 });
    expect(copy.total).toBe(everyone.length);
    expect(decodeEmployeeRows(copy.rows).find((employee) => employee.id === target!.id)).toMatchObject({ cellPhone: '+12125550133', version: theirs.version });
    await handle.services.signOut({});
    await close(handle);
  }, 60_000);
});

