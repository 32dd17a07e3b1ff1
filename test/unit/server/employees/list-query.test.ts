import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../../server/http/errors';
import { buildListSql, trigramQuery, decodeCursor, encodeCursor, parseSearch, sortValues, type ListSpec } from '../../../../server/employees/list-query';

describe('parseSearch', () => {
  it('treats digits with phone punctuation as one phone search', () => {
    expect(parseSearch('+1 (212) 555-0142')).toEqual({ phoneDigits: ['12125550142'], words: [] });
    expect(parseSearch('0142')).toEqual({ phoneDigits: ['0142'], words: [] });
    expect(parseSearch('212.555/0142')).toEqual({ phoneDigits: ['2125550142'], words: [] });
  });

  it('splits anything else into lower-case words; all-digit words search the phone', () => {
    expect(parseSearch('  Alex   MORGAN ')).toEqual({ phoneDigits: [], words: ['alex', 'morgan'] });
    expect(parseSearch('alex 0142')).toEqual({ phoneDigits: ['0142'], words: ['alex'] });
    expect(parseSearch('admin@acme.test')).toEqual({ phoneDigits: [], words: ['admin@acme.test'] });
    expect(parseSearch('+')).toEqual({ phoneDigits: [], words: ['+'] });
  });

  it('normalises compatibility forms (fullwidth) and ignores empty queries', () => {
    expect(parseSearch('ＡＬＥＸ')).toEqual({ phoneDigits: [], words: ['alex'] });
    expect(parseSearch('５５５０１４２')).toEqual({ phoneDigits: ['5550142'], words: [] });
    expect(parseSearch(undefined)).toBeNull();
    expect(parseSearch('   ')).toBeNull();
  });

  it('uses at most 10 words', () => {
    expect(parseSearch(Array.from({ length: 30 }, (_, i) => `w${i}x`).join(' '))!.words).toHaveLength(10);
  });
});

describe('cursors', () => {
  it('round-trip and are URL-safe', () => {
    const cursor = encodeCursor('name', 'asc', ['Müller', 'Jürgen', 'acme-0042']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'name', 'asc')).toEqual(['Müller', 'Jürgen', 'acme-0042']);
  });

  it.each([
    ['not base64url', '***'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['an array', Buffer.from('["name"]').toString('base64url')],
    ['numbers in the key', Buffer.from('{"s":"name","o":"asc","k":[1,2,3]}').toString('base64url')],
    ['a key of the wrong length', Buffer.from('{"s":"name","o":"asc","k":["a","b"]}').toString('base64url')],
    ['an over-long key value', encodeCursor('name', 'asc', ['x'.repeat(301), 'a', 'b'])],
    ['another sort', encodeCursor('email', 'asc', ['a', 'b'])],
    ['another order', encodeCursor('name', 'desc', ['a', 'b', 'c'])],
  ])('refuses %s with a 400', (_name, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, 'name', 'asc');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('carry the value of every sort column, the id last', () => {
    const row = { last_name: 'Lee', first_name: 'Ann', id: 'acme-0009', email: 'ann.lee@acme.test', role: 'tech', two_factor_status: 'active', two_factor_method: null, updated_at: '2026-01-01T00:00:00.000Z' };
    expect(sortValues('name', row)).toEqual(['Lee', 'Ann', 'acme-0009']);
    expect(sortValues('email', row)).toEqual(['ann.lee@acme.test', 'acme-0009']);
    expect(sortValues('role', row)).toEqual(['tech', 'Lee', 'Ann', 'acme-0009']);
    expect(sortValues('twoFactor', row)).toEqual(['active', '', 'Lee', 'Ann', 'acme-0009']);
    expect(sortValues('updatedAt', row)).toEqual(['2026-01-01T00:00:00.000Z', 'acme-0009']);
  });
});

describe('buildListSql', () => {
  const spec: ListSpec = {
    companyId: 'acme',
    sort: 'name',
    order: 'asc',
    limit: 100,
    search: null,
    changedSince: null,
    cursorKey: null,
    fullPhoneSearch: true,
    columns: 'id',
  };

  it('always scopes to the company, and fetches one row more than the limit', () => {
    const sql = buildListSql(spec);
    expect(sql.page.sql).toMatch(/WHERE company_id = \?/);
    expect(sql.page.params).toEqual(['acme', 101]);
    expect(sql.count.sql).toMatch(/WHERE company_id = \?/);
    expect(sql.count.params).toEqual(['acme']);
  });

  it('keeps user input out of the SQL text: everything is a parameter', () => {
    const hostile = "x' OR 1=1 --";
    const sql = buildListSql({ ...spec, search: { phoneDigits: ['123'], words: [hostile] }, changedSince: hostile, cursorKey: [hostile, hostile, hostile] });
    expect(sql.page.sql).not.toContain(hostile);
    expect(sql.count.sql).not.toContain(hostile);
    // The full-text query quotes each term as a phrase: FTS syntax in a search is a literal.
    expect(sql.page.params).toEqual(['acme', hostile, '123', hostile, `"123" AND "x' OR 1=1 --"`, hostile, hostile, hostile, 101]);
  });

  it('asks the trigram index only for terms of three characters or more, each a quoted phrase', () => {
    expect(trigramQuery({ phoneDigits: ['0142'], words: ['ab', 'smith'] })).toBe('"0142" AND "smith"');
    expect(trigramQuery({ phoneDigits: ['12'], words: ['ab'] })).toBeNull();
    expect(trigramQuery({ phoneDigits: [], words: ['a"b*c', 'x OR y'] })).toBe('"a""b*c" AND "x OR y"');
    expect(buildListSql({ ...spec, search: { phoneDigits: [], words: ['ab'] } }).count.sql).toContain('INDEXED BY employees_company_search');
    expect(buildListSql({ ...spec, search: { phoneDigits: [], words: ['abc'] } }).count.sql).toContain('employees_search MATCH ?');
  });

  it('uses a row-value comparison in the direction of the order', () => {
    expect(buildListSql({ ...spec, cursorKey: ['a', 'b', 'c'] }).page.sql).toMatch(/\(last_name, first_name, id\) > \(\?, \?, \?\)/);
    const desc = buildListSql({ ...spec, order: 'desc', cursorKey: ['a', 'b', 'c'] }).page.sql;
    expect(desc).toMatch(/\(last_name, first_name, id\) < \(\?, \?, \?\)/);
    expect(desc).toMatch(/ORDER BY last_name DESC, first_name DESC, id DESC/);
  });

  it('limits non-admin phone searches to the last four digits', () => {
    const sql = buildListSql({ ...spec, fullPhoneSearch: false, search: { phoneDigits: ['0142'], words: [] } });
    expect(sql.page.sql).toContain('substr(cell_phone, -4)');
  });
});
