import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { employeeBatchResponseSchema, employeeSchema, type ApiError, type EmployeeBatchResponse } from '../../../common/api';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { TRANSPORTS, call, ifMatch, readAudit as auditRows, readEmployee as storedEmployee } from '../../support/employees';

// POST /employees/batch: many PATCHes in one request, each answered on its own.
describeEachBackend('employees batch', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', tech: 'tech@acme.test' } });
  const { tokens } = env;

  const item = (id: string, version: number | string, cellPhone: string, idempotencyKey = randomUUID()) => ({
    id,
    ifMatch: typeof version === 'number' ? ifMatch(version) : version,
    idempotencyKey,
    patch: { cellPhone },
  });

  describe.each(TRANSPORTS)('batch over %s', (transport) => {
    const base = transport === 'inject' ? 200 : 220;
    const idOf = (offset: number) => `acme-${String(base + offset).padStart(4, '0')}`;

    it('answers every item as the same PATCH would, in order', async () => {
      const versions = await Promise.all([0, 1, 2, 3, 4, 5].map(async (offset) => (await storedEmployee(env.portal, idOf(offset))).version));
      const v = (offset: number) => versions[offset]!;
      const okKey = randomUUID();
      const same = await storedEmployee(env.portal, idOf(5));
      const items = [
        item(idOf(0), v(0), '+1 212 555 0200', okKey),
        item(idOf(1), v(1) + 3, '+12125550201'),
        item(idOf(2), v(2), '+1 900 555 0100'),
        item('globex-0002', 1, '+447400123999'),
        item(idOf(3), '', '+12125550203'),
        item(idOf(0), v(0), '+1 212 555 0200', okKey), // a retry inside the batch: the stored answer
        item(idOf(0), v(0), '+12125550299', okKey), // the key again with another body
        ...(same.cell_phone ? [item(idOf(5), same.version, same.cell_phone)] : []), // no-op
      ];
      const response = await call(env.portal, transport, 'POST', '/api/v1/employees/batch', { token: tokens.admin, body: { items } });
      expect(response.status).toBe(200);
      const { results } = employeeBatchResponseSchema.parse(response.body) as EmployeeBatchResponse;
      expect(results.map((result) => [result.id, result.idempotencyKey])).toEqual(items.map((i) => [i.id, i.idempotencyKey]));
      expect(results.map((result) => result.status)).toEqual([200, 412, 422, 404, 428, 200, 422, ...(same.cell_phone ? [200] : [])]);

      const changed = employeeSchema.parse(results[0]!.body);
      expect(changed).toMatchObject({ id: idOf(0), cellPhone: '+12125550200', version: (await storedEmployee(env.portal, idOf(0))).version });
      expect((results[1]!.body as ApiError)).toMatchObject({ code: 'precondition_failed', current: { id: idOf(1), version: v(1) } });
      expect((results[2]!.body as ApiError).errors).toEqual([expect.objectContaining({ field: 'cellPhone', code: 'unreachable_type' })]);
      expect(results[3]!.body).toEqual({ code: 'not_found', message: 'No such employee.' });
      expect(results[4]!.body).toMatchObject({ code: 'precondition_required' });
      expect(results[5]!.body).toEqual(results[0]!.body);
      expect(results[6]!.body).toMatchObject({ code: 'idempotency_key_reused' });
      if (same.cell_phone) expect(results[7]!.body).toMatchObject({ version: same.version });

      expect(await auditRows(env.portal, idOf(0))).toHaveLength(1);
      for (const offset of [1, 2, 3, 5]) expect(await auditRows(env.portal, idOf(offset))).toHaveLength(0);
      expect((await storedEmployee(env.portal, 'globex-0002')).cell_phone).not.toBe('+447400123999');
    });

    it('a batch item and a PATCH with the same key and body are the same request', async () => {
      const id = idOf(6);
      const before = await storedEmployee(env.portal, id);
      const key = randomUUID();
      const patch = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: tokens.admin,
        body: { cellPhone: '+12125550206' },
        headers: { 'if-match': ifMatch(before.version), 'idempotency-key': key },
      });
      expect(patch.status).toBe(200);
      const batch = await call(env.portal, transport, 'POST', '/api/v1/employees/batch', {
        token: tokens.admin,
        body: { items: [item(id, before.version, '+12125550206', key)] },
      });
      const [result] = (batch.body as EmployeeBatchResponse).results;
      expect(result).toMatchObject({ status: 200, body: patch.body });
      expect(await auditRows(env.portal, id)).toHaveLength(1);
    });

    it('403 for non-admins, 400 for a malformed batch; nothing changes', async () => {
      const id = idOf(7);
      const before = await storedEmployee(env.portal, id);
      const good = item(id, before.version, '+12125550207');
      const forbidden = await call(env.portal, transport, 'POST', '/api/v1/employees/batch', { token: tokens.tech, body: { items: [good] } });
      expect(forbidden.status).toBe(403);
      const malformed: unknown[] = [
        { items: [] },
        { items: Array.from({ length: 101 }, () => good) },
        { items: [{ ...good, extra: true }] },
        { items: [{ ...good, patch: { cellPhone: '+12125550207', role: 'admin' } }] },
        { items: [{ ...good, idempotencyKey: 'not-a-uuid' }] },
        { items: [{ ...good, id: '../acme-0001' }] },
        { items: [{ ...good, patch: { cellPhone: 12125550207 } }] },
        { items: [good], extra: 1 },
        { items: good },
        [good],
      ];
      for (const body of malformed) {
        const response = await call(env.portal, transport, 'POST', '/api/v1/employees/batch', { token: tokens.admin, body });
        expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
      }
      expect(await storedEmployee(env.portal, id)).toEqual(before);
    });
  });

  describe('audit rows and notices', () => {
    it('one audit row per changed item, in item order, each with its own notices (a landline told by voice)', async () => {
      const [landline, stale, changed, removed] = ['acme-0240', 'acme-0241', 'acme-0242', 'acme-0243'];
      const version = async (id: string) => (await storedEmployee(env.portal, id)).version;
      const first = await call(env.portal, 'inject', 'POST', '/api/v1/employees/batch', {
        token: tokens.admin,
        body: { items: [item(landline, await version(landline), '+44 20 7946 0240'), item(changed, await version(changed), '+12125550242')] },
      });
      expect((first.body as EmployeeBatchResponse).results.map((result) => result.status)).toEqual([200, 200]);
      const auditBefore = (await env.portal.store.get<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM audit_log'))!.id;

      const items = [
        item(landline, await version(landline), '+12125551240'),
        item(stale, (await version(stale)) + 1, '+12125551241'),
        item(changed, await version(changed), '+12125551242'),
        { ...item(removed, await version(removed), ''), patch: { cellPhone: null } },
      ];
      const response = await call(env.portal, 'inject', 'POST', '/api/v1/employees/batch', { token: tokens.admin, body: { items } });
      expect((response.body as EmployeeBatchResponse).results.map((result) => result.status)).toEqual([200, 412, 200, 200]);

      const audit = await env.portal.store.all<{ id: number; employee_id: string; old_value: string | null; new_value: string | null }>(
        'SELECT id, employee_id, old_value, new_value FROM audit_log WHERE id > ? ORDER BY id', auditBefore);
      expect(audit.map((row) => [row.employee_id, row.old_value, row.new_value])).toEqual([
        [landline, '•••• 0240', '•••• 1240'],
        [changed, '•••• 0242', '•••• 1242'],
        [removed, expect.stringMatching(/^•••• \d{4}$/), null],
      ]);
      const notices = await env.portal.store.all<{ audit_id: number; channel: string; recipient: string }>(
        'SELECT audit_id, channel, recipient FROM notification_outbox WHERE audit_id > ? ORDER BY id', auditBefore);
      const email = async (id: string) => (await env.portal.store.get<{ email: string }>('SELECT email FROM employees WHERE id = ?', id))!.email;
      const removedBefore = (await env.portal.store.get<{ old_value: string }>('SELECT old_value FROM audit_log WHERE id = ?', audit[2]!.id))!.old_value;
      expect(notices.map((notice) => [notice.audit_id, notice.channel, notice.recipient.endsWith(removedBefore.slice(-4)) ? 'old' : notice.recipient])).toEqual([
        [audit[0]!.id, 'voice', '+442079460240'],
        [audit[0]!.id, 'email', await email(landline)],
        [audit[1]!.id, 'sms', '+12125550242'],
        [audit[1]!.id, 'email', await email(changed)],
        [audit[2]!.id, 'sms', 'old'],
        [audit[2]!.id, 'email', await email(removed)],
      ]);
    });
  });

  describe('batch size', () => {
    it('takes 100 items in one request', async () => {
      const ids = Array.from({ length: 100 }, (_, index) => `acme-${String(101 + index).padStart(4, '0')}`).filter((id) => Number(id.slice(5)) < 200);
      const versions = new Map(await Promise.all(ids.map(async (id) => [id, (await storedEmployee(env.portal, id)).version] as const)));
      const items = Array.from({ length: 100 }, (_, index) => {
        const id = ids[index % ids.length]!;
        // Each employee appears at most twice: the second use of a version is stale.
        return item(id, versions.get(id)!, `+1212555${String(3000 + index)}`);
      });
      const response = await call(env.portal, 'inject', 'POST', '/api/v1/employees/batch', { token: tokens.admin, body: { items } });
      expect(response.status).toBe(200);
      const statuses = (response.body as EmployeeBatchResponse).results.map((result) => result.status);
      expect(statuses).toHaveLength(100);
      expect(statuses.filter((status) => status === 200)).toHaveLength(ids.length);
      expect(statuses.filter((status) => status === 412)).toHaveLength(100 - ids.length);
    });
  });
});
