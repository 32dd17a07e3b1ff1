import { expect, it } from 'vitest';
import { employeeListSchema, type EmployeeList } from '../../../common/api';
import { describeEachBackend } from '../../support/backends';
import { call } from '../../support/employees';
import { sessionToken } from '../../support/portal';
import { useBackendPortal } from '../../support/backend-portal';

/**
 * An unfiltered list's `total` is the company's employee counter (kept by the database in the
 * transaction of every insert and delete), not a count(*) per page: it must still be exact after
 * inserts, deletes and bulk statements, on every page, and per company.
 */
describeEachBackend('GET /employees total', (backend) => {
  const env = useBackendPortal(backend, { seed: 'demo:300', tokens: { admin: 'admin@acme.test' } });
  const { tokens } = env;

  const list = async (query: string): Promise<EmployeeList> => {
    const response = await call(env.portal, 'inject', 'GET', `/api/v1/employees?${query}`, { token: tokens.admin });
    expect(response.status, response.text).toBe(200);
    return employeeListSchema.parse(response.body);
  };
  const counted = async (companyId: string) =>
    (await env.portal.store.get<{ n: number }>('SELECT count(*) AS n FROM employees WHERE company_id = ?', companyId))!.n;
  const insert = async (ids: string[]) => {
    const values = ids.map(() => "(?, 'acme', 'Total', 'Tester', ?, 'tech', NULL, 'not_enrolled', '2026-01-01T00:00:00.000Z', 'total tester')").join(', ');
    await env.portal.store.run(
      `INSERT INTO employees (id, company_id, first_name, last_name, email, role, cell_phone, two_factor_status, updated_at, search_text) VALUES ${values}`,
      ...ids.flatMap((id) => [id, `${id}@acme.test`]));
  };

  it('the demo seed (a bulk load that builds the indexes after the rows) leaves every index of the employees table in place', async () => {
    const names = backend === 'postgres'
      ? (await env.portal.store.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'employees'")).map((row) => row.name)
      : (await env.portal.store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'employees' AND sql IS NOT NULL")).map((row) => row.name);
    const expected = ['employees_company_email', 'employees_company_name', 'employees_company_role', 'employees_company_search', 'employees_company_two_factor', 'employees_company_updated'];
    expect(names).toEqual(expect.arrayContaining(backend === 'postgres' ? [...expected, 'employees_search_trigram'] : expected));
  });

  it('is the exact count on the first page and on every later one', async () => {
    const first = await list('limit=50');
    expect(first.total).toBe(300);
    expect(first.total).toBe(await counted('acme'));
    const second = await list(`limit=50&cursor=${first.nextCursor!}`);
    expect(second.total).toBe(300);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
  });

  it('follows single and multi-row inserts and deletes, in the same transaction as they commit', async () => {
    await insert(['total-a']);
    expect((await list('limit=10')).total).toBe(301);
    await insert(['total-b', 'total-c', 'total-d']);
    expect((await list('limit=10')).total).toBe(304);
    await env.portal.store.run("DELETE FROM employees WHERE id IN ('total-a', 'total-b')");
    expect((await list('limit=10')).total).toBe(302);
    // A rolled-back insert leaves the counter as it was.
    await expect(env.portal.store.transaction(async (tx) => {
      await tx.run(`INSERT INTO employees (id, company_id, first_name, last_name, email, role, two_factor_status, updated_at, search_text)
        VALUES ('total-e', 'acme', 'R', 'B', 'total-e@acme.test', 'tech', 'not_enrolled', '2026-01-01T00:00:00.000Z', 'r b')`);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect((await list('limit=10')).total).toBe(302);
    await env.portal.store.run("DELETE FROM employees WHERE id IN ('total-c', 'total-d')");
    expect((await list('limit=10')).total).toBe(300);
    expect(await counted('acme')).toBe(300);
  });

  it('keeps one counter per company, equal to a count of its rows', async () => {
    const counters = await env.portal.store.all<{ company_id: string; employees: number }>('SELECT company_id, employees FROM company_employee_counts ORDER BY company_id');
    const counts = await env.portal.store.all<{ company_id: string; employees: number }>('SELECT company_id, count(*) AS employees FROM employees GROUP BY company_id ORDER BY company_id');
    expect(counters).toEqual(counts);
    const globex = await sessionToken(env.portal, 'admin@globex.test');
    const response = await call(env.portal, 'inject', 'GET', '/api/v1/employees?limit=5', { token: globex });
    expect((response.body as EmployeeList).total).toBe(await counted('globex'));
  });

  it('a search or changedSince still counts its matches', async () => {
    const all = await list('limit=5');
    const searched = await list('limit=5&q=acme.test');
    expect(searched.total).toBeLessThanOrEqual(all.total);
    expect(searched.total).toBe((await env.portal.store.get<{ n: number }>("SELECT count(*) AS n FROM employees WHERE company_id = 'acme' AND search_text LIKE '%acme.test%'"))!.n);
    const recent = await list(`limit=5&changedSince=${encodeURIComponent('2099-01-01T00:00:00.000Z')}`);
    expect(recent.total).toBe(0);
  });
});
