import { expect, it } from 'vitest';
import { LOOKUP_MAX_KEYS, employeeLookupColumnsSchema, employeeLookupSchema, readLookupColumns, type Employee } from '../../../common/api';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { call } from '../../support/employees';

// POST /employees/lookup: a few employees by id or email, as GET /employees would show them.
describeEachBackend('employees lookup', (backend) => {
  const env = useBackendPortal(backend, { tokens: { admin: 'admin@acme.test', tech: 'tech@acme.test' } });
  const { tokens } = env;

  const lookup = (token: string | undefined, body: unknown) => call(env.portal, 'https', 'POST', '/api/v1/employees/lookup', { token, body });
  const columns = (token: string | undefined, body: unknown) => call(env.portal, 'https', 'POST', '/api/v1/employees/lookup/columns', { token, body });
  const emailOf = async (id: string) => (await env.portal.store.get<{ email: string }>('SELECT email FROM employees WHERE id = ?', id))!.email;

  it("answers the caller's company's employees with those ids or emails (any case), each once, ordered by id", async () => {
    const byEmail = await emailOf('acme-0150');
    const answer = await lookup(tokens.admin, {
      ids: ['acme-0120', 'acme-0121', 'acme-0121', 'acme-9999', 'acme-0150'],
      emails: [byEmail.toUpperCase(), 'nobody@acme.test', 'tech@ACME.test'],
    });
    expect(answer.status).toBe(200);
    const { items } = employeeLookupSchema.parse(answer.body);
    expect(items.map((employee) => employee.id)).toEqual(['acme-0002', 'acme-0120', 'acme-0121', 'acme-0150']);
    // The same as the list shows.
    const listed = await call(env.portal, 'https', 'GET', `/api/v1/employees?q=${encodeURIComponent(byEmail)}&limit=5`, { token: tokens.admin });
    expect((listed.body as { items: Employee[] }).items.find((employee) => employee.id === 'acme-0150')).toEqual(items[3]);
  });

  it("never answers another company's employees, by id or by email", async () => {
    const answer = await lookup(tokens.admin, { ids: ['globex-0001', 'globex-0010'], emails: ['admin@globex.test', await emailOf('globex-0010')] });
    expect(answer.status).toBe(200);
    expect(employeeLookupSchema.parse(answer.body).items).toEqual([]);
  });

  it('shows a non-admin the masked numbers the list shows them', async () => {
    const answer = await lookup(tokens.tech, { ids: ['acme-0120'] });
    expect(answer.status).toBe(200);
    const [employee] = employeeLookupSchema.parse(answer.body).items;
    const stored = await env.portal.store.get<{ cell_phone: string | null }>('SELECT cell_phone FROM employees WHERE id = ?', 'acme-0120');
    expect(employee?.cellPhone ?? null).toBe(stored?.cell_phone ? `•••• ${stored.cell_phone.slice(-4)}` : null);
  });

  it('matches emails without regard to case in any script, the same on both databases; a look-alike of an ASCII letter is not a match', async () => {
    await env.portal.store.run('UPDATE employees SET email = ? WHERE id = ?', 'JÖRG.ÅSTRÖM@acme.test', 'acme-0170');
    await env.portal.store.run('UPDATE employees SET email = ? WHERE id = ?', 'kate.kowalski@acme.test', 'acme-0171');
    const ids = async (emails: string[]) => employeeLookupSchema.parse((await lookup(tokens.admin, { emails })).body).items.map((employee) => employee.id);
    expect(await ids(['jörg.åström@acme.test'])).toEqual(['acme-0170']);
    expect(await ids(['Jörg.Åström@ACME.TEST', 'nobody@acme.test'])).toEqual(['acme-0170']);
    expect(await ids(['KATE.KOWALSKI@acme.test'])).toEqual(['acme-0171']);
    // The Kelvin sign (U+212A) looks like K, and PostgreSQL's collation even calls it equal: not the same email here.
    expect(await ids(['\u212Aate.kowalski@acme.test'])).toEqual([]);
    expect(await ids(['jorg.astrom@acme.test'])).toEqual([]);
  });

  it('refuses more than the limit, a malformed id, an email with a NUL, and a caller without a token', async () => {
    const many = Array.from({ length: LOOKUP_MAX_KEYS / 2 + 1 }, (_, index) => `acme-${String(index).padStart(4, '0')}`);
    expect((await lookup(tokens.admin, { ids: many, emails: many.map((id) => `${id}@acme.test`) })).status).toBe(400);
    expect((await lookup(tokens.admin, { ids: ['acme 0001; DROP TABLE employees'] })).status).toBe(400);
    // PostgreSQL's text cannot hold NUL: a 400 on both databases, never a 500 from one of them.
    expect((await lookup(tokens.admin, { emails: ['kate\u0000@acme.test'] })).status).toBe(400);
    expect((await lookup(undefined, { ids: ['acme-0120'] })).status).toBe(401);
  });

  it('/lookup/columns answers the same employees in the same order, only the fields an import reads, one array per field', async () => {
    const byEmail = await emailOf('acme-0150');
    await env.portal.store.run('UPDATE employees SET email = ?, first_name = ? WHERE id = ?', 'JÖRG.ÅSTRÖM@acme.test', 'Jörg', 'acme-0170');
    const body = { ids: ['acme-0121', 'acme-0120', 'acme-9999', 'globex-0001', 'acme-0150'], emails: [byEmail.toUpperCase(), 'jörg.åström@acme.test', 'tech@ACME.test', 'admin@globex.test'] };
    const answer = await columns(tokens.admin, body);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const parsed = employeeLookupColumnsSchema.strict().parse(answer.body);
    const { items } = employeeLookupSchema.parse((await lookup(tokens.admin, body)).body);
    expect(parsed.ids).toEqual(['acme-0002', 'acme-0120', 'acme-0121', 'acme-0150', 'acme-0170']);
    expect(items.map((employee) => employee.id)).toEqual(parsed.ids);
    expect(readLookupColumns(answer.body)).toEqual(items.map(({ id, firstName, lastName, email, cellPhone, version }) => ({ id, firstName, lastName, email, cellPhone, version })));
    expect(parsed.firstNames[4]).toBe('Jörg');
  });

  it('/lookup/columns: masked numbers for a non-admin, nothing for no key, and the same refusals as /lookup', async () => {
    const masked = employeeLookupColumnsSchema.parse((await columns(tokens.tech, { ids: ['acme-0120'] })).body);
    const { items } = employeeLookupSchema.parse((await lookup(tokens.tech, { ids: ['acme-0120'] })).body);
    expect(masked.cellPhones).toEqual([items[0]!.cellPhone]);
    expect(masked.cellPhones[0] ?? '•').toMatch(/^•/);
    expect((await columns(tokens.admin, {})).body).toEqual({ ids: [], firstNames: [], lastNames: [], emails: [], cellPhones: [], versions: [] });
    const many = Array.from({ length: LOOKUP_MAX_KEYS + 1 }, (_, index) => `acme-${String(index).padStart(4, '0')}`);
    expect((await columns(tokens.admin, { ids: many })).status).toBe(400);
    expect((await columns(tokens.admin, { ids: ['acme 0001; DROP TABLE employees'] })).status).toBe(400);
    expect((await columns(tokens.admin, { emails: ['kate\u0000@acme.test'] })).status).toBe(400);
    expect((await columns(tokens.admin, { ids: ['acme-0120'], extra: 1 })).status).toBe(400);
    expect((await columns(undefined, { ids: ['acme-0120'] })).status).toBe(401);
  });
});
