import type { EmployeeListQuery } from '../../common/api';
import type { Dialect } from '../db/store';
import { HttpError } from '../http/errors';

/**
 * GET /employees as SQL: a company-scoped filter (q, changedSince), an ORDER BY with a unique
 * tie-breaker (id), and keyset pagination: the cursor holds the sort key of the last row sent,
 * so page N costs the same as page 1 and rows inserted meanwhile never shift a page.
 */
export type Sort = NonNullable<EmployeeListQuery['sort']>;
export type Order = 'asc' | 'desc';

/** The ORDER BY expressions of each sort; all TEXT, the last one unique. */
const SORT_KEYS: Readonly<Record<Sort, readonly string[]>> = {
  name: ['last_name', 'first_name', 'id'],
  // employees.email is COLLATE NOCASE: ORDER BY and the row-value comparison both use it.
  email: ['email', 'id'],
  role: ['role', 'last_name', 'first_name', 'id'],
  twoFactor: ['two_factor_status', "coalesce(two_factor_method, '')", 'last_name', 'first_name', 'id'],
  updatedAt: ['updated_at', 'id'],
};

/** The value of each sort key for a row (what the next cursor carries). */
export function sortValues(sort: Sort, row: { last_name: string; first_name: string; id: string; email: string; role: string;
  two_factor_status: string; two_factor_method: string | null; updated_at: string }): string[] {
  switch (sort) {
    case 'name':
      return [row.last_name, row.first_name, row.id];
    case 'email':
      return [row.email, row.id];
    case 'role':
      return [row.role, row.last_name, row.first_name, row.id];
    case 'twoFactor':
      return [row.two_factor_status, row.two_factor_method ?? '', row.last_name, row.first_name, row.id];
    case 'updatedAt':
      return [row.updated_at, row.id];
  }
}

interface CursorPayload {
  s: Sort;
  o: Order;
  k: string[];
}

/** An opaque cursor: base64url JSON of the sort, the order and the last row's key. */
export function encodeCursor(sort: Sort, order: Order, key: string[]): string {
  return Buffer.from(JSON.stringify({ s: sort, o: order, k: key } satisfies CursorPayload), 'utf8').toString('base64url');
}

const badCursor = () => new HttpError(400, 'bad_request', 'The cursor is not valid. Start again from the first page.');

/** The key a cursor carries; 400 if it is not one of ours or belongs to another sort order. */
export function decodeCursor(cursor: string, sort: Sort, order: Order): string[] {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw badCursor();
  const { s, o, k } = payload as Record<string, unknown>;
  if (s !== sort || o !== order) {
    throw new HttpError(400, 'bad_request', 'The cursor belongs to another sort order. Start again from the first page.');
  }
  const expected = SORT_KEYS[sort].length;
  // No NUL: no key we hand out holds one, and PostgreSQL text cannot.
  if (!Array.isArray(k) || k.length !== expected || !k.every((value) => typeof value === 'string' && value.length <= 300 && !value.includes('\u0000'))) {
    throw badCursor();
  }
  return k as string[];
}

/** Characters people type between the digits of a phone number. */
const PHONE_LIKE = /^[+\d\s().\-/]*\d[\d\s().\-/]*$/;

export interface SearchTerm {
  /** Each must appear in the phone number's digits. */
  phoneDigits: string[];
  /** Each must appear in the name or email (lower case). */
  words: string[];
}

/**
 * `?q=`: a query made only of digits and phone punctuation (`555-0142`, `+44 20 7946`) searches
 * phone numbers by their digits. Anything else is split into words that must all match
 * (case-insensitive substrings): a word of digits matches the phone number, any other word the
 * name or email. search_text is "first last email digits", and a word (no spaces) can only match
 * inside one of its space-separated parts, so only an all-digit word can reach the phone digits.
 */
export function parseSearch(q: string | undefined): SearchTerm | null {
  if (q === undefined) return null;
  const text = q.normalize('NFKC').trim().toLowerCase();
  if (text === '') return null;
  if (PHONE_LIKE.test(text)) return { phoneDigits: [text.replace(/\D/g, '')], words: [] };
  const term: SearchTerm = { phoneDigits: [], words: [] };
  for (const word of text.split(/\s+/).slice(0, 10)) (/^\d+$/.test(word) ? term.phoneDigits : term.words).push(word);
  return term;
}

export interface ListSql {
  /** The page: LIMIT is the last parameter. */
  page: { sql: string; params: unknown[] };
  /** The total matching the filter, regardless of the cursor. */
  count: { sql: string; params: unknown[] };
}

export interface ListSpec {
  companyId: string;
  sort: Sort;
  order: Order;
  limit: number;
  search: SearchTerm | null;
  /** Only rows updated strictly after this ISO instant. */
  changedSince: string | null;
  cursorKey: string[] | null;
  /** Non-admins see only the last 4 digits, so a phone search only looks at those (no digit-by-digit probing). */
  fullPhoneSearch: boolean;
  columns: string;
  /**
   * How the page finds a search's matches: `filter` reads the covering search index and sorts the
   * matches (fast when they are few); `walk` follows the sort's index and tests each row (fast
   * when matches are many, as the first limit+1 come early). The count always uses the search index.
   */
  searchPlan?: 'filter' | 'walk';
  /**
   * SQLite, a search with a trigram query: `index` starts from the full-text index's candidates and
   * reads each by rowid (fast when they are few); `scan` tests the company's rows in the covering
   * search index and leaves the full-text index out (fast when the term is in most rows, e.g. the
   * company's e-mail domain). Unsaid: `index`. {@link searchCandidatePlan} chooses.
   */
  candidatePlan?: 'index' | 'scan';
  /** The SQL dialect (SQLite unless said). */
  dialect?: Dialect;
}

/** Migration 3's covering index on (company_id, search_text, cell_phone). */
const SEARCH_INDEX = 'employees_company_search';
/** Migration 4's trigram full-text index over search_text. */
const TRIGRAM_INDEX = 'employees_search';

/**
 * The full-text query that finds every row a search can match, or null when no term is long enough
 * for the trigram index (under three characters): then the covering index is read instead. Each term
 * is a quoted phrase (a substring to the trigram tokenizer), so no character of it is FTS syntax.
 * A row matches a term only if search_text contains it (phone digits are in search_text too), so
 * the candidates are never fewer than the matches.
 */
export function trigramQuery(search: SearchTerm): string | null {
  const terms = [...search.phoneDigits, ...search.words].filter((term) => [...term].length >= 3);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' AND ');
}

/** The company's rows, changed since a time if asked: the filter both dialects start from. */
function companyFilter(spec: ListSpec): { where: string[]; params: unknown[] } {
  const where: string[] = ['company_id = ?'];
  const params: unknown[] = [spec.companyId];
  if (spec.changedSince !== null) {
    where.push('updated_at > ?');
    params.push(spec.changedSince);
  }
  return { where, params };
}

/** The page after the cursor, in the sort's order; LIMIT is the last parameter (one row more, for nextCursor). */
function keysetPage(spec: ListSpec, source: string, filter: readonly string[], filterParams: readonly unknown[]): { sql: string; params: unknown[] } {
  const where = [...filter];
  const params = [...filterParams];
  const keys = SORT_KEYS[spec.sort];
  if (spec.cursorKey !== null) {
    where.push(`(${keys.join(', ')}) ${spec.order === 'asc' ? '>' : '<'} (${keys.map(() => '?').join(', ')})`);
    params.push(...spec.cursorKey);
  }
  const direction = spec.order === 'asc' ? 'ASC' : 'DESC';
  const sql = `SELECT ${spec.columns} FROM ${source} WHERE ${where.join(' AND ')}
    ORDER BY ${keys.map((key) => `${key} ${direction}`).join(', ')} LIMIT ?`;
  return { sql, params: [...params, spec.limit + 1] };
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own characters escaped (ESCAPE '\\'). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * PostgreSQL: `search_text LIKE '%…%'` is both the exact test of a word and what the trigram GIN
 * index (pg_trgm, migration 4) serves; a phone search tests the number and lets the index narrow
 * the rows by the same digits in search_text.
 */
function buildPostgresListSql(spec: ListSpec): ListSql {
  const { where, params } = companyFilter(spec);
  for (const digits of spec.search?.phoneDigits ?? []) {
    where.push(spec.fullPhoneSearch ? 'strpos(cell_phone, ?) > 0' : 'strpos(right(cell_phone, 4), ?) > 0');
    params.push(digits);
    if (spec.fullPhoneSearch && digits.length >= 3) {
      where.push(`search_text LIKE ? ESCAPE '\\'`);
      params.push(containsPattern(digits));
    }
  }
  for (const word of spec.search?.words ?? []) {
    where.push(`search_text LIKE ? ESCAPE '\\'`);
    params.push(containsPattern(word));
  }
  const count = { sql: `SELECT count(*) AS total FROM employees WHERE ${where.join(' AND ')}`, params: [...params] };
  return { page: keysetPage(spec, 'employees', where, params), count };
}

export function buildListSql(spec: ListSpec): ListSql {
  if (spec.dialect === 'postgres') return buildPostgresListSql(spec);
  const { where, params } = companyFilter(spec);
  for (const digits of spec.search?.phoneDigits ?? []) {
    // cell_phone is `+` and digits, so instr() on it matches digits only.
    where.push(spec.fullPhoneSearch ? 'instr(cell_phone, ?) > 0' : 'instr(substr(cell_phone, -4), ?) > 0');
    params.push(digits);
  }
  for (const word of spec.search?.words ?? []) {
    where.push('instr(search_text, ?) > 0');
    params.push(word);
  }
  const searching = (spec.search?.phoneDigits.length ?? 0) + (spec.search?.words.length ?? 0) > 0;
  const trigrams = spec.search === null ? null : trigramQuery(spec.search);
  // A walk down the sort's index tests rows as it meets them: the candidates would only slow it.
  const candidates = spec.candidatePlan === 'scan' || spec.searchPlan === 'walk' ? null : trigrams;
  if (candidates !== null) {
    // The full-text index narrows the rows to test; the instr() tests above decide. `+company_id`
    // keeps the company's index out of it: the rows are read by rowid, not the company walked.
    where[0] = '+company_id = ?';
    where.push(`rowid IN (SELECT rowid FROM ${TRIGRAM_INDEX} WHERE ${TRIGRAM_INDEX} MATCH ?)`);
    params.push(candidates);
  }
  const viaSearchIndex = searching && candidates === null;
  const countSource = viaSearchIndex ? `employees INDEXED BY ${SEARCH_INDEX}` : 'employees';
  const count = { sql: `SELECT count(*) AS total FROM ${countSource} WHERE ${where.join(' AND ')}`, params: [...params] };
  const pageSource = viaSearchIndex && spec.searchPlan !== 'walk' ? `employees INDEXED BY ${SEARCH_INDEX}` : 'employees';

  return { page: keysetPage(spec, pageSource, where, params), count };
}

/**
 * SQLite: how many of the full-text index's candidates (every company's) a search may read by
 * rowid before testing the company's rows in the covering index is cheaper. Reading a row by rowid
 * costs several times a step through the covering index, so the bound is a fraction of the company.
 */
export function candidateLimit(companyEmployees: number): number {
  return Math.max(1000, Math.floor(companyEmployees / 8));
}

/**
 * The SQL that counts a search's full-text candidates up to `limit` + 1 (they stop there), or null
 * when the search has no term the trigram index serves. Its answer picks `candidatePlan`.
 */
export function candidateProbeSql(spec: ListSpec, limit: number): { sql: string; params: unknown[] } | null {
  if (spec.dialect === 'postgres' || spec.search === null) return null;
  const trigrams = trigramQuery(spec.search);
  if (trigrams === null) return null;
  return {
    sql: `SELECT count(*) AS candidates FROM (SELECT rowid FROM ${TRIGRAM_INDEX} WHERE ${TRIGRAM_INDEX} MATCH ? LIMIT ?)`,
    params: [trigrams, limit + 1],
  };
}
