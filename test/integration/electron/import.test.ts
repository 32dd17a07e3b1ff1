import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee, EmployeeList } from '../../../common/api';
import { employeesCsv } from '../../../common/csv';
import { IMPORT_CHUNK_CHARS, type ImportState } from '../../../common/ipc';
import { createGate, type Gate } from '../../../electron/main/ipc/gate';
import type { Services } from '../../../electron/main/create-services';
import { portalRequest, startTestPortal, tokenFor, type TestPortal } from '../../support/portal';
import { invokeOrThrow, PAGE_SENDER, servicesFor, signIn, type ServicesHandle } from './support';

/**
 * Import phone numbers end to end in main, against a real reference portal: the file uploaded in
 * chunks through the gate (as browser mode does), the dry run, apply through POST /employees/batch,
 * a conflict made through the API between check and apply, Cancel, and the result file.
 */
let portal: TestPortal;
let handle: ServicesHandle;
let services: Services;
let gate: Gate;
const events: ImportState[] = [];

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo:1200' });
  // The portal runs in this process: while it commits one batch, the connections of the other
  // batches in flight wait for their TLS handshake (longer than the 2 s connect budget of the other tests).
  handle = await servicesFor(portal, { timeouts: { connectMs: 30_000, requestMs: 60_000 } });
  services = handle.services;
  await signIn(portal, services, 'admin');
  gate = createGate({ services, isTrustedSender: () => true });
  gate.onEvent((event, payload) => {
    if (event === 'import:changed') events.push(payload as ImportState);
  });
}, 120_000);
afterAll(async () => {
  await handle?.close();
  await portal?.close();
});

const call = <T>(channel: string, payload: unknown = {}): Promise<T> => invokeOrThrow<T>(gate, channel, payload);

async function upload(name: string, text: string): Promise<ImportState> {
  const base64 = Buffer.from(text, 'utf8').toString('base64');
  const size = Buffer.byteLength(text, 'utf8');
  let state: ImportState | null = null;
  // Chunks of whole base64 quads, as the renderer sends them.
  const step = IMPORT_CHUNK_CHARS;
  let offset = 0;
  for (let start = 0; start < base64.length; start += step) {
    const data = base64.slice(start, start + step);
    state = await call<ImportState>('import:upload-chunk', { name, size, offset, data });
    offset += Buffer.from(data, 'base64').byteLength;
  }
  return state!;
}

async function settled(): Promise<ImportState> {
  await services.imports.idle();
  return call<ImportState>('import:get-state');
}

async function allEmployees(): Promise<Employee[]> {
  const items: Employee[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page: EmployeeList = await services.employees.list({ limit: 1000, sort: 'name', order: 'asc', ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

function ordinary(employees: Employee[]): Employee[] {
  return employees.filter((employee) => employee.cellPhone !== null && !/^(admin|tech|totp|locked)@/.test(employee.email));
}

describe('import phone numbers (main, real portal)', () => {
  it('check, a conflict made through the API, apply: the portal holds the numbers, the conflict is listed, nothing overwritten', async () => {
    const chosen = ordinary(await allEmployees()).slice(0, 250);
    const rows = chosen.map((employee, index) => `${employee.email},+1 646 555 ${String(1000 + index).padStart(4, '0')}`);
    const state = await upload('numbers.csv', ['Email,Cell phone number', ...rows, 'nobody@acme.test,+1 646 555 9999'].join('\r\n'));
    expect(state).toMatchObject({ phase: 'loaded', file: { name: 'numbers.csv' } });

    await call('import:check');
    const checked = await settled();
    expect(checked).toMatchObject({ phase: 'checked', counts: { changes: 250, unchanged: 0, errors: 1 }, reading: { encoding: 'utf-8', delimiter: ',', rows: 251 } });
    expect(events.some((event) => event.activity === 'loading_employees')).toBe(true);
    // The dry run sent nothing.
    const before = await portalRequest(portal, 'GET', `/api/v1/employees/${chosen[0]!.id}`, { token: tokenFor(portal, 'admin@acme.test') });
    expect((before.body as Employee).cellPhone).toBe(chosen[0]!.cellPhone);

    // Someone else changes employee #7 on the portal after the check.
    const victim = chosen[7]!;
    const token = tokenFor(portal, 'admin@acme.test');
    const other = await portalRequest(portal, 'PATCH', `/api/v1/employees/${victim.id}`, {
      token,
      headers: { 'If-Match': `"${victim.version}"`, 'Idempotency-Key': crypto.randomUUID() },
      body: { cellPhone: '+442079460123' },
    });
    expect(other.status).toBe(200);

    await call('import:apply');
    const applied = await settled();
    expect(applied.outcome).toEqual({ applied: 249, conflicts: 1, refused: 0, notSent: 0, drafted: 0, isCancelled: false, requests: 3 });

    const report = await call<{ changes: { employeeId: string; status: string; message: string | null }[] }>('import:get-report');
    expect(report.changes[0]).toMatchObject({ employeeId: victim.id, status: 'conflict', message: 'Changed on the portal since the check (it now has +44 20 7946 0123); nothing was overwritten. Check the file again.' });
    const after = await portalRequest(portal, 'GET', `/api/v1/employees/${victim.id}`, { token });
    expect((after.body as Employee).cellPhone).toBe('+442079460123'); // not overwritten
    const first = await portalRequest(portal, 'GET', `/api/v1/employees/${chosen[0]!.id}`, { token });
    expect((first.body as Employee).cellPhone).toBe('+16465551000');

    const file = await call<{ fileName: string; content: string }>('import:result-file');
    expect(file.fileName).toMatch(/^numbers-result-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.content).toContain(`,${victim.email},'${victim.cellPhone!},'+16465551007,conflict (not applied),`);
    expect(file.content).toContain('conflict (not applied),Changed on the portal since the check');
    expect(file.content).toContain('error,"Unknown employee: no employee with email ""nobody@acme.test"" in your company."');

    // Checking the same file again: the applied rows are unchanged now, the conflict is a change again.
    await call('import:check');
    expect(await settled()).toMatchObject({ phase: 'checked', counts: { changes: 1, unchanged: 249, errors: 1 } });
  }, 120_000);

  it('Cancel stops after the batches in flight; the rest is not sent', async () => {
    const chosen = ordinary(await allEmployees()).slice(250, 1150);
    const count = chosen.length;
    expect(count).toBeGreaterThan(600); // enough batches for more than the 4 in flight
    await upload('cancel.csv', ['Employee ID;Mobile', ...chosen.map((employee, index) => `${employee.id};(917) 555-${String(2000 + index).padStart(4, '0')}`)].join('\n'));
    await call('import:check');
    expect(await settled()).toMatchObject({ counts: { changes: count } });
    const stop = services.emitter.onEvent((event, payload) => {
      const state = payload as ImportState;
      if (event === 'import:changed' && state.phase === 'applying' && (state.progress?.done ?? 0) >= 100) void call('import:cancel');
    });
    await call('import:apply');
    const done = await settled();
    stop();
    expect(done.outcome?.isCancelled).toBe(true);
    expect(done.outcome!.applied).toBeGreaterThanOrEqual(100);
    expect(done.outcome!.applied).toBeLessThan(count);
    expect(done.outcome!.applied % 100).toBe(0);
    expect(done.outcome!.notSent).toBe(count - done.outcome!.applied);
    // Batches start in file order: the last one was not sent.
    const last = await portalRequest(portal, 'GET', `/api/v1/employees/${chosen[count - 1]!.id}`, { token: tokenFor(portal, 'admin@acme.test') });
    expect((last.body as Employee).cellPhone).toBe(chosen[count - 1]!.cellPhone);
  }, 120_000);

  it('a file that is not a usable import says why; chunks out of order are refused', async () => {
    await upload('nothing.csv', 'Name,Department\nJane,IT\n');
    await call('import:check');
    expect(await settled()).toMatchObject({ phase: 'loaded', problem: expect.stringMatching(/^The file has no phone number column\./) as unknown as string });
    const result = await gate.invoke('import:upload-chunk', { name: 'x.csv', size: 10, offset: 4, data: 'QUJD' }, PAGE_SENDER);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'The file arrived out of order. Choose it again.' } });
  }, 60_000);

  it('export → edit → import: the round trip over the real portal', async () => {
    const employees = ordinary(await allEmployees()).slice(900, 905);
    const exported = employeesCsv(employees);
    const edited = exported.replace(`'${employees[2]!.cellPhone}`, "'+16465557777");
    await upload('employees-export.csv', edited);
    await call('import:check');
    expect(await settled()).toMatchObject({ phase: 'checked', counts: { changes: 1, unchanged: 4, errors: 0 } });
    await call('import:apply');
    expect((await settled()).outcome).toMatchObject({ applied: 1, conflicts: 0 });
    const after = await portalRequest(portal, 'GET', `/api/v1/employees/${employees[2]!.id}`, { token: tokenFor(portal, 'admin@acme.test') });
    expect((after.body as Employee).cellPhone).toBe('+16465557777');
  }, 60_000);

  it('an email that differs from the stored one only in non-ASCII case is that employee (the lookup and the check agree)', async () => {
    const [someone, another] = ordinary(await allEmployees()).slice(1050, 1052);
    await portal.store.run('UPDATE employees SET email = ? WHERE id = ?', 'ÉLODIE.MÜLLER@acme.test', someone!.id);
    await portal.store.run('UPDATE employees SET email = ? WHERE id = ?', 'kim.kowalski@acme.test', another!.id);
    await upload('accents.csv', ['Email,Cell phone number', 'élodie.müller@ACME.test,+1 646 555 8801', '\u212Aim.kowalski@acme.test,+1 646 555 8802'].join('\n'));
    await call('import:check');
    expect(await settled()).toMatchObject({ phase: 'checked', counts: { changes: 1, unchanged: 0, errors: 1 } });
    const report = await call<{ changes: { employeeId: string; newPhone: string }[]; errors: { row: number; message: string }[] }>('import:get-report');
    expect(report.changes).toMatchObject([{ employeeId: someone!.id, newPhone: '+16465558801' }]);
    // A look-alike of an ASCII letter (the Kelvin sign) is not the same email.
    expect(report.errors).toMatchObject([{ row: 3, message: expect.stringMatching(/^Unknown employee/) as unknown as string }]);
  }, 60_000);

  it('offline at Apply: the changes become drafts in the Outbox (this test stops the portal)', async () => {
    const employees = ordinary(await allEmployees()).slice(1000, 1003);
    await upload('offline.csv', ['Employee ID,Cell phone number', ...employees.map((employee, index) => `${employee.id},+1 646 555 80${index}0`)].join('\n'));
    await call('import:check');
    expect(await settled()).toMatchObject({ counts: { changes: 3 } });
    await portal.close();
    await call('import:apply');
    const done = await settled();
    expect(done.outcome).toMatchObject({ applied: 0, drafted: 3, notSent: 0 });
    const drafts = await services.drafts.getState();
    expect(drafts.drafts.map((draft) => [draft.employeeId, draft.cellPhone, draft.baseVersion]).sort()).toEqual(
      employees.map((employee, index) => [employee.id, `+164655580${index}0`, employee.version]).sort(),
    );
  }, 60_000);
});
