import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditListSchema, type AuditEntry } from '../../../common/api';
import { ManualClock } from '../../../server/clock';
import { startTestPortal, tokenFor, type TestPortal } from '../../support/portal';
import { TRANSPORTS, call, ifMatch, storedEmployee } from '../../support/employees';

// The audit: one append-only row per change, masked numbers, company-scoped reads for admins.
const clock = new ManualClock('2026-01-15T09:00:00Z');
let portal: TestPortal;
let admin: string;
let secondAdmin: string;
let tech: string;
let globexAdmin: string;

beforeAll(async () => {
  portal = await startTestPortal({ clock });
  admin = tokenFor(portal, 'admin@acme.test');
  secondAdmin = tokenFor(portal, 'totp@acme.test');
  tech = tokenFor(portal, 'tech@acme.test');
  globexAdmin = tokenFor(portal, 'admin@globex.test');
});
afterAll(async () => {
  await portal?.close();
});

async function change(token: string, id: string, cellPhone: string) {
  const response = await call(portal, 'inject', 'PATCH', `/api/v1/employees/${id}`, {
    token,
    body: { cellPhone },
    headers: { 'if-match': ifMatch(storedEmployee(portal, id).version) },
  });
  expect(response.status).toBe(200);
  return response;
}

async function audit(query: string, token = admin): Promise<AuditEntry[]> {
  const response = await call(portal, 'https', 'GET', `/api/v1/audit${query}`, { token });
  expect(response.status, response.text).toBe(200);
  return auditListSchema.parse(response.body).items;
}

describe('audit entries', () => {
  it('records who, when (UTC), which employee, the field, old → new masked, and the request id', async () => {
    const id = 'acme-0070';
    const before = storedEmployee(portal, id);
    clock.advance(60_000);
    const first = await change(admin, id, '+1 212 555 0170');
    clock.advance(60_000);
    const second = await change(secondAdmin, id, '+44 20 7946 0170');

    const entries = await audit(`?employeeId=${id}`);
    expect(entries).toHaveLength(2);
    const [newest, oldest] = entries as [AuditEntry, AuditEntry];
    expect(oldest).toMatchObject({
      at: '2026-01-15T09:01:00.000Z',
      actor: { id: 'acme-0001', email: 'admin@acme.test' },
      employeeId: id,
      field: 'cellPhone',
      oldValue: before.cell_phone === null ? null : `•••• ${before.cell_phone.slice(-4)}`,
      newValue: '•••• 0170',
      requestId: first.headers['x-request-id'],
    });
    expect(newest).toMatchObject({
      at: '2026-01-15T09:02:00.000Z',
      actor: { id: 'acme-0003', email: 'totp@acme.test' },
      oldValue: '•••• 0170',
      newValue: '•••• 0170',
      requestId: second.headers['x-request-id'],
    });
    expect(newest.id).toBeGreaterThan(oldest.id);
    // No full number anywhere, in the answer or in the table.
    const text = (await call(portal, 'inject', 'GET', `/api/v1/audit?employeeId=${id}`, { token: admin })).text;
    for (const number of ['12125550170', '442079460170', before.cell_phone?.slice(1)]) if (number) expect(text).not.toContain(number);
    const stored = portal.db.prepare('SELECT old_value, new_value FROM audit_log').all() as { old_value: string | null; new_value: string | null }[];
    for (const row of stored) for (const value of [row.old_value, row.new_value]) if (value !== null) expect(value).toMatch(/^•••• \d{4}$|^••••$/);
  });

  it('lists the whole company newest first without employeeId, and never another company', async () => {
    await change(admin, 'acme-0071', '+12125550171');
    await change(globexAdmin, 'globex-0005', '+447400100005');
    const acme = await audit('');
    expect(acme.length).toBeGreaterThanOrEqual(3);
    expect(acme.every((entry) => entry.employeeId.startsWith('acme-'))).toBe(true);
    expect(acme.map((entry) => entry.id)).toEqual([...acme.map((entry) => entry.id)].sort((a, b) => b - a));
    const globex = await audit('', globexAdmin);
    expect(globex.map((entry) => entry.employeeId)).toEqual(['globex-0005']);
  });

  it.each(TRANSPORTS)("over %s: 404 for another company's employee, 403 for non-admins, 401 without a token, 400 for bad input", async (transport) => {
    const other = await call(portal, transport, 'GET', '/api/v1/audit?employeeId=acme-0070', { token: globexAdmin });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ code: 'not_found', message: 'No such employee.' });
    const forbidden = await call(portal, transport, 'GET', '/api/v1/audit', { token: tech });
    expect(forbidden.status).toBe(403);
    expect((await call(portal, transport, 'GET', '/api/v1/audit')).status).toBe(401);
    for (const query of ['?employeeId=../etc', '?employeeId=acme-0070&limit=5', '?employeeId=' + 'a'.repeat(65)]) {
      expect((await call(portal, transport, 'GET', `/api/v1/audit${query}`, { token: admin })).status, query).toBe(400);
    }
  });

  it('a no-op change writes no row', async () => {
    const id = 'acme-0072';
    await change(admin, id, '+12125550172');
    await change(admin, id, '(212) 555-0172');
    expect(await audit(`?employeeId=${id}`)).toHaveLength(1);
  });
});

describe('the audit table is append-only in the database itself', () => {
  it('refuses UPDATE and DELETE of audit rows', async () => {
    await change(admin, 'acme-0073', '+12125550173');
    const count = () => (portal.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = count();
    const rows = portal.db.prepare('SELECT * FROM audit_log ORDER BY id').all();
    expect(() => portal.db.prepare("UPDATE audit_log SET new_value = 'forged'").run()).toThrow(/append-only/);
    expect(() => portal.db.prepare("UPDATE audit_log SET actor_email = 'someone@else.test' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => portal.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => portal.db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    // REPLACE deletes the clashing row without firing DELETE triggers; a third trigger refuses it.
    const replace = (verb: string) => () =>
      portal.db
        .prepare(`${verb} INTO audit_log (id, at, company_id, actor_id, actor_email, employee_id, field, request_id) VALUES (1, 'x', 'acme', 'x', 'x', 'x', 'x', 'x')`)
        .run();
    expect(replace('INSERT OR REPLACE')).toThrow(/append-only/);
    expect(replace('REPLACE')).toThrow(/append-only/);
    expect(() =>
      portal.db.prepare("INSERT INTO audit_log (id, at, company_id, actor_id, actor_email, employee_id, field, request_id) VALUES (1, 'x', 'acme', 'x', 'x', 'x', 'x', 'x') ON CONFLICT (id) DO UPDATE SET new_value = 'forged'").run(),
    ).toThrow(/append-only/);
    expect(count()).toBe(before);
    expect(portal.db.prepare('SELECT * FROM audit_log ORDER BY id').all()).toEqual(rows);
  });

  it('the change and its audit row commit together: if the audit write fails, the change is rolled back', async () => {
    const id = 'acme-0074';
    const before = storedEmployee(portal, id);
    portal.db.exec("CREATE TEMP TRIGGER audit_refuses BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no audit today'); END");
    try {
      const response = await call(portal, 'inject', 'PATCH', `/api/v1/employees/${id}`, {
        token: admin,
        body: { cellPhone: '+12125550174' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(500);
      expect(response.text).not.toMatch(/no audit today|audit_log|trigger|SQLITE|at .*\.ts/i);
    } finally {
      portal.db.exec('DROP TRIGGER audit_refuses');
    }
    expect(storedEmployee(portal, id)).toEqual(before);
  });
});
