import type { z } from 'zod';
import type { EmployeeList, employeeListQuerySchema } from '../../common/api';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { buildListSql, candidateLimit, candidateProbeSql, decodeCursor, encodeCursor, parseSearch, sortValues, type ListSpec } from './list-query';
import { EMPLOYEE_COLUMNS, seesFullPhones, toEmployee, type EmployeeRow } from './serialize';
import { assertDeltaBaseKept, tombstonesSince } from './tombstones';

export type ListQuery = z.output<typeof employeeListQuerySchema>;

/**
 * Up to this many matches a search sorts its matches itself; above it, it walks the sort's index,
 * where limit+1 matches turn up within roughly limit × (company size / matches) rows.
 */
export const SEARCH_SORT_THRESHOLD = 2000;

/**
 * GET /employees: one page of the caller's company, its total, the cursor of the next page and the
 * portal's time (`asOf`); a `changedSince` query's first page also lists the employees deleted since.
 */
export function listEmployees(db: Queryable, viewer: AuthedUser, query: ListQuery, now: Date = new Date()): Promise<EmployeeList> {
  const { sort, order, limit } = query;
  const changedSince = query.changedSince ? new Date(query.changedSince).toISOString() : null;
  if (changedSince !== null) assertDeltaBaseKept(changedSince, now);
  const spec: ListSpec = {
    companyId: viewer.companyId,
    sort,
    order,
    limit,
    search: parseSearch(query.q),
    changedSince,
    cursorKey: query.cursor ? decodeCursor(query.cursor, sort, order) : null,
    fullPhoneSearch: seesFullPhones(viewer),
    columns: EMPLOYEE_COLUMNS,
    dialect: db.dialect,
  };
  // One read transaction: the page and the total come from the same snapshot.
  return db.transaction(async (tx): Promise<EmployeeList> => {
    const planned: ListSpec = { ...spec, candidatePlan: await searchCandidatePlan(tx, spec) };
    const { count } = buildListSql(planned);
    const total = filtered(spec) ? (await tx.get<{ total: number }>(count.sql, ...count.params))!.total : await companyEmployees(tx, spec.companyId);
    const sql = buildListSql({ ...planned, searchPlan: total > SEARCH_SORT_THRESHOLD ? 'walk' : 'filter' });
    const rows = total === 0 ? [] : await tx.all<EmployeeRow>(sql.page.sql, ...sql.page.params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const deleted = changedSince !== null && !query.cursor ? { deleted: await tombstonesSince(tx, viewer.companyId, changedSince) } : {};
    return {
      items: page.map((row) => toEmployee(row, viewer)),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, order, sortValues(sort, last)) : null,
      total,
      asOf: now.toISOString(),
      ...deleted,
    };
  });
}

/** True when the list narrows the company's employees (a search or `changedSince`): its total is counted. */
function filtered(spec: ListSpec): boolean {
  return spec.changedSince !== null || (spec.search !== null && spec.search.words.length + spec.search.phoneDigits.length > 0);
}

/** The company's employees, from the counter the database keeps with every insert and delete (migration 9). */
async function companyEmployees(db: Queryable, companyId: string): Promise<number> {
  return (await db.get<{ employees: number }>('SELECT employees FROM company_employee_counts WHERE company_id = ?', companyId))?.employees ?? 0;
}

/**
 * SQLite: read a search's full-text candidates by rowid when they are few for the company's size,
 * else test the company's rows (a term in nearly every row, such as the company's e-mail domain).
 */
export async function searchCandidatePlan(db: Queryable, spec: ListSpec): Promise<'index' | 'scan' | undefined> {
  const limit = candidateLimit(await companyEmployees(db, spec.companyId));
  const probe = candidateProbeSql(spec, limit);
  if (probe === null) return undefined;
  const { candidates } = (await db.get<{ candidates: number }>(probe.sql, ...probe.params))!;
  return candidates <= limit ? 'index' : 'scan';
}
