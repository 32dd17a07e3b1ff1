import { expect, it } from 'vitest';
import { buildListSql, parseSearch, type ListSpec } from '../../../server/employees/list-query';
import { searchCandidatePlan } from '../../../server/employees/list';
import { describeEachBackend } from '../../support/backends';
import { useBackendPortal } from '../../support/backend-portal';
import { call, ifMatch, readEmployee } from '../../support/employees';

// ?q= through the search index (SQLite: migration 4's FTS5 trigram table; PostgreSQL: its pg_trgm GIN
// index): the same matches as testing every row, kept in step with changes.
describeEachBackend('search index', (backend) => {
  const env = useBackendPortal(backend, { seed: 'demo:1200', tokens: { admin: 'admin@acme.test' } });
  const { tokens } = env;

  it('the trigram index finds exactly what testing every row finds, also after a number changes', async () => {
    type Row = { id: string; search_text: string; cell_phone: string | null };
    const rows = () => env.portal.store.all<Row>("SELECT id, search_text, cell_phone FROM employees WHERE company_id = 'acme'");
    // The oracle: the search's meaning, applied to every row in JavaScript.
    const expected = (q: string, all: Row[]) => {
      const term = parseSearch(q)!;
      return all
        .filter((row) => term.words.every((word) => row.search_text.includes(word)))
        .filter((row) => term.phoneDigits.every((digits) => (row.cell_phone ?? '').includes(digits)))
        .map((row) => row.id)
        .sort();
    };
    // Every way the portal can run a search must find the same rows and count them alike: from the
    // full-text candidates (`index`), by testing the company's rows (`scan`), sorting the matches or walking
    // (PostgreSQL has one way; the SQLite choices leave its SQL as it is).
    const plans = [
      { candidatePlan: 'index', searchPlan: 'filter' }, { candidatePlan: 'scan', searchPlan: 'filter' },
      { candidatePlan: 'index', searchPlan: 'walk' }, { candidatePlan: 'scan', searchPlan: 'walk' },
    ] as const;
    const found = async (q: string) => {
      const answers = [];
      for (const plan of plans) {
        const { page, count } = buildListSql({
          companyId: 'acme', sort: 'name', order: 'asc', limit: 100_000, search: parseSearch(q), changedSince: null, cursorKey: null, fullPhoneSearch: true, columns: 'id',
          dialect: backend, ...plan,
        });
        const ids = (await env.portal.store.all<{ id: string }>(page.sql, ...page.params)).map((row) => row.id).sort();
        const { total } = (await env.portal.store.get<{ total: number | string }>(count.sql, ...count.params))!;
        answers.push({ ids, total: Number(total) });
      }
      for (const answer of answers.slice(1)) expect(answer, q).toEqual(answers[0]);
      expect(answers[0]!.total, q).toBe(answers[0]!.ids.length);
      return answers[0]!.ids;
    };
    const all = await rows();
    // Substrings of real names, emails and numbers (3 to 8 characters, from any position), plus mixed and odd queries.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const queries = ['smith', 'son', 'ALEX morgan', 'acme.test', '0142', '+44 20', 'alex 0142', 'a"b', 'ab', 'zzq nobody', 'müller'];
    for (let i = 0; i < 60; i++) {
      const text = all[next() % all.length]!.search_text;
      const start = next() % Math.max(1, text.length - 3);
      queries.push(text.slice(start, start + 3 + (next() % 6)).trim() || 'x');
    }
    for (const q of queries) expect(await found(q), q).toEqual(expected(q, all));

    const employee = await readEmployee(env.portal, 'acme-0002');
    const response = await call(env.portal, 'inject', 'PATCH', '/api/v1/employees/acme-0002', {
      token: tokens.admin, headers: { 'if-match': ifMatch(employee.version) }, body: { cellPhone: '+442079460999' },
    });
    expect(response.status, response.text).toBe(200);
    expect(await found('442079460999')).toEqual(['acme-0002']);
    const oldDigits = employee.cell_phone?.slice(1);
    if (oldDigits) expect(await found(oldDigits)).not.toContain('acme-0002');
    const now = await rows();
    for (const q of queries.slice(0, 20)) expect(await found(q), q).toEqual(expected(q, now));
  });

  // SQLite's own choice between its two ways (PostgreSQL's planner makes its own).
  if (backend === 'sqlite') it('reads the rows of a rare term through the full-text index, and tests the rows for a term most rows hold', async () => {
    const store = env.portal.store;
    const spec = (q: string): ListSpec => ({ companyId: 'acme', sort: 'name', order: 'asc', limit: 100, search: parseSearch(q), changedSince: null, cursorKey: null, fullPhoneSearch: true, columns: 'id' });
    const rare = await searchCandidatePlan(store, spec('0142'));
    const common = await searchCandidatePlan(store, spec('acme.test'));
    expect([rare, common]).toEqual(['index', 'scan']);
    // Under two characters there is nothing for the trigram index: no choice to make.
    expect(await searchCandidatePlan(store, spec('ab'))).toBeUndefined();
    // The `index` plan reads rows by rowid rather than walking the company.
    const { count } = buildListSql({ ...spec('0142'), candidatePlan: rare });
    const plan = (await store.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${count.sql}`, ...count.params)).map((row) => row.detail).join(' | ');
    expect(plan).toContain('INTEGER PRIMARY KEY');
  });
});
