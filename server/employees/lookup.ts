import type { EmployeeLookup } from '../../common/api';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { EMPLOYEE_COLUMNS, toEmployee, type EmployeeRow } from './serialize';

/**
 * POST /employees/lookup: the viewer's company's employees with one of `ids` or `emails`. Served by
 * the primary key and the (company, email) index on both databases; emails compare without regard
 * to case through the column's collation (NOCASE in SQLite, portal_nocase in PostgreSQL).
 */
export async function lookupEmployees(db: Queryable, viewer: AuthedUser, keys: { ids: readonly string[]; emails: readonly string[] }): Promise<EmployeeLookup> {
  const ids = [...new Set(keys.ids)];
  const emails = [...new Set(keys.emails)];
  const wanted: string[] = [];
  if (ids.length > 0) wanted.push(`id IN (${ids.map(() => '?').join(', ')})`);
  if (emails.length > 0) wanted.push(`email IN (${emails.map(() => '?').join(', ')})`);
  if (wanted.length === 0) return { items: [] };
  const rows = await db.all<EmployeeRow>(
    `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE company_id = ? AND (${wanted.join(' OR ')}) ORDER BY id`,
    viewer.companyId, ...ids, ...emails);
  return { items: rows.map((row) => toEmployee(row, viewer)) };
}
