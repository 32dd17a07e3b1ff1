import { describe, expect, it } from 'vitest';
import { auditListSchema, type AuditEntry } from '../../../common/api';
import { ManualClock } from '../../../server/clock';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { TRANSPORTS, call, ifMatch, readEmployee } from '../../support/employees';

// The audit: one append-only row per change, masked numbers, company-scoped reads for admins.
describeEachBackend('audit', (backend) => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal(backend, {
    clock,
    tokens: { admin: 'admin@acme.test', secondAdmin: 'totp@acme.test', tech: 'tech@acme.test', globexAdmin: 'admin@globex.test' },
  });
  const { tokens } = env;

  async function change(token: string, id: string, cellPhone: string) {
    const response = await call(env.portal, 'inject', 'PATCH', `/api/v1/employees/${id}`, {
      token,
      body: { cellPhone },
      headers: { 'if-match': ifMatch((await readEmployee(env.portal, id)).version) },
    });
    expect(response.status).toBe(200);
    return response;
  }

  async function audit(query: string, token = tokens.admin): Promise<AuditEntry[]> {
    const response = await call(env.portal, 'https', 'GET', `/api/v1/audit${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return auditListSchema.parse(response.body).items;
  }

  describe('audit entries', () => {
    it('records who, when (UTC), which employee, the field, old → new masked, and the request id', async () => {
      const id = 'acme-0070';
      const before = await readEmployee(env.portal, id);
      clock.advance(60_000);
      const first = await change(tokens.admin, id, '+1 212 555 0170');
      clock.advance(60_000);
      const second = await change(tokens.secondAdmin, id, '+44 20 7946 0170');

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
      const text = (await call(env.portal, 'inject', 'GET', `/api/v1/audit?employeeId=${id}`, { token: tokens.admin })).text;
      for (const number of ['12125550170', '442079460170', before.cell_phone?.slice(1)]) if (number) expect(text).not.toContain(number);
      const stored = await env.portal.store.all<{ old_value: string | null; new_value: string | null }>('SELECT old_value, new_value FROM audit_log');
      for (const row of stored) for (const value of [row.old_value, row.new_value]) if (value !== null) expect(value).toMatch(/^•••• \d{4}$|^••••$/);
    });

    it('lists the whole company newest first without employeeId, and never another company', async () => {
      await change(tokens.admin, 'acme-0071', '+12125550171');
      await change(tokens.globexAdmin, 'globex-0005', '+447400100005');
      const acme = await audit('');
      expect(acme.length).toBeGreaterThanOrEqual(3);
      expect(acme.every((entry) => entry.employeeId.startsWith('acme-'))).toBe(true);
      expect(acme.map((entry) => entry.id)).toEqual([...acme.map((entry) => entry.id)].sort((a, b) => b - a));
      const globex = await audit('', tokens.globexAdmin);
      expect(globex.map((entry) => entry.employeeId)).toEqual(['globex-0005']);
    });

    it.each(TRANSPORTS)("over %s: 404 for another company's employee, 403 for non-admins, 401 without a token, 400 for bad input", async (transport) => {
      const other = await call(env.portal, transport, 'GET', '/api/v1/audit?employeeId=acme-0070', { token: tokens.globexAdmin });
      expect(other.status).toBe(404);
      expect(other.body).toEqual({ code: 'not_found', message: 'No such employee.' });
      const forbidden = await call(env.portal, transport, 'GET', '/api/v1/audit', { token: tokens.tech });
      expect(forbidden.status).toBe(403);
      expect((await call(env.portal, transport, 'GET', '/api/v1/audit')).status).toBe(401);
      for (const query of ['?employeeId=../etc', '?employeeId=acme-0070&limit=5', '?employeeId=' + 'a'.repeat(65)]) {
        expect((await call(env.portal, transport, 'GET', `/api/v1/audit${query}`, { token: tokens.admin })).status, query).toBe(400);
      }
    });

    it('a no-op change writes no row', async () => {
      const id = 'acme-0072';
      await change(tokens.admin, id, '+12125550172');
      await change(tokens.admin, id, '(212) 555-0172');
      expect(await audit(`?employeeId=${id}`)).toHaveLength(1);
    });

    it("keeps a deleted employee's history readable by the company's admins, and still 404 to another company", async () => {
      const id = 'acme-0075';
      await change(tokens.admin, id, '+12125550175');
      const removed = await call(env.portal, 'https', 'DELETE', `/api/v1/employees/${id}`, { token: tokens.admin });
      expect(removed.status, removed.text).toBe(204);
      expect((await call(env.portal, 'https', 'GET', `/api/v1/employees/${id}`, { token: tokens.admin })).status).toBe(404);

      const history = await audit(`?employeeId=${id}`);
      expect(history.map((entry) => [entry.field, entry.newValue])).toEqual([['employee', null], ['cellPhone', '•••• 0175']]);
      expect(history.every((entry) => entry.employeeId === id)).toBe(true);
      const other = await call(env.portal, 'https', 'GET', `/api/v1/audit?employeeId=${id}`, { token: tokens.globexAdmin });
      expect(other.status).toBe(404);
      expect(other.body).toEqual({ code: 'not_found', message: 'No such employee.' });
      // An employee who never existed is still unknown.
      expect((await call(env.portal, 'https', 'GET', '/api/v1/audit?employeeId=acme-9999', { token: tokens.admin })).status).toBe(404);
    });

    it('an existing employee without changes has an empty history (200, not 404)', async () => {
      expect(await audit('?employeeId=acme-0076')).toEqual([]);
    });
  });

  describe('the audit table is append-only in the database itself', () => {
    it('refuses UPDATE and DELETE of audit rows (and REPLACE on SQLite, TRUNCATE on PostgreSQL)', async () => {
      await change(tokens.admin, 'acme-0073', '+12125550173');
      const { store } = env.portal;
      const count = async () => (await store.get<{ n: number }>('SELECT count(*) AS n FROM audit_log'))!.n;
      const before = await count();
      const rows = await store.all<{ id: number }>('SELECT * FROM audit_log ORDER BY id');
      const first = rows[0]!.id;
      const values = `(${first}, 'x', 'acme', 'x', 'x', 'x', 'x', 'x')`;
      const columns = '(id, at, company_id, actor_id, actor_email, employee_id, field, request_id)';
      const forgeries = [
        "UPDATE audit_log SET new_value = 'forged'",
        `UPDATE audit_log SET actor_email = 'someone@else.test' WHERE id = ${first}`,
        'DELETE FROM audit_log',
        `DELETE FROM audit_log WHERE id = ${first}`,
        ...(store.dialect === 'sqlite'
          ? [
              // REPLACE deletes the clashing row without firing DELETE triggers; a third trigger refuses it.
              `INSERT OR REPLACE INTO audit_log ${columns} VALUES ${values}`,
              `REPLACE INTO audit_log ${columns} VALUES ${values}`,
              `INSERT INTO audit_log ${columns} VALUES ${values} ON CONFLICT (id) DO UPDATE SET new_value = 'forged'`,
            ]
          : [
              'TRUNCATE audit_log CASCADE', // CASCADE: the notices' outbox refers to audit rows
              `INSERT INTO audit_log ${columns} OVERRIDING SYSTEM VALUE VALUES ${values} ON CONFLICT (id) DO UPDATE SET new_value = 'forged'`,
            ]),
      ];
      for (const sql of forgeries) await expect(store.run(sql), sql).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
      expect(await store.all('SELECT * FROM audit_log ORDER BY id')).toEqual(rows);
    });

    it('the change and its audit row commit together: if the audit write fails, the change is rolled back', async () => {
      const id = 'acme-0074';
      const before = await readEmployee(env.portal, id);
      const { store } = env.portal;
      // A trigger that refuses every audit row (on SQLite a TEMP one, on this connection only).
      const [refuse, allow] =
        store.dialect === 'sqlite'
          ? ["CREATE TEMP TRIGGER audit_refuses BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no audit today'); END", 'DROP TRIGGER audit_refuses']
          : [
              `CREATE FUNCTION audit_refuses() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no audit today'; END $$;
               CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuses();`,
              'DROP TRIGGER audit_refuses ON audit_log; DROP FUNCTION audit_refuses();',
            ];
      await store.run(refuse);
      try {
        const response = await call(env.portal, 'inject', 'PATCH', `/api/v1/employees/${id}`, {
          token: tokens.admin,
          body: { cellPhone: '+12125550174' },
          headers: { 'if-match': ifMatch(before.version) },
        });
        expect(response.status).toBe(500);
        expect(response.text).not.toMatch(/no audit today|audit_log|trigger|SQLITE|plpgsql|at .*\.ts/i);
      } finally {
        await store.run(allow);
      }
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });
  });
});
