import { describe, expect, it } from 'vitest';
import { EMPLOYEE_SORTS, employeeListSchema, type Employee, type EmployeeList } from '../../../common/api';
import { ManualClock } from '../../../server/clock';
import { buildListSql, encodeCursor, parseSearch } from '../../../server/employees/list-query';
import { EMPLOYEE_COLUMNS } from '../../../server/employees/serialize';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { call, ifMatch, readEmployee, type Transport } from '../../support/employees';

// GET /employees: keyset pagination over every sort and order, search, changedSince, limits; both backends
// (the test cluster is initdb --locale=C, so PostgreSQL's text order is code-point order, as SQLite's).
const EMPLOYEES = 1200;

type Key = (string | number)[];
const sortKey: Record<(typeof EMPLOYEE_SORTS)[number], (e: Employee) => Key> = {
  name: (e) => [e.lastName, e.firstName, e.id],
  email: (e) => [e.email.toLowerCase(), e.id],
  role: (e) => [e.role, e.lastName, e.firstName, e.id],
  twoFactor: (e) => [e.twoFactor.status, e.twoFactor.method ?? '', e.lastName, e.firstName, e.id],
  updatedAt: (e) => [e.updatedAt, e.id],
};
/** Code-point order, as SQLite's BINARY collation compares UTF-8. */
const compareText = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};
/** Key order; `first` compares the first part (the e-mail's collation differs between the backends). */
const compareKeys = (a: Key, b: Key, first = compareText) => {
  for (let i = 0; i < a.length; i++) {
    const result = (i === 0 ? first : compareText)(String(a[i]), String(b[i]));
    if (result !== 0) return result;
  }
  return 0;
};

describeEachBackend('GET /employees', (backend) => {
  const clock = new ManualClock('2026-01-15T09:00:00Z');
  const env = useBackendPortal(backend, {
    seed: `demo:${EMPLOYEES}`,
    clock,
    tokens: { admin: 'admin@acme.test', tech: 'tech@acme.test', globexAdmin: 'admin@globex.test' },
  });
  const { tokens } = env;
  // E-mails compare without regard to case: SQLite's NOCASE keeps code-point order otherwise; PostgreSQL's
  // portal_nocase is an ICU collation (und-u-ks-level2), which orders punctuation before digits and letters.
  const emailOrder = backend === 'postgres' ? new Intl.Collator('und', { sensitivity: 'accent' }).compare : compareText;

  async function list(query: string, token = tokens.admin, transport: Transport = 'inject'): Promise<EmployeeList> {
    const response = await call(env.portal, transport, 'GET', `/api/v1/employees?${query}`, { token });
    expect(response.status, response.text).toBe(200);
    return employeeListSchema.parse(response.body);
  }

  /** Follows nextCursor to the end; returns every item in order and the number of pages. */
  async function walk(query: string, token = tokens.admin, transport: Transport = 'inject'): Promise<{ items: Employee[]; pages: number; total: number }> {
    const items: Employee[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let total = -1;
    do {
      const page: EmployeeList = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, token, transport);
      if (total === -1) total = page.total;
      expect(page.total).toBe(total);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThan(1000);
    } while (cursor);
    return { items, pages, total };
  }

  describe('pagination and sorting', () => {
    it.each(EMPLOYEE_SORTS.flatMap((sort) => [[sort, 'asc'], [sort, 'desc']] as const))(
      'sort=%s order=%s walks every employee exactly once, in order',
      async (sort, order) => {
        const { items, pages, total } = await walk(`sort=${sort}&order=${order}&limit=97`);
        expect(total).toBe(EMPLOYEES);
        expect(items).toHaveLength(EMPLOYEES);
        expect(new Set(items.map((employee) => employee.id)).size).toBe(EMPLOYEES);
        expect(pages).toBe(Math.ceil(EMPLOYEES / 97));
        for (let index = 1; index < items.length; index++) {
          const step = compareKeys(sortKey[sort](items[index - 1]!), sortKey[sort](items[index]!), sort === 'email' ? emailOrder : compareText);
          expect(order === 'asc' ? step < 0 : step > 0, `${sort} ${order} at ${index}`).toBe(true);
        }
      },
    );

    it('walks over real HTTPS too, and as a non-admin', async () => {
      const { items } = await walk('sort=email&limit=500', tokens.tech, 'https');
      expect(items).toHaveLength(EMPLOYEES);
      expect(new Set(items.map((employee) => employee.id)).size).toBe(EMPLOYEES);
    });

    it('defaults: sort by name ascending, 100 per page; limit is 1..1000', async () => {
      const page = await list('');
      expect(page.items).toHaveLength(100);
      expect(page.items).toEqual((await list('sort=name&order=asc&limit=100')).items);
      expect((await list('limit=1000')).items).toHaveLength(1000);
      for (const bad of ['limit=0', 'limit=1001', 'limit=-5', 'limit=abc', 'limit=2.5', 'sort=salary', 'order=up', 'unknown=1', 'q=a&q=b']) {
        const response = await call(env.portal, 'inject', 'GET', `/api/v1/employees?${bad}`, { token: tokens.admin });
        expect(response.status, bad).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
      }
    });

    it('400 for a cursor that is not ours or belongs to another sort order', async () => {
      const page = await list('sort=name&limit=10');
      const cursors = [
        'garbage!!',
        Buffer.from('not json').toString('base64url'),
        Buffer.from('[1,2,3]').toString('base64url'),
        Buffer.from('{"s":"name","o":"asc","k":[1,2,3]}').toString('base64url'),
        Buffer.from('{"s":"name","o":"asc","k":["a"]}').toString('base64url'),
        Buffer.from('{"__proto__":{"s":"name"},"o":"asc"}').toString('base64url'),
        encodeCursor('email', 'asc', ['a@b', 'x']),
      ];
      for (const cursor of cursors) {
        const response = await call(env.portal, 'inject', 'GET', `/api/v1/employees?sort=name&cursor=${cursor}`, { token: tokens.admin });
        expect(response.status, cursor).toBe(400);
        expect(response.body).toMatchObject({ code: 'bad_request' });
      }
      const otherOrder = await call(env.portal, 'inject', 'GET', `/api/v1/employees?sort=name&order=desc&cursor=${page.nextCursor}`, { token: tokens.admin });
      expect(otherOrder.status).toBe(400);
    });

    it('pages only ever hold the caller company', async () => {
      const { items, total } = await walk('limit=7', tokens.globexAdmin);
      expect(total).toBe(21);
      expect(items.every((employee) => employee.id.startsWith('globex-'))).toBe(true);
    });
  });

  describe('search (q)', () => {
    const ids = (page: EmployeeList) => page.items.map((employee) => employee.id);

    it('matches names and emails, case-insensitively, every word', async () => {
      expect(ids(await list('q=alex'))).toContain('acme-0001');
      expect(ids(await list('q=ALEX%20morgan'))).toEqual(['acme-0001']);
      expect(ids(await list('q=admin%40acme'))).toEqual(['acme-0001']);
      const smiths = await list('q=smith&limit=1000');
      expect(smiths.total).toBeGreaterThan(5);
      expect(smiths.items.every((employee) => `${employee.firstName} ${employee.lastName} ${employee.email}`.toLowerCase().includes('smith'))).toBe(true);
      // Accented names match as typed.
      const muller = await list('q=m%C3%BCller&limit=1000');
      expect(muller.total).toBeGreaterThan(0);
      expect(muller.items.every((employee) => employee.lastName === 'Müller')).toBe(true);
    });

    it('digits match phone numbers, in any punctuation', async () => {
      for (const q of ['5550142', '+1 (212) 555-0142', '212.555.0142', '0142']) {
        const page = await list(`q=${encodeURIComponent(q)}&limit=1000`);
        expect(ids(page), q).toContain('acme-0001');
        const digits = q.replace(/\D/g, '');
        expect(page.items.every((employee) => employee.cellPhone?.includes(digits))).toBe(true);
      }
      // A word of digits beside a name word: both must match.
      expect(ids(await list('q=alex%200142'))).toEqual(['acme-0001']);
    });

    it('non-admins can search only by the last 4 digits they can see', async () => {
      const byTail = await list('q=0142&limit=1000', tokens.tech);
      expect(ids(byTail)).toContain('acme-0001');
      expect(byTail.items.every((employee) => employee.cellPhone?.endsWith('0142'))).toBe(true);
      expect((await list('q=5550142', tokens.tech)).total).toBe(0);
      expect((await list('q=2125550', tokens.tech)).total).toBe(0);
      expect((await list('q=alex%2021255', tokens.tech)).total).toBe(0);
    });

    it('search wildcards are literal, other companies never match, and results paginate', async () => {
      expect((await list('q=%25')).total).toBe(0);
      expect((await list('q=_')).total).toBe(0);
      expect((await list('q=priya%20shah')).total).toBe(0); // Globex's admin
      expect(ids(await list('q=priya%20shah', tokens.globexAdmin))).toEqual(['globex-0001']);
      const all = await list('q=son&limit=1000');
      expect(all.total).toBeGreaterThan(50);
      expect(all.total).toBeLessThan(1000);
      const walked = await walk('q=son&limit=50');
      expect(walked.total).toBe(all.total);
      expect(walked.items.map((employee) => employee.id)).toEqual(ids(all));
    });
  });

  // SQLite's two plans for a search (its FTS5 trigram table, or walking the sort index); PostgreSQL
  // has one plan, which its planner picks (the pages above and employees-search-index check its answers).
  if (backend === 'sqlite') describe('search plans', () => {
    it('filtering on the search index and walking the sort index give the same pages', () => {
      for (const q of ['a', 'son', 'smith', '0142', '44', 'alex 0142', 'zzz']) {
        for (const sort of EMPLOYEE_SORTS) {
          for (const order of ['asc', 'desc'] as const) {
            const spec = { companyId: 'acme', sort, order, limit: 50, search: parseSearch(q), changedSince: null, cursorKey: null, fullPhoneSearch: true, columns: EMPLOYEE_COLUMNS };
            const page = (plan: 'walk' | 'filter') => {
              const { page: sql } = buildListSql({ ...spec, searchPlan: plan });
              return env.portal.db.prepare(sql.sql).all(...sql.params);
            };
            expect(page('walk'), `${q} ${sort} ${order}`).toEqual(page('filter'));
          }
        }
      }
    });
  });

  describe('changedSince (delta sync)', () => {
    it('returns only employees updated after the given instant', async () => {
      const seededAt = clock.now().toISOString();
      expect((await list(`changedSince=${seededAt}`)).total).toBe(0);

      const change = async (id: string, cellPhone: string) => {
        const response = await call(env.portal, 'inject', 'PATCH', `/api/v1/employees/${id}`, {
          token: tokens.admin,
          body: { cellPhone },
          headers: { 'if-match': ifMatch((await readEmployee(env.portal, id)).version) },
        });
        expect(response.status).toBe(200);
      };
      clock.advance(1000);
      await change('acme-0301', '+12125550301');
      await change('acme-0302', '+12125550302');
      await change('acme-0303', '+12125550303');
      const firstBatchAt = clock.now().toISOString();
      clock.advance(1000);
      await change('acme-0304', '+12125550304');
      await change('acme-0305', '+12125550305');

      const sinceSeed = await list(`changedSince=${seededAt}&sort=updatedAt`);
      expect(sinceSeed.items.map((employee) => employee.id)).toEqual(['acme-0301', 'acme-0302', 'acme-0303', 'acme-0304', 'acme-0305']);
      expect(ids(await list(`changedSince=${firstBatchAt}&sort=updatedAt`))).toEqual(['acme-0304', 'acme-0305']);
      // The same instant written with an offset.
      const withOffset = new Date(Date.parse(firstBatchAt)).toISOString().replace('T09:', 'T10:').replace('Z', '+01:00');
      expect(ids(await list(`changedSince=${encodeURIComponent(withOffset)}&sort=updatedAt`))).toEqual(['acme-0304', 'acme-0305']);
      // Non-admins get the same rows, masked.
      expect((await list(`changedSince=${seededAt}`, tokens.tech)).total).toBe(5);
      // Another company's changes never show.
      expect((await list(`changedSince=${seededAt}`, tokens.globexAdmin)).total).toBe(0);

      for (const bad of ['yesterday', '2026-01-15', '2026-13-01T00:00:00Z']) {
        const response = await call(env.portal, 'inject', 'GET', `/api/v1/employees?changedSince=${bad}`, { token: tokens.admin });
        expect(response.status, bad).toBe(400);
      }
    });

    function ids(page: EmployeeList): string[] {
      return page.items.map((employee) => employee.id);
    }
  });
});
