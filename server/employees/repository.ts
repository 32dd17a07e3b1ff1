import type { Queryable } from '../db/store';
import { EMPLOYEE_COLUMNS, type EmployeeRow } from './serialize';

/**
 * The employees table, company-scoped: every statement takes the caller's company id, so a row of
 * another company is indistinguishable from a missing one (404, never 403).
 */
export function findEmployee(db: Queryable, companyId: string, id: string): Promise<EmployeeRow | undefined> {
  return db.get<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE id = ? AND company_id = ?`, id, companyId);
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
 * saw. Of any number of racing writers with the same If-Match exactly one gets a row back (SQLite
 * runs one writer at a time; PostgreSQL re-checks the WHERE on the row the winner committed).
 */
export function updatePhoneIfVersion(db: Queryable, change: PhoneChange): Promise<EmployeeRow | undefined> {
  return db.get<EmployeeRow>(
    `UPDATE employees SET cell_phone = ?, search_text = ?, updated_at = ?, updated_by = ?, phone_verified_at = ?, version = version + 1
      WHERE id = ? AND company_id = ? AND version = ?
      RETURNING ${EMPLOYEE_COLUMNS}`,
    change.cellPhone, change.searchText, change.updatedAt, change.updatedBy, change.verifiedAt, change.id, change.companyId,
    change.expectedVersion,
  );
}
