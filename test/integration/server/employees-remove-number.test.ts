import { describe, expect, it } from 'vitest';
import { auditListSchema, employeeSchema, type ApiError } from '../../../common/api';
import { explainPhoneRefusal } from '../../../common/phone';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { TRANSPORTS, call, ifMatch, readAudit, readEmployee } from '../../support/employees';

// PATCH cellPhone: null removes a number (audited); over-long text is one rule, 422 too_long.
describeEachBackend('removing a number', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', tech: 'tech@acme.test' } });

  describe.each(TRANSPORTS)('employees over %s', (transport) => {
    const base = transport === 'inject' ? 100 : 130;
    const idOf = (offset: number) => `acme-${String(base + offset).padStart(4, '0')}`;
    /** An employee of the seed that has a number, from `offset` on. */
    async function withNumber(offset: number): Promise<string> {
      for (let next = offset; next < offset + 20; next++) if ((await readEmployee(env.portal, idOf(next))).cell_phone !== null) return idOf(next);
      throw new Error('no employee with a number near there');
    }

    it('cellPhone: null removes the number, bumps the version, and the audit says so (masked)', async () => {
      const id = await withNumber(0);
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: null },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(200);
      expect(employeeSchema.parse(response.body)).toMatchObject({ id, cellPhone: null, version: before.version + 1 });
      const after = await readEmployee(env.portal, id);
      expect(after.cell_phone).toBeNull();
      // Search no longer finds the employee by the old number's digits.
      expect(after.search_text).not.toContain(before.cell_phone!.replace(/\D/g, ''));
      expect(await readAudit(env.portal, id)).toEqual([{ old_value: `•••• ${before.cell_phone!.slice(-4)}`, new_value: null, request_id: expect.any(String) as unknown }]);
      const audit = await call(env.portal, transport, 'GET', `/api/v1/audit?employeeId=${id}`, { token: env.tokens.admin });
      expect(auditListSchema.parse(audit.body).items[0]).toMatchObject({ field: 'cellPhone', newValue: null });

      // Removing it again changes nothing and audits nothing.
      const again = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: null },
        headers: { 'if-match': ifMatch(after.version) },
      });
      expect(again.status).toBe(200);
      expect((await readEmployee(env.portal, id)).version).toBe(after.version);
      expect(await readAudit(env.portal, id)).toHaveLength(1);
    });

    it('only an admin may remove a number, and a stale version is a conflict', async () => {
      const id = await withNumber(3);
      const before = await readEmployee(env.portal, id);
      const forbidden = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.tech,
        body: { cellPhone: null },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(forbidden.status).toBe(403);
      const stale = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: null },
        headers: { 'if-match': ifMatch(before.version - 1) },
      });
      expect(stale.status).toBe(412);
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });

    it.each([
      ['251 characters', 251],
      ['1,024 characters', 1024],
      ['1,025 characters', 1025],
      ['100,000 characters', 100_000],
    ])('%s: one rule, 422 too_long from the phone rules, nothing changes', async (_name, length) => {
      const id = await withNumber(6);
      const before = await readEmployee(env.portal, id);
      const cellPhone = `+1 212 555 0100${' '.repeat(length - 15)}`;
      expect(cellPhone).toHaveLength(length);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(422);
      expect((response.body as ApiError).errors).toEqual([{ field: 'cellPhone', code: 'too_long', message: expect.stringContaining('too long') as unknown }]);
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });

    it('a tel: link is read like any other number; its extension is refused as an extension', async () => {
      const id = await withNumber(9);
      const before = await readEmployee(env.portal, id);
      const withExtension = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: 'tel:+1-212-555-0177;ext=12' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(withExtension.status).toBe(422);
      expect((withExtension.body as ApiError).errors?.[0]).toMatchObject({ code: 'extension_not_allowed' });
      const plain = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: 'tel:+1-212-555-0177' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(plain.status).toBe(200);
      expect((await readEmployee(env.portal, id)).cell_phone).toBe('+12125550177');
    });

    it('a service number is refused with its kind named', async () => {
      const id = await withNumber(12);
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: '1-800-555-0100' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(422);
      const error = (response.body as ApiError).errors?.[0];
      expect(error).toMatchObject({ code: 'unreachable_type', message: explainPhoneRefusal('1-800-555-0100', 'US', 'unreachable_type') });
      expect(error?.message).toMatch(/toll-free/);
    });
  });

  describe('batch', () => {
    it('an item may remove a number', async () => {
      const id = 'acme-0160';
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, 'inject', 'POST', '/api/v1/employees/batch', {
        token: env.tokens.admin,
        body: { items: [{ id, ifMatch: ifMatch(before.version), idempotencyKey: crypto.randomUUID(), patch: { cellPhone: null } }] },
      });
      expect(response.status).toBe(200);
      expect((await readEmployee(env.portal, id)).cell_phone).toBeNull();
    });
  });
});
