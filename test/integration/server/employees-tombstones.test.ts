import { expect, it } from 'vitest';
import type { ApiError, Employee, EmployeeList } from '../../../common/api';
import { TOMBSTONE_RETENTION_DAYS } from '../../../server/employees/tombstones';
import { describeEachBackend } from '../../support/backends';
import { portalRequest, sessionToken } from '../../support/portal';
import { useBackendPortal } from '../../support/backend-portal';
import { ifMatch } from '../../support/employees';

const DAY_MS = 24 * 60 * 60 * 1000;

describeEachBackend('employee deletions and tombstones', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', globexAdmin: 'admin@globex.test' } });
  const { tokens } = env;

  const list = async (token: string, query: string): Promise<EmployeeList> => {
    const response = await portalRequest(env.portal, 'GET', `/api/v1/employees?limit=1000${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return response.body as EmployeeList;
  };
  const remove = (id: string, token = tokens.admin) => portalRequest(env.portal, 'DELETE', `/api/v1/employees/${id}`, { token });

  it('a delta after deletions lists the deleted ids with their time, next to the changed rows; nothing of another company', async () => {
    const before = await list(tokens.admin, '');
    expect(before.asOf).toEqual(expect.any(String));
    const since = before.asOf!;
    // An employee with a live session of their own: their sessions go with them.
    await sessionToken(env.portal, 'totp@acme.test');
    expect((await remove('acme-0003')).status).toBe(204);
    expect((await remove('acme-0150')).status).toBe(204);
    const changed = before.items.find((employee) => employee.id === 'acme-0151')!;
    const patched = await portalRequest(env.portal, 'PATCH', '/api/v1/employees/acme-0151', {
      token: tokens.admin,
      body: { cellPhone: '+12125550151' },
      headers: { 'if-match': ifMatch(changed.version), 'idempotency-key': crypto.randomUUID() },
    });
    expect(patched.status, patched.text).toBe(200);

    const delta = await list(tokens.admin, `&changedSince=${encodeURIComponent(since)}`);
    expect(delta.items.map((employee) => employee.id)).toEqual(['acme-0151']);
    expect(delta.deleted?.map((tombstone) => tombstone.id).sort()).toEqual(['acme-0003', 'acme-0150']);
    for (const tombstone of delta.deleted!) expect(tombstone.deletedAt > since).toBe(true);
    // A later base does not repeat them; another company never sees them.
    expect((await list(tokens.admin, `&changedSince=${encodeURIComponent(delta.asOf!)}`)).deleted).toEqual([]);
    expect((await list(tokens.globexAdmin, `&changedSince=${encodeURIComponent(since)}`)).deleted).toEqual([]);

    const after = await list(tokens.admin, '');
    const ids = new Set(after.items.map((employee: Employee) => employee.id));
    expect(ids.has('acme-0150') || ids.has('acme-0003')).toBe(false);
    expect(after.total).toBe(before.total - 2);
    expect((await portalRequest(env.portal, 'GET', '/api/v1/employees/acme-0150', { token: tokens.admin })).status).toBe(404);
    const audit = await portalRequest(env.portal, 'GET', '/api/v1/audit', { token: tokens.admin });
    const entries = (audit.body as { items: { employeeId: string; field: string; newValue: string | null }[] }).items;
    expect(entries.filter((entry) => entry.employeeId === 'acme-0150')).toEqual([expect.objectContaining({ field: 'employee', newValue: null })]);
  });

  it('refuses deleting oneself, another company’s employee, and deletions by non-admins', async () => {
    expect(((await remove('acme-0001')).body as ApiError).code).toBe('forbidden');
    expect((await remove('globex-0100')).status).toBe(404);
    const tech = await sessionToken(env.portal, 'tech@acme.test');
    expect((await remove('acme-0160', tech)).status).toBe(403);
    expect((await portalRequest(env.portal, 'GET', '/api/v1/employees/acme-0160', { token: tokens.admin })).status).toBe(200);
  });

  it(`a changedSince older than ${TOMBSTONE_RETENTION_DAYS} days is answered 410 changed_since_expired (the client loads everything)`, async () => {
    const old = new Date(Date.now() - (TOMBSTONE_RETENTION_DAYS + 1) * DAY_MS).toISOString();
    const response = await portalRequest(env.portal, 'GET', `/api/v1/employees?changedSince=${encodeURIComponent(old)}`, { token: tokens.admin });
    expect(response.status).toBe(410);
    expect((response.body as ApiError).code).toBe('changed_since_expired');
    const recent = new Date(Date.now() - (TOMBSTONE_RETENTION_DAYS - 1) * DAY_MS).toISOString();
    expect((await portalRequest(env.portal, 'GET', `/api/v1/employees?changedSince=${encodeURIComponent(recent)}`, { token: tokens.admin })).status).toBe(200);
  });

  it('a deletion prunes tombstones older than the retention', async () => {
    const old = new Date(Date.now() - (TOMBSTONE_RETENTION_DAYS + 2) * DAY_MS).toISOString();
    await env.portal.store.run('INSERT INTO employee_tombstones (company_id, id, deleted_at) VALUES (?, ?, ?)', 'acme', 'acme-gone', old);
    expect((await remove('acme-0170')).status).toBe(204);
    const rows = await env.portal.store.all<{ id: string }>('SELECT id FROM employee_tombstones WHERE company_id = ? ORDER BY id', 'acme');
    expect(rows.map((row) => row.id)).toEqual(['acme-0003', 'acme-0150', 'acme-0170']);
  });
});
