import { emailMatchKey, type EmployeeLookup, type EmployeeLookupColumns } from '../../common/api';
import { maskPhone } from '../../common/phone';
import type { AuthedUser } from '../auth/authenticate';
import type { Queryable } from '../db/store';
import { EMPLOYEE_COLUMNS, seesFullPhones, toEmployee, type EmployeeRow } from './serialize';

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
export async function lookupEmployees(db: Queryable, viewer: AuthedUser, keys: LookupKeys): Promise<EmployeeLookup> {
  const rows = await lookupRows<EmployeeRow>(db, viewer, keys, EMPLOYEE_COLUMNS);
  return { items: rows.map((row) => toEmployee(row, viewer)) };
}

/** The columns POST /employees/lookup/columns answers. */
type LookupRow = Pick<EmployeeRow, 'id' | 'first_name' | 'last_name' | 'email' | 'cell_phone' | 'version'>;
const LOOKUP_COLUMNS = 'id, first_name, last_name, email, cell_phone, version';

/**
 * POST /employees/lookup/columns: the same employees as lookupEmployees, in the same order, only the
 * fields an import's check reads, one array per field, written as JSON here (the route sends the text).
 */
export async function lookupEmployeeColumnsJson(db: Queryable, viewer: AuthedUser, keys: LookupKeys): Promise<string> {
  const rows = await lookupRows<LookupRow>(db, viewer, keys, LOOKUP_COLUMNS);
  const fullPhones = seesFullPhones(viewer);
  const columns: EmployeeLookupColumns = {
    ids: rows.map((row) => row.id),
    firstNames: rows.map((row) => row.first_name),
    lastNames: rows.map((row) => row.last_name),
    emails: rows.map((row) => row.email),
    cellPhones: rows.map((row) => (fullPhones ? row.cell_phone : maskPhone(row.cell_phone))),
    versions: rows.map((row) => row.version),
  };
  return JSON.stringify(columns);
}

interface LookupKeys {
  ids: readonly string[];
  emails: readonly string[];
}

/** The rows (these `columns`, which include id and email) of the viewer's company's employees with one of the keys, by id. */
async function lookupRows<Row extends { id: string; email: string }>(db: Queryable, viewer: AuthedUser, keys: LookupKeys, columns: string): Promise<Row[]> {
  const ids = [...new Set(keys.ids)];
  const emails = new Set(keys.emails.map(emailMatchKey));
  const wanted: string[] = [];
  if (ids.length > 0) wanted.push(`id IN (${ids.map(() => '?').join(', ')})`);
  if (emails.size > 0) wanted.push(`email IN (${[...emails].map(() => '?').join(', ')})`);
  if (wanted.length === 0) return [];
  const rows = await db.all<Row>(`SELECT ${columns} FROM employees WHERE company_id = ? AND (${wanted.join(' OR ')})`, viewer.companyId, ...ids, ...emails);
  const idSet = new Set(ids);
  const found = new Map<string, Row>();
  for (const row of rows) if (idSet.has(row.id) || emails.has(emailMatchKey(row.email))) found.set(row.id, row);
  if (db.dialect === 'sqlite' && [...emails].some((email) => /\P{ASCII}/u.test(email))) {
    const others = await db.all<Row>(`SELECT ${columns} FROM employees WHERE company_id = ? AND email GLOB ?`, viewer.companyId, NON_ASCII_EMAIL);
    for (const row of others) if (emails.has(emailMatchKey(row.email))) found.set(row.id, row);
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
