import { describe, expect, it } from 'vitest';
import { employeeListSchema, employeeSchema, type ApiError, type Employee, type EmployeeList } from '../../../common/api';
import { explainPhoneRefusal } from '../../../common/phone';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { TRANSPORTS, call, ifMatch, readAudit, readEmployee } from '../../support/employees';

// Employees routes: reads, the PATCH status codes, masking and tenant isolation — each over
// Fastify's inject and over real HTTPS, on both backends.
describeEachBackend('employees', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', tech: 'tech@acme.test', globexAdmin: 'admin@globex.test' } });

  describe.each(TRANSPORTS)('employees over %s', (transport) => {
    // Each transport edits its own employees, so the two runs do not see each other's versions.
    const base = transport === 'inject' ? 10 : 40;
    const idOf = (offset: number) => `acme-${String(base + offset).padStart(4, '0')}`;

    it('401 without a token, with a fixed body', async () => {
      for (const [method, path] of [['GET', '/api/v1/employees'], ['GET', '/api/v1/employees/acme-0001'], ['PATCH', '/api/v1/employees/acme-0001']] as const) {
        const response = await call(env.portal, transport, method, path, method === 'PATCH' ? { body: { cellPhone: '+12125550100' } } : {});
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code: 'unauthenticated' });
      }
    });

    it('lists only the caller company: Acme admin sees Acme, Globex admin sees Globex', async () => {
      const acme = await call(env.portal, transport, 'GET', '/api/v1/employees?limit=1000', { token: env.tokens.admin });
      expect(acme.status).toBe(200);
      const acmeList = employeeListSchema.parse(acme.body);
      expect(acmeList.total).toBe(250);
      expect(acmeList.items.every((employee) => employee.id.startsWith('acme-'))).toBe(true);

      const globex = await call(env.portal, transport, 'GET', '/api/v1/employees?limit=1000', { token: env.tokens.globexAdmin });
      const globexList = employeeListSchema.parse(globex.body);
      expect(globexList.total).toBe(21);
      expect(globexList.items.every((employee) => employee.id.startsWith('globex-'))).toBe(true);
    });

    it('admins get full E.164 numbers, other roles only the last 4 digits', async () => {
      const full = (await call(env.portal, transport, 'GET', '/api/v1/employees?limit=1000', { token: env.tokens.admin })).body as EmployeeList;
      const masked = (await call(env.portal, transport, 'GET', '/api/v1/employees?limit=1000', { token: env.tokens.tech })).body as EmployeeList;
      const withPhone = full.items.filter((employee) => employee.cellPhone !== null);
      expect(withPhone.length).toBeGreaterThan(100);
      for (const employee of withPhone) expect(employee.cellPhone).toMatch(/^\+[1-9]\d{7,14}$/);
      const byId = new Map(masked.items.map((employee) => [employee.id, employee]));
      for (const employee of full.items) {
        const seen = byId.get(employee.id)!;
        expect(seen.cellPhone).toBe(employee.cellPhone === null ? null : `•••• ${employee.cellPhone.slice(-4)}`);
      }
      // The masked list never contains a full number anywhere in its text.
      const text = (await call(env.portal, transport, 'GET', '/api/v1/employees?limit=1000', { token: env.tokens.tech })).text;
      expect(text).not.toMatch(/\+\d{6,}/);

      const one = await call(env.portal, transport, 'GET', '/api/v1/employees/acme-0001', { token: env.tokens.tech });
      expect((one.body as Employee).cellPhone).toBe('•••• 0142');
    });

    it('GET /employees/{id}: the employee with a strong ETag of its version', async () => {
      const response = await call(env.portal, transport, 'GET', `/api/v1/employees/${idOf(0)}`, { token: env.tokens.admin });
      expect(response.status).toBe(200);
      const employee = employeeSchema.parse(response.body);
      expect(response.headers.etag).toBe(`"${employee.version}"`);
      expect(employee.version).toBe((await readEmployee(env.portal, idOf(0))).version);
    });

    it("404 (never 403) for another company's employee, on GET and PATCH, and the row is untouched", async () => {
      const before = await readEmployee(env.portal, 'acme-0001');
      const get = await call(env.portal, transport, 'GET', '/api/v1/employees/acme-0001', { token: env.tokens.globexAdmin });
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ code: 'not_found', message: 'No such employee.' });
      const patch = await call(env.portal, transport, 'PATCH', '/api/v1/employees/acme-0001', {
        token: env.tokens.globexAdmin,
        body: { cellPhone: '+447400123999' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(patch.status).toBe(404);
      expect(patch.body).toEqual(get.body);
      // Same answer as for an id that exists nowhere.
      const missing = await call(env.portal, transport, 'GET', '/api/v1/employees/acme-999999', { token: env.tokens.globexAdmin });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(get.body);
      expect(await readEmployee(env.portal, 'acme-0001')).toEqual(before);
    });

    it('403 for a non-admin PATCH, before the body is even read', async () => {
      const id = idOf(1);
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.tech,
        body: { cellPhone: '+12125550111' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'forbidden' });
      const malformed = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, { token: env.tokens.tech, rawBody: '{not json' });
      expect(malformed.status).toBe(403);
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });

    it('428 without If-Match (and for If-Match: *)', async () => {
      const id = idOf(2);
      const before = await readEmployee(env.portal, id);
      for (const headers of [{}, { 'if-match': '*' }, { 'if-match': '  ' }] as Record<string, string>[]) {
        const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, { token: env.tokens.admin, body: { cellPhone: '+12125550112' }, headers });
        expect(response.status).toBe(428);
        expect(response.body).toMatchObject({ code: 'precondition_required' });
      }
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });

    it('200: normalises to E.164, bumps the version, returns the new ETag and audits the change', async () => {
      const id = idOf(3);
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: '(212) 555-0113' }, // national format, read with the company's country (US)
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(200);
      const employee = employeeSchema.parse(response.body);
      expect(employee).toMatchObject({ id, cellPhone: '+12125550113', version: before.version + 1 });
      expect(response.headers.etag).toBe(`"${before.version + 1}"`);
      expect(employee.updatedAt).not.toBe(before.updated_at);
      const after = await readEmployee(env.portal, id);
      expect(after).toMatchObject({ cell_phone: '+12125550113', version: before.version + 1, updated_at: employee.updatedAt });
      expect(after.search_text.endsWith(' 12125550113')).toBe(true);
      expect(await readAudit(env.portal, id)).toHaveLength(1);

      const reread = await call(env.portal, transport, 'GET', `/api/v1/employees/${id}`, { token: env.tokens.admin });
      expect(reread.body).toEqual(employee);
      expect(reread.headers.etag).toBe(response.headers.etag);
    });

    it('reads national numbers with the caller company country (Globex: GB)', async () => {
      const before = await readEmployee(env.portal, transport === 'inject' ? 'globex-0003' : 'globex-0004');
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${before.id}`, {
        token: env.tokens.globexAdmin,
        body: { cellPhone: transport === 'inject' ? '07400 123457' : '07400 123458' },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(200);
      expect((response.body as Employee).cellPhone).toBe(transport === 'inject' ? '+447400123457' : '+447400123458');
    });

    it('the same number again (in any format) is a no-op: 200, same version, no audit row', async () => {
      const id = idOf(4);
      const first = await readEmployee(env.portal, id);
      const set = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: '+1 212 555 0114' },
        headers: { 'if-match': ifMatch(first.version) },
      });
      expect(set.status).toBe(200);
      const afterSet = await readEmployee(env.portal, id);
      const again = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone: '212.555.0114' },
        headers: { 'if-match': ifMatch(afterSet.version) },
      });
      expect(again.status).toBe(200);
      expect(again.headers.etag).toBe(ifMatch(afterSet.version));
      expect((again.body as Employee).version).toBe(afterSet.version);
      expect(await readEmployee(env.portal, id)).toEqual(afterSet);
      expect(await readAudit(env.portal, id)).toHaveLength(1);
    });

    it('412 with the current employee when If-Match is stale, weak or not ours', async () => {
      const id = idOf(5);
      const before = await readEmployee(env.portal, id);
      for (const value of [ifMatch(before.version + 7), `W/"${before.version}"`, 'abc', `"${before.version}", "${before.version + 1}"`]) {
        const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
          token: env.tokens.admin,
          body: { cellPhone: '+12125550115' },
          headers: { 'if-match': value },
        });
        expect(response.status).toBe(412);
        const body = response.body as ApiError;
        expect(body.code).toBe('precondition_failed');
        expect(employeeSchema.parse(body.current)).toMatchObject({ id, version: before.version, cellPhone: before.cell_phone });
      }
      expect(await readEmployee(env.portal, id)).toEqual(before);
    });

    it.each([
      ['invalid', '+1 212 555'],
      ['extension_not_allowed', '+1 212 555 0100 ext. 1234'],
      ['unreachable_type', '+1 900 555 0100'],
      ['unreachable_type', '1-800-555-0100'],
      ['required', '   '],
      ['too_long', '1'.repeat(251)],
      ['invalid', '<script>alert(1)</script>'],
    ])('422 validation_failed %s for %j, nothing changes', async (reason, cellPhone) => {
      const id = idOf(6);
      const before = await readEmployee(env.portal, id);
      const response = await call(env.portal, transport, 'PATCH', `/api/v1/employees/${id}`, {
        token: env.tokens.admin,
        body: { cellPhone },
        headers: { 'if-match': ifMatch(before.version) },
      });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        code: 'validation_failed',
        message: expect.any(String),
        errors: [{ field: 'cellPhone', code: reason, message: explainPhoneRefusal(cellPhone, 'US', reason as never) }],
      });
      expect(response.text).not.toContain('<script>');
      expect(await readEmployee(env.portal, id)).toEqual(before);
      expect(await readAudit(env.portal, id)).toHaveLength(0);
    });
  });
});
