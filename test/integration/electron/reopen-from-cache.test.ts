import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee, EmployeeList } from '../../../common/api';
import { decodeEmployeeRows, type ChannelInput, type ChannelOutput, type EmployeeChanges } from '../../../common/ipc';
import { createGate, type Gate } from '../../../electron/main/ipc/gate';
import { searchTextOf } from '../../../server/employees/serialize';
import { EmployeeIndex } from '../../../renderer/lib/employee-index';
import { createCredentialStore } from '../../../electron/main/infra/credential-store';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from '../../support/portal';
import { keychainForTests } from '../../support/browser-mode';
import { ACCOUNTS, invokeOrThrow, servicesFor, signIn, type ServicesHandle } from './support';

/**
 * Reopening Manage Employees from the list already held, against a real portal: the window's steps
 * (pages of `employees:list`, then `employees:changes` through the gate, applied with the grid's own
 * EmployeeIndex.withChanges) after changes, additions and deletions made on the portal give exactly
 * the portal's rows, in its order — in the session, and after a restart from the offline copy.
 */
let portal: TestPortal;
const credentials = createCredentialStore({ kind: keychainForTests() });
const handles: ServicesHandle[] = [];

beforeAll(async () => {
  portal = await startTestPortal();
}, 60_000);
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.close()));
  await portal?.close();
});

const adminToken = () => tokenFor(portal, ACCOUNTS.admin.email);

/** The portal's rows, every page, in its name order: what a full reload shows. */
async function portalRows(): Promise<Employee[]> {
  const rows: Employee[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/v1/employees?limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await portalRequest(portal, 'GET', query, { token: adminToken() })).body as EmployeeList;
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows;
}

function rowsOf(index: EmployeeIndex): Employee[] {
  return Array.from({ length: index.size }, (_, position) => index.at(position));
}

/** Changes, additions and deletions through the portal, as another admin and the HR system would make them. */
async function changePortal(tag: number): Promise<{ changed: string; added: string; deleted: string }> {
  const rows = await portalRows();
  const ordinary = rows.filter((employee) => employee.cellPhone !== null && !/^(admin|tech|totp|locked)@/.test(employee.email));
  const changed = ordinary[10 + tag]!;
  const patch = await portalRequest(portal, 'PATCH', `/api/v1/employees/${changed.id}`, {
    token: adminToken(),
    body: { cellPhone: `+1212555${String(7000 + tag)}` },
    headers: { 'if-match': `"${changed.version}"`, 'idempotency-key': crypto.randomUUID() },
  });
  expect(patch.status, patch.text).toBe(200);
  const deleted = ordinary[40 + tag]!;
  expect((await portalRequest(portal, 'DELETE', `/api/v1/employees/${deleted.id}`, { token: adminToken() })).status).toBe(204);
  // No API adds employees (the portal's HR import does): a row written the way the seed writes it.
  const added = { id: `acme-new-${tag}`, firstName: 'Ada', lastName: `Aaberg${tag}`, email: `ada.${tag}@acme.test`, cellPhone: `+1212555${String(8000 + tag)}` };
  const now = portal.app.clock.now().toISOString();
  await portal.store.run(
    `INSERT INTO employees (id, company_id, first_name, last_name, email, role, cell_phone, two_factor_status, two_factor_method, locked, updated_at, version, search_text)
     VALUES (?, 'acme', ?, ?, ?, 'sales', ?, 'active', 'sms', 0, ?, 1, ?)`,
    added.id, added.firstName, added.lastName, added.email, added.cellPhone, now, searchTextOf(added),
  );
  return { changed: changed.id, added: added.id, deleted: deleted.id };
}

/** A page of the offline copy through the gate, its row block decoded and checked as the window does. */
async function readCopy(gate: Gate, input: ChannelInput<'employees:list-offline'>): Promise<Omit<ChannelOutput<'employees:list-offline'>, 'rows'> & { items: Employee[] }> {
  const { rows, ...page } = await invokeOrThrow<ChannelOutput<'employees:list-offline'>>(gate, 'employees:list-offline', input);
  return { ...page, items: decodeEmployeeRows(rows) };
}

/** What the window does on a reopen: the delta through the gate, applied to the rows it holds. */
async function reopen(gate: Gate, index: EmployeeIndex, since: string): Promise<{ index: EmployeeIndex; asOf: string }> {
  const changes = await invokeOrThrow<EmployeeChanges>(gate, 'employees:changes', { since });
  if (!changes.complete) throw new Error('expected a delta');
  expect(changes.items.length).toBeLessThan(20);
  return { index: index.withChanges(changes.items, changes.deleted), asOf: changes.asOf };
}

describe('reopening Manage Employees from the list held', () => {
  it('shows exactly the portal’s rows after changes, additions and deletions — in the session and after a restart', async () => {
    const first = await servicesFor(portal, { credentials, snapshotWriteDelayMs: 0 });
    handles.push(first);
    const gate = createGate({ services: first.services, isTrustedSender: () => true });
    await signIn(portal, first.services, 'admin', false, true);

    // The first opening: every page (100, then 1,000 a page), as the grid loads them.
    let index = new EmployeeIndex();
    let page = await invokeOrThrow<EmployeeList>(gate, 'employees:list', { limit: 100, sort: 'name', order: 'asc' });
    const since = page.asOf!;
    index.append(page.items);
    while (page.nextCursor !== null) {
      page = await invokeOrThrow<EmployeeList>(gate, 'employees:list', { limit: 1000, sort: 'name', order: 'asc', cursor: page.nextCursor });
      index.append(page.items);
    }
    expect(rowsOf(index)).toEqual(await portalRows());

    // Reopen in the session.
    const made = await changePortal(1);
    let reopened = await reopen(gate, index, since);
    index = reopened.index;
    const afterFirst = await portalRows();
    expect(rowsOf(index)).toEqual(afterFirst);
    expect(index.positionOf(made.deleted)).toBeUndefined();
    expect(index.at(index.positionOf(made.added)!).lastName).toBe('Aaberg1');
    expect(index.at(index.positionOf(made.changed)!).cellPhone).toBe('+12125557001');
    // A reopen with nothing new changes nothing.
    reopened = await reopen(gate, index, reopened.asOf);
    expect(rowsOf(reopened.index)).toEqual(afterFirst);
    await first.services.dispose();

    // More changes while the app is closed; then a restart: the offline copy, then a delta.
    const whileClosed = await changePortal(2);
    const second = await servicesFor(portal, { credentials, snapshotWriteDelayMs: 0, directory: first.directory });
    handles.push(second);
    const secondGate = createGate({ services: second.services, isTrustedSender: () => true });
    await signIn(portal, second.services, 'admin', false, true);
    // The copy a page at a time (small pages here, to have many).
    let copy = await readCopy(secondGate, { offset: 0, limit: 5 });
    expect(copy.since).toEqual(expect.any(String));
    const copySince = copy.since!;
    // Half-way through the read, more changes, and the copy follows them (as the sign-in's own refresh does).
    const whileReading = await changePortal(3);
    await second.services.offline.refreshFromPortal();
    let fromCopy = new EmployeeIndex();
    fromCopy.append(copy.items);
    while (fromCopy.size < copy.total) {
      copy = await readCopy(secondGate, { offset: fromCopy.size, limit: 7 });
      // The read keeps the copy as it was at its first page; the delta from its time brings the rest.
      expect(copy.since).toBe(copySince);
      fromCopy.append(copy.items);
    }
    fromCopy = (await reopen(secondGate, fromCopy, copySince)).index;
    const afterRestart = await portalRows();
    expect(rowsOf(fromCopy)).toEqual(afterRestart);
    for (const made of [whileClosed, whileReading]) {
      expect(fromCopy.positionOf(made.deleted)).toBeUndefined();
      expect(fromCopy.positionOf(made.added)).toBeDefined();
    }
    // A read that starts now sees the copy with the delta applied.
    const now = await readCopy(secondGate, { offset: 0, limit: 5000 });
    expect(now.since).not.toBe(copySince);
    // The copy itself follows the portal, in its order: the next restart starts from the same rows.
    expect(now.items).toEqual(afterRestart);
  }, 120_000);

  it('a list older than the deletions the portal keeps gets `complete: false` (the window loads everything)', async () => {
    const handle = await servicesFor(portal, { credentials });
    handles.push(handle);
    const gate = createGate({ services: handle.services, isTrustedSender: () => true });
    await signIn(portal, handle.services, 'admin');
    const old = new Date(portal.app.clock.now().getTime() - 31 * 24 * 60 * 60 * 1000).toISOString();
    expect(await invokeOrThrow<EmployeeChanges>(gate, 'employees:changes', { since: old })).toEqual({ complete: false });
    await expect(invokeOrThrow(gate, 'employees:changes', { since: 'yesterday' })).rejects.toThrow();
  }, 60_000);
});
