import { emailMatchKey, type EmployeeLookup } from '../../common/api';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { EMPLOYEE_COLUMNS, toEmployee, type EmployeeRow } from './serialize';

/** An email with a character outside ASCII (GLOB reads the pattern's class per Unicode character). */
const NON_ASCII_EMAIL = '*[^\u0001-\u007f]*';

/**
 * POST /employees/lookup: the viewer's company's employees with one of `ids`, or an email that is
 * one of `emails` by `emailMatchKey` (case-insensitive in any script), the same answer on both
 * databases. Served by the primary key and the (company, email) index: the column's collation
 * (NOCASE in SQLite, portal_nocase in PostgreSQL) finds the candidates and `emailMatchKey` decides.
 * SQLite's NOCASE folds ASCII letters only, so when an email asked for has another character, the
 * company's emails that have one too are read and compared here (a scan of the company's part of
 * the email index, only for such requests).
 */
export async function lookupEmployees(db: Queryable, viewer: AuthedUser, keys: { ids: readonly string[]; emails: readonly string[] }): Promise<EmployeeLookup> {
  const ids = [...new Set(keys.ids)];
  const emails = new Set(keys.emails.map(emailMatchKey));
  const wanted: string[] = [];
  if (ids.length > 0) wanted.push(`id IN (${ids.map(() => '?').join(', ')})`);
  if (emails.size > 0) wanted.push(`email IN (${[...emails].map(() => '?').join(', ')})`);
  if (wanted.length === 0) return { items: [] };
  const rows = await db.all<EmployeeRow>(
    `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE company_id = ? AND (${wanted.join(' OR ')})`,
    viewer.companyId, ...ids, ...emails);
  const idSet = new Set(ids);
  const found = new Map<string, EmployeeRow>();
  for (const row of rows) if (idSet.has(row.id) || emails.has(emailMatchKey(row.email))) found.set(row.id, row);
  if (db.dialect === 'sqlite' && [...emails].some((email) => /\P{ASCII}/u.test(email))) {
    const others = await db.all<EmployeeRow>(`SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE company_id = ? AND email GLOB ?`, viewer.companyId, NON_ASCII_EMAIL);
    for (const row of others) if (emails.has(emailMatchKey(row.email))) found.set(row.id, row);
  }
  const items = [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items: items.map((row) => toEmployee(row, viewer)) };
}
