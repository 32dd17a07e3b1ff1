import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection';
import { EMPLOYEE_COLUMNS, type EmployeeRow } from './serialize';

/**
 * The employees table, company-scoped: every statement takes the caller's company id, so a row of
 * another company is indistinguishable from a missing one (404, never 403).
 */
const statementCache = new WeakMap<Db, Map<string, Statement>>();
const MAX_CACHED_STATEMENTS = 500;

/** A prepared statement, compiled once per database connection. */
export function prepared(db: Db, sql: string): Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    // List queries vary with the filters used; a bound keeps odd combinations from piling up.
    if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

export function findEmployee(db: Db, companyId: string, id: string): EmployeeRow | undefined {
  return prepared(db, `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ? AND company_id = ?`).get(id, companyId) as
    | EmployeeRow
    | undefined;
}

export interface PhoneChange {
  companyId: string;
  id: string;
  /** The version the caller saw (If-Match). */
  expectedVersion: number;
  /** Null removes the number. */
  cellPhone: string | null;
  searchText: string;
  updatedAt: string;
  /** The actor's name, shown as the employee's `updatedBy`. */
  updatedBy: string;
  /** Set when the new number was confirmed with a code; null clears an earlier confirmation. */
  verifiedAt: string | null;
}

/**
 * The compare-and-swap: one UPDATE that succeeds only if the row still has the version the caller
 * saw. Of any number of racing writers with the same If-Match exactly one gets a row back.
 */
export function updatePhoneIfVersion(db: Db, change: PhoneChange): EmployeeRow | undefined {
  return prepared(
    db,
    `UPDATE employees SET cell_phone = ?, search_text = ?, updated_at = ?, updated_by = ?, phone_verified_at = ?, version = version + 1
      WHERE id = ? AND company_id = ? AND version = ?
      RETURNING ${EMPLOYEE_COLUMNS}`,
  ).get(change.cellPhone, change.searchText, change.updatedAt, change.updatedBy, change.verifiedAt, change.id, change.companyId,
    change.expectedVersion) as
    | EmployeeRow
    | undefined;
}
